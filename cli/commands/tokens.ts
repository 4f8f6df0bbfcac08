import type { Command } from "commander";
import { createIngestToken, listIngestTokens, revokeIngestToken } from "@/lib/ingest/tokens";
import { UserError } from "@/lib/errors/user-error";
import { withRuntime } from "@/cli/run";

export function registerTokens(program: Command) {
  const tokens = program.command("tokens").description("ingest tokens for POST /api/ingest (Authorization: Bearer <token>)");

  tokens
    .command("create")
    .description("create a token and print it once (only its hash is stored)")
    .option("--name <name>", "what the token is for", "ingest")
    .action((options: { name: string }) =>
      withRuntime(async ({ store }) => {
        const { id, token } = await createIngestToken(store, options.name);
        console.error(`token ${id} (${options.name}) created; it is shown only this once:`);
        console.log(token);
      }),
    );

  tokens
    .command("list")
    .description("list tokens: id, name, created, last used (never the token)")
    .action(() =>
      withRuntime(async ({ store }) => {
        const rows = await listIngestTokens(store);
        if (rows.length === 0) console.log("no ingest tokens (shipshape tokens create)");
        for (const row of rows) console.log(`${row.id}\t${row.name}\tcreated ${row.createdAt}\tlast used ${row.lastUsedAt ?? "never"}`);
      }),
    );

  tokens
    .command("revoke")
    .description("delete a token: requests with it get 401 from then on")
    .argument("<id>", "the token's id (shipshape tokens list)")
    .action((id: string) =>
      withRuntime(async ({ store }) => {
        if (!/^\d+$/.test(id) || !(await revokeIngestToken(store, Number(id)))) throw new UserError(`no ingest token with id ${id}`, "not_found");
        console.log(`token ${id} revoked`);
      }),
    );
}
