import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targetInForce } from "@/lib/targets/store";
import { cliSandbox, COMMANDS_TIMEOUT, type CliSandbox } from "@/test/support/cli";
import { drivers } from "@/test/support/db";
import { CONFIG_YAML } from "@/test/support/config";

for (const driver of drivers) {
  describe(`shipshape targets [${driver}]`, () => {
    let cli: CliSandbox;
    beforeAll(async () => {
      cli = await cliSandbox(driver, CONFIG_YAML);
    });
    afterAll(async () => cli?.remove());

    it("sets, lists, removes and shows the history of targets, recording $USER as the author", async () => {
      const set = await cli.run(["targets", "set", "--project", "fraud", "--kpi", "lead_time_for_changes", "--value", "24", "--warn", "6"]);
      expect(set).toEqual({ code: 0, stdout: "fraud lead_time_for_changes: target set to 24 (warn 6)\n", stderr: "" });
      const again = await cli.run(["targets", "set", "--project", "fraud", "--kpi", "lead_time_for_changes", "--value", "24", "--warn", "6"]);
      expect(again.stdout).toBe("fraud lead_time_for_changes: already 24 (warn 6), nothing changed\n");
      await cli.run(["targets", "set", "--project", "fraud", "--kpi", "data_refresh_frequency", "--dimension", "transactions", "--value", "1"]);

      const runtime = await cli.open();
      try {
        expect(await targetInForce(runtime.store, "fraud", "lead_time_for_changes", null, new Date())).toEqual({ value: 24, warn: 6 });
      } finally {
        await runtime.store.close();
      }

      expect((await cli.run(["targets", "list", "--project", "fraud"])).stdout).toBe(
        "data_refresh_frequency [transactions]: 1 (warn 0.1)\nlead_time_for_changes: 24 (warn 6)\n",
      );
      expect((await cli.run(["targets", "remove", "--project", "fraud", "--kpi", "lead_time_for_changes"])).stdout).toBe(
        "fraud lead_time_for_changes: target removed\n",
      );
      const history = (await cli.run(["targets", "history", "--project", "fraud"])).stdout.trim().split("\n");
      expect(history).toHaveLength(3);
      expect(history[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}tester {2}lead_time_for_changes: no target -> 24 \(warn 6\)$/);
      expect(history[2]).toMatch(/ {2}tester {2}lead_time_for_changes: 24 \(warn 6\) -> no target$/);
    }, COMMANDS_TIMEOUT);

    it("sets an owner and a due date, shown by list and history", async () => {
      const args = ["targets", "set", "--project", "churn", "--kpi", "releases", "--value", "4", "--owner", "Ana Lima", "--due", "2027-03-31"];
      expect((await cli.run(args)).stdout).toBe("churn releases: target set to 4 (warn 10 % of the target), owner Ana Lima, due 2027-03-31\n");
      expect((await cli.run(args)).stdout).toBe("churn releases: already 4 (warn 10 % of the target), owner Ana Lima, due 2027-03-31, nothing changed\n");
      expect((await cli.run(["targets", "list", "--project", "churn"])).stdout).toBe("releases: 4 (warn 0.4), owner Ana Lima, due 2027-03-31\n");
      await cli.run(["targets", "set", "--project", "churn", "--kpi", "releases", "--value", "4", "--owner", "Ana Lima", "--due", "2027-06-30"]);
      const history = (await cli.run(["targets", "history", "--project", "churn"])).stdout.trim().split("\n");
      expect(history[1]).toMatch(/ {2}tester {2}releases: 4 \(warn 10 % of the target\), owner Ana Lima, due 2027-03-31 -> 4 \(warn 10 % of the target\), owner Ana Lima, due 2027-06-30$/);
      for (const [flags, message] of [
        [["--owner", " "], "shipshape: owner: must not be empty\n"],
        [["--due", "2027-3-31"], "shipshape: due: must be a date YYYY-MM-DD\n"],
      ] as const) {
        expect(await cli.run(["targets", "set", "--project", "churn", "--kpi", "releases", "--value", "5", ...flags])).toEqual({ code: 2, stdout: "", stderr: message });
      }
      expect((await cli.run(["targets", "set", "--help"])).stdout).toMatch(/--owner <name>[\s\S]*--due <date>/);
    }, COMMANDS_TIMEOUT);

    it("exits 2 with one line for bad input", async () => {
      const cases: [string[], string][] = [
        [["--project", "nope", "--kpi", "releases", "--value", "3"], 'shipshape: unknown project "nope" (projects: fraud, churn)\n'],
        [["--project", "fraud", "--kpi", "releases", "--value", "three"], 'shipshape: --value must be a number, not "three"\n'],
        [["--project", "fraud", "--kpi", "releases", "--value", "3", "--warn", "-1"], "shipshape: warn: Too small: expected number to be >=0\n"],
        [["--project", "fraud", "--kpi", "mttr", "--dimension", "x", "--value", "3"], "shipshape: mttr: has no dimensions; leave the dimension out\n"],
      ];
      for (const [args, message] of cases) {
        const result = await cli.run(["targets", "set", ...args]);
        expect(result).toEqual({ code: 2, stdout: "", stderr: message });
      }
      const missing = await cli.run(["targets", "set", "--project", "fraud", "--kpi", "releases"]);
      expect(missing.code).toBe(2);
      expect(missing.stderr.split("\n")[0]).toBe("shipshape: required option '--value <number>' not specified");
      expect(await cli.run(["targets", "history", "--project", "nope"])).toMatchObject({ code: 2, stderr: 'shipshape: unknown project "nope" (projects: fraud, churn)\n' });
    }, COMMANDS_TIMEOUT);
  });
}
