/** The shipshape CLI (../shared/spec/interfaces.md). Each command lives in cli/commands/. */
import { Command } from "commander";
import { registerDemo } from "./commands/demo";
import { registerDigest } from "./commands/digest";
import { registerKpis } from "./commands/kpis";
import { registerIngest } from "./commands/ingest";
import { registerMigrate } from "./commands/migrate";
import { registerServe } from "./commands/serve";
import { registerStatus } from "./commands/status";
import { registerSubscribe } from "./commands/subscribe";
import { registerSync } from "./commands/sync";
import { registerTargets } from "./commands/targets";
import { registerTokens } from "./commands/tokens";
import { registerUsers } from "./commands/users";

const program = new Command("shipshape")
  .description("ML delivery KPIs and DORA metrics: code, models and data")
  .showHelpAfterError("(run shipshape --help for usage)")
  .configureOutput({ outputError: (text, write) => write(`shipshape: ${text.replace(/^error: /, "")}`) })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

registerDemo(program);
registerDigest(program);
registerKpis(program);
registerIngest(program);
registerMigrate(program);
registerServe(program);
registerStatus(program);
registerSubscribe(program);
registerSync(program);
registerTargets(program);
registerTokens(program);
registerUsers(program);

await program.parseAsync(process.argv);
