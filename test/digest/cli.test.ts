/**
 * The real `shipshape digest`, `subscribe` and `unsubscribe` commands in child processes: the
 * printed summary, one-line errors, and a send killed while the SMTP server holds one message,
 * which the next run finishes without mailing anyone twice except that one, recognisably.
 */
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { messageIdOf } from "@/lib/digest/send";
import { cliSandbox, COMMANDS_TIMEOUT, type CliSandbox } from "@/test/support/cli";
import { describeEachDriver } from "@/test/support/db";
import { startSmtp, type TestSmtp } from "./smtp";

const PROJECTS = `
projects:
  - slug: fraud
    name: Fraud detection
    timezone: Europe/Berlin
    services: [fraud-api]
`;
const email = (smtpUrl: string) => `
email:
  smtp_url: ${smtpUrl}
  from: "Shipshape <kpi@acme.example>"
  base_url: https://kpi.acme.example
`;

function runAsync(box: CliSandbox, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["bin/shipshape.js", ...args], { env: { ...process.env, ...box.env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

let sandbox: CliSandbox | undefined;
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await sandbox?.remove();
  await smtp?.close();
  sandbox = smtp = undefined;
});

describeEachDriver("shipshape digest and subscribe", (_store, driver) => {
  it("print the week's summary, manage subscribers and refuse bad input in one line", { timeout: COMMANDS_TIMEOUT }, async () => {
    sandbox = await cliSandbox(driver, PROJECTS);
    // From another directory, as `npx shipshape` in a user's own folder: the email templates' JSX still compiles.
    const printed = sandbox.runProcess(["digest", "--project", "fraud", "--week", "2026-03-29"], { cwd: tmpdir() });
    expect(printed.stderr).toBe("");
    expect(printed.code).toBe(0);
    // Sunday 2026-03-29 (the DST day in Berlin) is in the week of Monday 2026-03-23.
    expect(printed.stdout).toMatch(/^Subject: Fraud detection: no data last week — connect a source to get your weekly summary\n\nFraud detection: the week of 2026-03-23\nMonday 2026-03-23 to Sunday 2026-03-29 \(Europe\/Berlin\)/);
    expect(printed.stdout).toContain("View this summary in the browser: http://localhost:3000/projects/fraud/digest?week=2026-03-23");

    expect((await sandbox.run(["subscribe", "--project", "fraud", "--email", "Ana@Acme.example"])).stdout).toBe("ana@acme.example now receives fraud's weekly summary\n");
    expect((await sandbox.run(["unsubscribe", "--project", "fraud", "--email", "ana@acme.example"])).stdout).toBe("ana@acme.example no longer receives fraud's weekly summary\n");
    expect((await sandbox.run(["unsubscribe", "--project", "fraud", "--email", "ana@acme.example"])).stdout).toBe("ana@acme.example was not receiving fraud's weekly summary\n");

    const refusals: [string[], number, string][] = [
      [["subscribe", "--project", "fraud", "--email", "not-an-address"], 2, "shipshape: not-an-address: is not an email address\n"],
      [["digest", "--project", "nope"], 2, 'shipshape: unknown project "nope" (projects: fraud)\n'],
      [["digest", "--project", "fraud", "--week", "2026-02-30"], 2, 'shipshape: week: must be a date YYYY-MM-DD, not "2026-02-30"\n'],
      [["digest", "--project", "fraud", "--force"], 2, "shipshape: --force only goes with --send\n"],
    ];
    for (const [args, code, stderr] of refusals) expect(await sandbox.run(args), args.join(" ")).toMatchObject({ code, stderr });
    const send = await sandbox.run(["digest", "--project", "fraud", "--send"]);
    expect(send.code).toBe(1);
    expect(send.stderr).toBe("shipshape: no email: block in the configuration (smtp_url, from, base_url): nothing to send with\n");
  });

  it("finish a send killed mid-way: one email each, the interrupted one again with the same Message-ID", { timeout: COMMANDS_TIMEOUT }, async () => {
    let stalled = false;
    smtp = await startSmtp({ stall: (to) => !stalled && to.includes("bo@acme.example") && (stalled = true) });
    sandbox = await cliSandbox(driver, PROJECTS + email(smtp.url));
    for (const address of ["ana@acme.example", "bo@acme.example", "cy@acme.example"]) await sandbox.run(["subscribe", "--project", "fraud", "--email", address]);

    const child = spawn(process.execPath, ["bin/shipshape.js", "digest", "--project", "fraud", "--week", "2026-03-09", "--send"], {
      env: { ...process.env, ...sandbox.env },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // ana's email is acknowledged; bo's has arrived and waits for the server's answer: stop the sender there.
    await smtp.waitFor(2, 60_000);
    child.kill("SIGKILL");
    await exited;
    await sandbox.released();

    // Opened and closed around each look: on the embedded database the next run needs it to itself.
    const rows = async () => {
      const runtime = await sandbox!.open();
      try {
        return await runtime.store.rows(sql`SELECT email, status, attempts FROM digest_sends ORDER BY email`);
      } finally {
        await runtime.store.close();
      }
    };
    expect(await rows()).toEqual([
      { email: "ana@acme.example", status: "sent", attempts: 1 },
      { email: "bo@acme.example", status: "sending", attempts: 1 },
    ]);
    // Not spawnSync: the SMTP server runs in this process and must answer meanwhile.
    const again = await runAsync(sandbox, ["digest", "--project", "fraud", "--week", "2026-03-09", "--send"]);
    expect(again.stderr).toBe("");
    expect(again.stdout).toContain("week of 2026-03-09: sent 2, had it already 1, failed 0\nsent: bo@acme.example\nsent: cy@acme.example\n");
    expect(await rows()).toEqual([
      { email: "ana@acme.example", status: "sent", attempts: 1 },
      { email: "bo@acme.example", status: "sent", attempts: 2 },
      { email: "cy@acme.example", status: "sent", attempts: 1 },
    ]);
    const to = (address: string) => smtp!.received.filter((message) => message.to.includes(address));
    expect(to("ana@acme.example")).toHaveLength(1);
    expect(to("cy@acme.example")).toHaveLength(1);
    const bo = to("bo@acme.example");
    expect(bo.map((message) => message.unacknowledged)).toEqual([true, false]);
    const expectedId = messageIdOf({ project: { slug: "fraud", name: "", timezone: "" }, week: { from: "2026-03-09" } as never }, "bo@acme.example", "https://kpi.acme.example");
    expect(bo.map((message) => message.mail.messageId)).toEqual([expectedId, expectedId]);
  });
});
