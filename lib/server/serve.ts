/**
 * The server process: configuration, database (migrated), demo data in demo mode, the Next app
 * and — in the same process, because the embedded database allows only one — the scheduler.
 */
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import next from "next";
import { ensureDemoData } from "@/lib/demo/generate";
import { warmReports } from "@/lib/report/cache";
import { openRuntime } from "./runtime";
import { setProcessScheduler } from "@/lib/scheduler/process";
import { Scheduler } from "@/lib/scheduler/scheduler";
import { WeeklyDigests } from "@/lib/scheduler/weekly-digest";
import { setServerRuntime } from "./shared-runtime";
import { buildIfStale } from "./build";
import { applySecurityHeaders, refusePageChange } from "./http-policy";
import { stampRequestFacts } from "./request-facts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** How long an idle keep-alive connection stays open. */
const KEEP_ALIVE_MS = 65_000;

/** `host`: the address to listen on (HOST; default every address, as Node does). */
export async function serve({ port, host }: { port: number; host?: string }): Promise<void> {
  const log = (line: string) => console.log(`shipshape: ${line}`);
  buildIfStale(root, log);
  const runtime = await openRuntime();
  log(`database ${runtime.store.kind} (${runtime.store.location}) is up to date`);
  if (runtime.config.demo) {
    const generated = await ensureDemoData(runtime.store, new Date());
    log(`demo mode (no shipshape.yaml): ${generated ? "generated the demo organisation" : "using the existing demo organisation"}`);
  }
  setServerRuntime(runtime);
  // In the background: the first overview then comes from the cache instead of ~100 queries;
  // again after every sync that stored records, since the write emptied the cache.
  const warm = () => void warmReports(runtime.store, runtime.config).catch((error: unknown) => log(`could not precompute the overview: ${String(error)}`));
  warm();

  const app = next({ dev: false, dir: root });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((request, response) => {
    stampRequestFacts(request);
    applySecurityHeaders(request, response);
    if (refusePageChange(request, response, log)) return;
    void handle(request, response);
  });
  // Node's 5 s keep-alive races a client reusing an idle connection at that moment (more so while
  // the embedded database's queries hold the event loop): it resets the request. A minute, like
  // common proxies, keeps the close far from the reuse; headers get a little longer, as Node asks.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  log(`serving http://${host ? (host.includes(":") ? `[${host}]` : host) : "localhost"}:${port}${host ? "" : " (every address of this machine; HOST=127.0.0.1 for this machine only)"}`);

  // Demo mode configures no source: then there is nothing to schedule.
  const scheduler = new Scheduler({ config: runtime.config, store: runtime.store, log, afterRun: warm });
  if (scheduler.scheduled.length) {
    await scheduler.start();
    setProcessScheduler(scheduler);
    log(`scheduling ${scheduler.scheduled.join(", ")}`);
  }

  // Without an email: block there is nothing to send.
  const digests = new WeeklyDigests({ config: runtime.config, store: runtime.store, log });
  if (runtime.config.email) {
    digests.start();
    log(`weekly email: ${runtime.config.email.weekly.day}s at ${runtime.config.email.weekly.time} in each project's time zone`);
  }

  const stop = async () => {
    server.close();
    // Before the store closes: runs and sends under way get a few seconds to finish.
    await Promise.all([scheduler.stop(), digests.stop()]);
    await runtime.store.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
