/**
 * What the scheduler and the weekly email share: the work this process started and has not
 * finished (so a stop can give it time and tests can wait for it), and this server's name in
 * the claims tables.
 */
import { hostname } from "node:os";

/** Names this server in schedule_claims and digest_sends: host name and process id. */
export function thisServer(): string {
  return `${hostname()}:${process.pid}`;
}

export class InFlight {
  private readonly work = new Set<Promise<void>>();

  track(work: Promise<void>): void {
    this.work.add(work);
    void work.finally(() => this.work.delete(work));
  }

  /** Resolves when nothing started here is under way (also what starts meanwhile). */
  async idle(): Promise<void> {
    while (this.work.size) await Promise.allSettled(this.work);
  }

  /** Waits for what is under way, at most `graceMs`. */
  async settle(graceMs: number): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.work), new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
    clearTimeout(timeout);
  }
}
