import { Option, type Command } from "commander";
import { print, warn, type CliIo } from "@/cli/io";
import { createIngestToken, listIngestTokens, revokeIngestToken, tokenScopes, type TokenScope } from "@/lib/ingest/tokens";
import { UserError } from "@/lib/errors/user-error";
import { withRuntime } from "@/cli/run";

export function registerTokens(program: Command, io: CliIo) {
  const tokens = program
    .command("tokens")
    .description("tokens for POST /api/ingest (scope ingest) and GET /metrics (scope read), sent as Authorization: Bearer <token>");

  tokens
    .command("create")
    .description("create a token and print it once (only its hash is stored)")
    .option("--name <name>", "what the token is for", "ingest")
    .addOption(new Option("--scope <scope>", "what it opens: ingest (POST /api/ingest) or read (GET /metrics)").choices(tokenScopes).default("ingest"))
    .action((options: { name: string; scope: TokenScope }) =>
      withRuntime(io, async ({ store }) => {
        const { id, token } = await createIngestToken(store, options.name, options.scope);
        warn(io, `token ${id} (${options.name}, scope ${options.scope}) created; it is shown only this once:`);
        print(io, token);
      }),
    );

  tokens
    .command("list")
    .description("list tokens: id, name, scope, created, last used (never the token)")
    .action(() =>
      withRuntime(io, async ({ store }) => {
        const rows = await listIngestTokens(store);
        if (rows.length === 0) print(io, "no ingest tokens (shipshape tokens create)");
        for (const row of rows) print(io, `${row.id}\t${row.name}\t${row.scope}\tcreated ${row.createdAt}\tlast used ${row.lastUsedAt ?? "never"}`);
      }),
    );

  tokens
    .command("revoke")
    .description("delete a token: requests with it get 401 from then on")
    .argument("<id>", "the token's id (shipshape tokens list)")
    .action((id: string) =>
      withRuntime(io, async ({ store }) => {
        if (!/^\d+$/.test(id) || !(await revokeIngestToken(store, Number(id)))) throw new UserError(`no ingest token with id ${id}`, "not_found");
        print(io, `token ${id} revoked`);
      }),
    );
}
