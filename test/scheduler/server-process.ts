/**
 * A Shipshape server's scheduler alone, for tests that need several servers or one to kill:
 * the configuration and database come from the environment as for `shipshape serve`. With
 * SLOW_MS, each deploy_logs run first waits that long (a long run, to overlap or kill).
 */
import { openRuntime } from "@/lib/server/runtime";
import { Scheduler } from "@/lib/scheduler/scheduler";
import { sourceSync } from "@/lib/sync/runner";

const slowMs = Number(process.env.SLOW_MS ?? 0);
const deployLogs = sourceSync("deploy_logs");
const runtime = await openRuntime();
const scheduler = new Scheduler({
  config: runtime.config,
  store: runtime.store,
  sources: { deploy_logs: async (context) => (await new Promise((resolve) => setTimeout(resolve, slowMs)), deployLogs(context)) },
  log: (line) => console.log(line),
});
await scheduler.start();
console.log("started");
process.once("SIGTERM", async () => {
  await scheduler.stop();
  await runtime.store.close();
  process.exit(0);
});
