/**
 * The CLI tests run most commands in their own process (`runCli`, test/support/cli.ts): here
 * the real `shipshape` process and `runCli` are held to the same output and exit codes, for a
 * success, a refused command line, a command's own failure, help, and a password on stdin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliSandbox, COMMANDS_TIMEOUT, type CliSandbox } from "@/test/support/cli";
import { CONFIG_YAML } from "@/test/support/config";

describe("shipshape in a process and through runCli", () => {
  let cli: CliSandbox;
  beforeAll(async () => {
    cli = await cliSandbox("pglite", CONFIG_YAML);
  });
  afterAll(async () => cli?.remove());

  const cases: [what: string, args: string[], extra: { env?: Record<string, string>; input?: string }, code: number][] = [
    ["a password from stdin's first line", ["users", "add", "--email", "ada@example.com", "--role", "viewer"], { env: { SHIPSHAPE_PASSWORD: "" }, input: "correct horse battery\nignored\n" }, 0],
    ["a command that succeeds", ["users", "list"], {}, 0],
    ["an unknown option", ["users", "list", "--everyone"], {}, 2],
    ["a missing required option", ["users", "add", "--email", "bo@example.com"], {}, 2],
    ["an unknown command", ["frobnicate"], {}, 2],
    ["the command's own refusal", ["users", "remove", "--email", "nobody@example.com"], {}, 2],
    ["a failure of the input, not the command line", ["ingest", "/nonexistent/deployments.jsonl"], {}, 1],
    ["help", ["targets", "--help"], {}, 0],
  ];

  it("gives the same stdout, stderr and exit code either way", { timeout: COMMANDS_TIMEOUT }, async () => {
    for (const [what, args, extra, code] of cases) {
      const inProcess = await cli.run(args, extra);
      // The adding case runs once per way: the second add of the same user is refused.
      if (args[1] === "add" && code === 0) await cli.run(["users", "remove", "--email", "ada@example.com"]);
      const real = cli.runProcess(args, extra);
      expect(inProcess, what).toEqual(real);
      expect(real.code, what).toBe(code);
      if (code !== 0) expect(real.stderr.split("\n")[0], what).toMatch(/^shipshape: /);
    }
  });
});
