import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "@/lib/auth/sign-in";
import { cliSandbox, COMMANDS_TIMEOUT, type CliSandbox } from "@/test/support/cli";
import { drivers } from "@/test/support/db";
import { CONFIG_YAML } from "@/test/support/config";

const PASSWORD = "correct horse battery";

for (const driver of drivers) {
  describe(`shipshape users [${driver}]`, () => {
    let cli: CliSandbox;
    beforeAll(async () => {
      cli = await cliSandbox(driver, CONFIG_YAML);
    });
    afterAll(async () => cli?.remove());

    it("adds users with the password from SHIPSHAPE_PASSWORD or stdin, lists, changes roles and removes them", async () => {
      expect(await cli.run(["users", "add", "--email", "Ada@Example.com", "--role", "admin"], { env: { SHIPSHAPE_PASSWORD: PASSWORD } })).toEqual({
        code: 0,
        stdout: "added ada@example.com (admin)\n",
        stderr: "",
      });
      expect((await cli.run(["users", "add", "--email", "bob@example.com", "--role", "viewer"], { env: { SHIPSHAPE_PASSWORD: "" }, input: `${PASSWORD} 2\nignored\n` })).stdout).toBe(
        "added bob@example.com (viewer)\n",
      );

      const list = (await cli.run(["users", "list"])).stdout.trim().split("\n");
      expect(list.map((line) => line.split("\t").slice(0, 2).join(" "))).toEqual(["ada@example.com admin", "bob@example.com viewer"]);

      // The passwords work for signing in: the one from the variable, and stdin's first line.
      const runtime = await cli.open();
      try {
        const attempt = (email: string, password: string) => signIn(runtime.store, { email, password, address: "test" }).then((r) => r.ok);
        expect(await attempt("ada@example.com", PASSWORD)).toBe(true);
        expect(await attempt("bob@example.com", `${PASSWORD} 2`)).toBe(true);
      } finally {
        await runtime.store.close();
      }

      expect((await cli.run(["users", "set-role", "--email", "bob@example.com", "--role", "editor"])).stdout).toBe("bob@example.com is now editor\n");
      expect((await cli.run(["users", "remove", "--email", "BOB@example.com"])).stdout).toBe("removed bob@example.com\n");
      expect((await cli.run(["users", "list"])).stdout).toMatch(/^ada@example\.com\tadmin\tadded .+\n$/);
    }, COMMANDS_TIMEOUT);

    it("exits 2 with one line for a bad email, role or password, a duplicate, an unknown user and the last admin", async () => {
      const password = { env: { SHIPSHAPE_PASSWORD: PASSWORD } };
      await cli.run(["users", "add", "--email", "root@example.com", "--role", "admin"], password);
      // The first test leaves ada as an admin: demote her so that root is the last one.
      await cli.run(["users", "set-role", "--email", "ada@example.com", "--role", "viewer"]);
      const cases: [string[], string, { env?: Record<string, string>; input?: string }][] = [
        [["users", "add", "--email", "nobody", "--role", "viewer"], "shipshape: email: is not an email address\n", password],
        [["users", "add", "--email", "x@example.com", "--role", "owner"], "shipshape: role: must be one of viewer, editor, admin\n", password],
        [["users", "add", "--email", "x@example.com", "--role", "viewer"], "shipshape: password: must be at least 12 characters\n", { env: { SHIPSHAPE_PASSWORD: "short" } }],
        [["users", "add", "--email", "x@example.com", "--role", "viewer"], "shipshape: no password: set SHIPSHAPE_PASSWORD, run on a terminal, or pipe it on stdin\n", { env: { SHIPSHAPE_PASSWORD: "" }, input: "" }],
        [["users", "add", "--email", "root@example.com", "--role", "viewer"], "shipshape: a user root@example.com already exists\n", password],
        [["users", "remove", "--email", "ghost@example.com"], "shipshape: no user ghost@example.com\n", {}],
        [["users", "set-role", "--email", "root@example.com", "--role", "viewer"], "shipshape: root@example.com is the last admin and cannot be made viewer; make another user admin first\n", {}],
        [["users", "remove", "--email", "root@example.com"], "shipshape: root@example.com is the last admin and cannot be removed; make another user admin first\n", {}],
      ];
      for (const [args, stderr, extra] of cases) {
        expect({ ...(await cli.run(args, extra)), args }).toEqual({ code: 2, stdout: "", stderr, args });
      }
    }, COMMANDS_TIMEOUT);

    it("set-password takes the password as users add does, ends the user's sessions, and refuses bad input", async () => {
      await cli.run(["users", "add", "--email", "cy@example.com", "--role", "viewer"], { env: { SHIPSHAPE_PASSWORD: PASSWORD } });
      let runtime = await cli.open();
      try {
        for (let i = 0; i < 2; i++) expect((await signIn(runtime.store, { email: "cy@example.com", password: PASSWORD, address: "test" })).ok).toBe(true);
      } finally {
        await runtime.store.close();
      }
      expect(await cli.run(["users", "set-password", "--email", "CY@example.com"], { env: { SHIPSHAPE_PASSWORD: "a new long password" } })).toEqual({
        code: 0,
        stdout: "set the password of cy@example.com; 2 sessions ended\n",
        stderr: "",
      });
      expect((await cli.run(["users", "set-password", "--email", "cy@example.com"], { env: { SHIPSHAPE_PASSWORD: "" }, input: "from stdin, long enough\n" })).stdout).toBe(
        "set the password of cy@example.com; 0 sessions ended\n",
      );
      runtime = await cli.open();
      try {
        const attempt = (password: string) => signIn(runtime.store, { email: "cy@example.com", password, address: "test" }).then((r) => r.ok);
        expect([await attempt(PASSWORD), await attempt("a new long password"), await attempt("from stdin, long enough")]).toEqual([false, false, true]);
      } finally {
        await runtime.store.close();
      }
      const refused: [string[], Record<string, string>, string][] = [
        [["users", "set-password", "--email", "cy@example.com"], { SHIPSHAPE_PASSWORD: "too short" }, "shipshape: password: must be at least 12 characters\n"],
        [["users", "set-password", "--email", "ghost@example.com"], { SHIPSHAPE_PASSWORD: PASSWORD }, "shipshape: no user ghost@example.com\n"],
      ];
      for (const [args, env, stderr] of refused) expect(await cli.run(args, { env })).toEqual({ code: 2, stdout: "", stderr });
      // Never from a flag: there is none to put it in shell history.
      expect((await cli.run(["users", "set-password", "--email", "cy@example.com", "--password", "x"])).stderr).toMatch(/unknown option '--password'/);
    }, COMMANDS_TIMEOUT);
  });
}
