import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listNotes } from "@/lib/annotations/store";
import { cliSandbox, COMMANDS_TIMEOUT, type CliSandbox } from "@/test/support/cli";
import { drivers } from "@/test/support/db";
import { CONFIG_YAML } from "@/test/support/config";

for (const driver of drivers) {
  describe(`shipshape annotate [${driver}]`, () => {
    let cli: CliSandbox;
    beforeAll(async () => {
      cli = await cliSandbox(driver, CONFIG_YAML);
    });
    afterAll(async () => cli?.remove());

    it("adds a note as $USER, once; exits 2 with one line for bad input", async () => {
      const args = ["annotate", "--project", "fraud", "--at", "2026-10-12", "--text", "moved to the new cluster"];
      expect(await cli.run(args)).toEqual({ code: 0, stdout: "fraud on 2026-10-12: note added: moved to the new cluster\n", stderr: "" });
      expect(await cli.run(args)).toEqual({ code: 0, stdout: "fraud on 2026-10-12: this note is already there, nothing changed\n", stderr: "" });
      expect((await cli.run([...args, "--kpi", "lead_time_for_changes"])).stdout).toBe("fraud lead_time_for_changes on 2026-10-12: note added: moved to the new cluster\n");

      const cases: [string[], string][] = [
        [["--project", "nope", "--at", "2026-10-12", "--text", "x"], 'shipshape: unknown project "nope" (projects: fraud, churn)\n'],
        [["--project", "fraud", "--at", "12/10/2026", "--text", "x"], "shipshape: at: must be a date YYYY-MM-DD\n"],
        [["--project", "fraud", "--at", "2026-10-12", "--text", "x", "--kpi", "velocity"], expect.stringMatching(/^shipshape: unknown KPI "velocity" \(one of [^\n]+\)\n$/) as unknown as string],
        [["--project", "fraud", "--at", "2026-10-12", "--text", "  "], "shipshape: text: must not be empty\n"],
        [["--project", "fraud", "--at", "2026-10-12", "--text", "x".repeat(281)], "shipshape: text: must be at most 280 characters\n"],
      ];
      for (const [flags, message] of cases) expect(await cli.run(["annotate", ...flags])).toEqual({ code: 2, stdout: "", stderr: message });
      const missing = await cli.run(["annotate", "--project", "fraud", "--at", "2026-10-12"]);
      expect(missing.code).toBe(2);
      expect(missing.stderr.split("\n")[0]).toBe("shipshape: required option '--text <text>' not specified");

      const runtime = await cli.open();
      try {
        const notes = await listNotes(runtime.store, "fraud", "2026-10-01", "2026-10-31");
        expect(notes.map((n) => [n.kpi, n.text, n.created_by])).toEqual([
          [null, "moved to the new cluster", "tester"],
          ["lead_time_for_changes", "moved to the new cluster", "tester"],
        ]);
      } finally {
        await runtime.store.close();
      }
    }, COMMANDS_TIMEOUT);
  });
}
