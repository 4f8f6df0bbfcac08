/**
 * Runs each configured source on its cron schedule, and promptly after webhooks, inside the
 * server process (docs/scheduling.md). Servers sharing one PostgreSQL coordinate through it
 * only: a tick is run by the one server whose claim lands (claims.ts), and a run holds its
 * source's lock so runs of one source never overlap (guard.ts). Nothing here is the source of
 * truth; the timers only say when to try.
 */
import type { Store } from "@/db/client";
import type { Config } from "@/lib/config/load";
import { SOURCE_NAMES, type SourceName } from "@/connectors/sources";
import type { SourceSync, SyncRunResult, SyncTrigger } from "@/lib/sync/run";
import { sourceSyncs } from "@/lib/sync/runner";
import { describeRecords } from "@/lib/sync/summary";
import { claimTick, lastClaimedTick, settleClaim } from "./claims";
import { latestTick, nextTick, parseSchedule, type Schedule } from "./cron";
import { failAllInterruptedRuns, runExclusively } from "./guard";
import type { SyncRequests } from "./process";
import { InFlight, thisServer } from "./in-flight";

export interface SchedulerOptions {
  config: Config;
  store: Store;
  /** The syncs by source; every source's own (connectors/sources.ts) by default. */
  sources?: Partial<Record<SourceName, SourceSync>>;
  log?: (line: string) => void;
  /** How long webhook requests for a source gather before one run takes them all. */
  webhookDelayMs?: number;
  /** How long requested work waits when a run of its source is still going. */
  busyRetryMs?: number;
  /** Names this server in schedule_claims. */
  serverId?: string;
  /** Called after each run that stored something (e.g. to recompute the overview's cached reports). */
  afterRun?: (result: SyncRunResult) => void;
}

export const SKIPPED_BUSY = "the previous run is still going";

/** setTimeout's longest delay is ~24.8 days; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Scheduler implements SyncRequests {
  private readonly store: Store;
  private readonly config: Config;
  private readonly syncs: Partial<Record<SourceName, SourceSync>>;
  private readonly schedules = new Map<SourceName, Schedule>();
  private readonly log: (line: string) => void;
  private readonly serverId: string;
  private readonly webhookDelayMs: number;
  private readonly busyRetryMs: number;
  private readonly afterRun: (result: SyncRunResult) => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new InFlight();
  /** Parts (repos, files) asked for by webhooks, by source, not yet taken by a run. */
  private readonly requested = new Map<SourceName, Set<string>>();
  private readonly requestTimers = new Map<SourceName, NodeJS.Timeout>();
  private stopped = false;

  constructor(options: SchedulerOptions) {
    this.store = options.store;
    this.config = options.config;
    this.syncs = options.sources ?? sourceSyncs();
    this.log = options.log ?? ((line) => console.log(`shipshape: ${line}`));
    this.afterRun = options.afterRun ?? (() => {});
    this.serverId = options.serverId ?? thisServer();
    this.webhookDelayMs = options.webhookDelayMs ?? 2_000;
    this.busyRetryMs = options.busyRetryMs ?? 5_000;
    for (const source of SOURCE_NAMES) {
      const settings = this.config.sources[source];
      if (settings && this.syncs[source]) this.schedules.set(source, parseSchedule(settings.schedule));
    }
  }

  /** The sources it schedules: those configured that have a sync. */
  get scheduled(): SourceName[] {
    return [...this.schedules.keys()];
  }

  /**
   * Fails the runs a stopped process left `running`, catches up once on each source whose
   * last tick was missed (or that was never run) or whose last run was cut off that way, then
   * waits for the next ticks. Only the server that failed a cut-off run redoes it.
   */
  async start(): Promise<void> {
    const interrupted = await failAllInterruptedRuns(this.store);
    if (interrupted.length) this.log(`marked the runs of ${interrupted.join(", ")} left running by a stopped process as failed`);
    const now = new Date();
    for (const [source, schedule] of this.schedules) {
      const missed = await this.missedTick(source, schedule, now);
      this.arm(source, schedule, now);
      if (missed) {
        this.log(`${source}: catching up with one run for the tick of ${missed.toISOString()}`);
        this.inFlight.track(this.runTick(source, missed));
      } else if (interrupted.includes(source)) {
        this.log(`${source}: running again: its last run was cut off`);
        this.inFlight.track(this.runAgain(source));
      }
    }
  }

  /** Stops the timers and gives runs under way up to `graceMs` to finish. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    for (const timer of [...this.timers, ...this.requestTimers.values()]) clearTimeout(timer);
    this.timers.clear();
    this.requestTimers.clear();
    await this.inFlight.settle(graceMs);
  }

  /**
   * Asks for a prompt run of `part` of `source` (a repo after a webhook). Requests arriving
   * within `webhookDelayMs` make one run; while a run of the source goes on, they wait for it.
   */
  requestSync(source: SourceName, part: string): void {
    if (this.stopped || !this.schedules.has(source)) return;
    const parts = this.requested.get(source) ?? new Set<string>();
    this.requested.set(source, parts.add(part));
    if (!this.requestTimers.has(source)) this.runRequestedAfter(source, this.webhookDelayMs);
  }

  /** Resolves when no run started by this scheduler is under way (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.inFlight.idle();
  }

  /** The latest tick before `now`, when no server has claimed it or any later one. */
  private async missedTick(source: SourceName, schedule: Schedule, now: Date): Promise<Date | undefined> {
    const latest = latestTick(schedule, now);
    if (!latest) return undefined;
    const claimed = await lastClaimedTick(this.store, source);
    return !claimed || claimed < latest ? latest : undefined;
  }

  private arm(source: SourceName, schedule: Schedule, after: Date): void {
    const tick = nextTick(schedule, after);
    if (!tick || this.stopped) return;
    this.at(tick, () => {
      // From now, not from the tick: a process that slept through several ticks runs once.
      this.arm(source, schedule, new Date(Math.max(tick.getTime(), Date.now())));
      this.inFlight.track(this.runTick(source, tick));
    });
  }

  /** Calls `action` at `time`, never early (timers may fire a little before their time). */
  private at(time: Date, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (Date.now() < time.getTime()) this.at(time, action);
      else action();
    }, Math.min(Math.max(time.getTime() - Date.now(), 0), MAX_TIMER_MS));
    this.timers.add(timer);
  }

  private async runTick(source: SourceName, tick: Date): Promise<void> {
    const when = tick.toISOString();
    try {
      if (!(await claimTick(this.store, source, tick, this.serverId))) return;
      const outcome = await runExclusively(source, this.syncs[source]!, this.context(source, "schedule"));
      if (!outcome.ran) {
        await settleClaim(this.store, source, tick, { skipped: SKIPPED_BUSY });
        this.log(`${source}: skipped the tick of ${when}: ${SKIPPED_BUSY}`);
        return;
      }
      await settleClaim(this.store, source, tick, { runId: outcome.result.id });
      this.log(`${source}: ${describe(outcome.result)} (tick of ${when})`);
      this.ran(outcome.result);
    } catch (error) {
      this.log(`${source}: the tick of ${when} could not run: ${messageOf(error)}`);
    }
  }

  /** A run outside the ticks, to finish what a stopped process left undone (syncs resume from their cursors). */
  private async runAgain(source: SourceName): Promise<void> {
    try {
      const outcome = await runExclusively(source, this.syncs[source]!, this.context(source, "schedule"));
      if (!outcome.ran) return; // another server's run is going: it does the work
      this.log(`${source}: ${describe(outcome.result)} (after a cut-off run)`);
      this.ran(outcome.result);
    } catch (error) {
      this.log(`${source}: the run after a cut-off run could not run: ${messageOf(error)}`);
    }
  }

  private runRequestedAfter(source: SourceName, delayMs: number): void {
    const timer = setTimeout(() => {
      this.requestTimers.delete(source);
      this.inFlight.track(this.runRequested(source));
    }, delayMs);
    this.requestTimers.set(source, timer);
  }

  private async runRequested(source: SourceName): Promise<void> {
    const parts = [...(this.requested.get(source) ?? [])];
    if (parts.length === 0 || this.stopped) return;
    this.requested.delete(source);
    try {
      const outcome = await runExclusively(source, this.syncs[source]!, { ...this.context(source, "webhook"), only: parts });
      if (outcome.ran) {
        this.log(`${source}: ${describe(outcome.result)} (webhook: ${parts.join(", ")})`);
        this.ran(outcome.result);
        return;
      }
    } catch (error) {
      this.log(`${source}: the webhook run of ${parts.join(", ")} could not run: ${messageOf(error)}`);
      return;
    }
    if (this.stopped) return;
    this.log(`${source}: a run is going; the webhook run of ${parts.join(", ")} waits for it`);
    const waiting = this.requested.get(source) ?? new Set<string>();
    this.requested.set(source, new Set([...parts, ...waiting]));
    clearTimeout(this.requestTimers.get(source));
    this.runRequestedAfter(source, this.busyRetryMs);
  }

  private ran(result: SyncRunResult): void {
    const stored = Object.values(result.records).some((count) => count > 0);
    if (stored) this.afterRun(result);
  }

  private context(source: SourceName, trigger: SyncTrigger) {
    return { config: this.config, store: this.store, trigger, log: (line: string) => this.log(`${source}: ${line}`) };
  }

}

function describe(result: SyncRunResult): string {
  const records = describeRecords(result);
  const errors = result.errors.length ? `; ${result.errors.join("; ")}` : "";
  return `run ${result.id} ${result.status}: ${records}; ${result.requests} requests${errors}`;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
