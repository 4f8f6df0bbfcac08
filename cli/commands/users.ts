import type { Command } from "commander";
import { print, type CliIo } from "@/cli/io";
import { addUser, listUsers, removeUser, roles, setPassword, setRole } from "@/lib/auth/users";
import { readPassword } from "@/cli/password";
import { withRuntime } from "@/cli/run";

export function registerUsers(program: Command, io: CliIo) {
  const users = program.command("users").description("dashboard accounts: viewers read, editors also set targets, admins also manage users and tokens");

  users
    .command("add")
    .description("add an account; the password comes from SHIPSHAPE_PASSWORD, a prompt on a terminal, or the first line of stdin")
    .requiredOption("--email <email>", "the user's email, used to sign in")
    .requiredOption("--role <role>", roles.join(" | "))
    .action((options: { email: string; role: string }) =>
      withRuntime(io, async ({ store }) => {
        const password = await readPassword(io);
        const user = await addUser(store, { email: options.email, role: options.role as never, password });
        print(io, `added ${user.email} (${user.role})`);
      }),
    );

  users
    .command("list")
    .description("every account with its role")
    .action(() =>
      withRuntime(io, async ({ store }) => {
        const rows = await listUsers(store);
        if (rows.length === 0) print(io, "no users (shipshape users add --email EMAIL --role admin)");
        for (const user of rows) print(io, `${user.email}\t${user.role}\tadded ${user.createdAt}`);
      }),
    );

  users
    .command("remove")
    .description("remove an account; its sessions end at once")
    .requiredOption("--email <email>", "the user's email")
    .action((options: { email: string }) =>
      withRuntime(io, async ({ store }) => {
        await removeUser(store, options.email);
        print(io, `removed ${options.email.trim().toLowerCase()}`);
      }),
    );

  users
    .command("set-password")
    .description("set an account's password (from SHIPSHAPE_PASSWORD, a prompt on a terminal, or the first line of stdin); its sessions end at once")
    .requiredOption("--email <email>", "the user's email")
    .action((options: { email: string }) =>
      withRuntime(io, async ({ store }) => {
        const password = await readPassword(io);
        const { user, endedSessions } = await setPassword(store, options.email, password);
        print(io, `set the password of ${user.email}; ${endedSessions} session${endedSessions === 1 ? "" : "s"} ended`);
      }),
    );

  users
    .command("set-role")
    .description("change an account's role; it applies to the user's open sessions at once")
    .requiredOption("--email <email>", "the user's email")
    .requiredOption("--role <role>", roles.join(" | "))
    .action((options: { email: string; role: string }) =>
      withRuntime(io, async ({ store }) => {
        const user = await setRole(store, options.email, options.role);
        print(io, `${user.email} is now ${user.role}`);
      }),
    );
}
