/**
 * Sending the weekly email to a real SMTP server on 127.0.0.1 and reading what arrived: subject,
 * both parts, the inline charts, the numbers against the report engine's, the unsubscribe link;
 * exactly one email per subscriber and week across repeated and concurrent sends; refusals,
 * transient failures and an unreachable server.
 */
import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { openStore } from "@/db/client";
import { digestDeliveryStatus } from "@/lib/digest/delivery-status";
import { messageIdOf, sendWeeklyDigest } from "@/lib/digest/send";
import { subscribe } from "@/lib/digest/subscriptions";
import { readUnsubscribeToken } from "@/lib/digest/unsubscribe-token";
import { buildReport } from "@/lib/report/build";
import { setTarget } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";
import { startSmtp, type TestSmtp } from "./smtp";
import { emailConfig, seedTwoWeeks } from "./support";

const FAST_RETRY = { attempts: 3, baseDelayMs: 10 };
const WEEK = "2026-03-09";

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

const byRecipient = (s: TestSmtp, email: string) => s.received.filter((message) => message.to.includes(email));

describeEachDriver("sendWeeklyDigest", (store, driver) => {
  it("mails each subscriber one summary: subject, text and HTML parts, inline charts, the report's numbers, an unsubscribe link", async () => {
    smtp = await startSmtp();
    const config = emailConfig(smtp.url);
    await seedTwoWeeks(store());
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 2, setBy: "po" }, new Date("2026-03-01T00:00:00Z"));
    await subscribe(store(), config, { project: "fraud", email: "Ana@Acme.example" });
    await subscribe(store(), config, { project: "fraud", email: "bo@acme.example" });

    const result = await sendWeeklyDigest(store(), config, { project: "fraud", week: "2026-03-12", retry: FAST_RETRY });
    expect(result).toMatchObject({ week: WEEK, sent: ["ana@acme.example", "bo@acme.example"], skipped: [], failed: [] });
    expect(smtp.received).toHaveLength(2);

    const { mail, raw } = byRecipient(smtp, "ana@acme.example")[0]!;
    // 1/day against a target of 2 (warn 0.2): missed, the only KPI with a target; 2/day → 1/day is down 50%.
    expect(mail.subject).toBe("Fraud detection: 1 of 1 KPIs missed — deployment frequency down 50%");
    expect(mail.from?.text).toBe('"Shipshape" <kpi@acme.example>');
    expect(mail.messageId).toBe(messageIdOf({ project: { slug: "fraud", name: "", timezone: "UTC" }, week: { from: WEEK } as never }, "ana@acme.example", "https://kpi.acme.example"));

    // The numbers are the report engine's for the same week.
    const report = await buildReport(store(), config, { project: "fraud", from: WEEK, to: "2026-03-15" });
    const frequency = report.kpis.find((entry) => entry.id === "deployment_frequency" && entry.dimension === null)!;
    expect(frequency).toMatchObject({ value: 1, previous: 2, status: "missed", band: "elite" });
    const text = mail.text!;
    expect(text).toContain("1 KPI has a target: 0 met, 0 at risk, 1 missed.");
    expect(text).toContain("Worst: Deployment frequency down 50% (2 / day → 1 / day)");
    expect(text).toContain("- Deployment frequency: 1 / day against a target of 2 / day");
    expect(text).toMatch(/^Deployment frequency +1 \/ day +2 \/ day +missed +down 50% +elite$/m);
    expect(text).toMatch(/^2026-03-09 +1 \/ day +—$/m);
    expect(text).toMatch(/^2026-03-02 +2 \/ day +—$/m);

    // HTML: the same facts, and the charts as inline images that the message carries.
    const html = String(mail.html);
    expect(html).toContain("Targets missed");
    expect(html).toMatch(/<td[^>]*>1 \/ day<\/td>/);
    const charts = mail.attachments.filter((attachment) => attachment.contentType === "image/png");
    expect(charts.map((chart) => chart.cid)).toEqual([`deployment_frequency.fraud.${WEEK}@shipshape`, `lead_time_for_changes.fraud.${WEEK}@shipshape`]);
    for (const chart of charts) {
      expect(chart.contentDisposition).toBe("inline");
      expect(chart.content.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(html).toContain(`src="cid:${chart.cid}"`);
    }

    // Unsubscribe: a signed link in both parts and RFC 8058 headers, for this project and address.
    const link = /https:\/\/kpi\.acme\.example\/unsubscribe\?token=([\w.%-]+)/.exec(text)!;
    expect(html).toContain(link[0]);
    expect(await readUnsubscribeToken(store(), decodeURIComponent(link[1]!))).toEqual({ project: "fraud", email: "ana@acme.example" });
    const headers = raw.replace(/\r\n[ \t]+/g, " ");
    expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/kpi\.acme\.example\/api\/unsubscribe\?token=[\w.%-]+>/m);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    const bo = /unsubscribe\?token=([\w.%-]+)/.exec(byRecipient(smtp, "bo@acme.example")[0]!.mail.text!)!;
    expect(await readUnsubscribeToken(store(), decodeURIComponent(bo[1]!))).toEqual({ project: "fraud", email: "bo@acme.example" });
    // A changed signature, and the same signature spelt with other spare bits in its last character, are both refused.
    const boToken = decodeURIComponent(bo[1]!);
    const dot = boToken.indexOf(".");
    const flip = (c: string) => (c === "A" ? "B" : "A");
    expect(await readUnsubscribeToken(store(), boToken.slice(0, dot + 1) + flip(boToken[dot + 1]!) + boToken.slice(dot + 2))).toBeNull();
    expect(await readUnsubscribeToken(store(), boToken.slice(0, -1) + flip(boToken.at(-1)!))).toBeNull();

    const rows = await store().rows(sql`SELECT email, status, attempts, last_error FROM digest_sends ORDER BY email`);
    expect(rows).toEqual([
      { email: "ana@acme.example", status: "sent", attempts: 1, last_error: null },
      { email: "bo@acme.example", status: "sent", attempts: 1, last_error: null },
    ]);
  });

  it("sends nothing the second time, and again to everyone with force", async () => {
    smtp = await startSmtp();
    const config = emailConfig(smtp.url);
    await subscribe(store(), config, { project: "fraud", email: "ana@acme.example" });
    await sendWeeklyDigest(store(), config, { project: "fraud", week: WEEK, retry: FAST_RETRY });
    await subscribe(store(), config, { project: "fraud", email: "cy@acme.example" });
    const again = await sendWeeklyDigest(store(), config, { project: "fraud", week: "2026-03-15", retry: FAST_RETRY });
    expect(again).toMatchObject({ sent: ["cy@acme.example"], skipped: ["ana@acme.example"] });
    expect(smtp.received.map((message) => message.to)).toEqual([["ana@acme.example"], ["cy@acme.example"]]);
    // A week without any data: a short summary saying what to connect, no charts.
    const first = smtp.received[0]!.mail;
    expect(first.subject).toBe("Fraud detection: no data last week — connect a source to get your weekly summary");
    expect(first.text).toContain("Deployment frequency, Change failure rate, Time to restore: deployments: the deployment log");
    expect(first.attachments).toEqual([]);

    const forced = await sendWeeklyDigest(store(), config, { project: "fraud", week: WEEK, force: true, retry: FAST_RETRY });
    expect(forced.sent).toEqual(["ana@acme.example", "cy@acme.example"]);
    expect(smtp.received).toHaveLength(4);
    expect(smtp.received[2]!.mail.messageId).not.toBe(first.messageId);
  });

  it("records a refusal with the server's reply, retries a transient failure, and gives up on an unreachable server", async () => {
    smtp = await startSmtp({
      refuse: (address, attempt) =>
        address === "gone@acme.example"
          ? { code: 550, message: "5.1.1 mailbox unavailable" }
          : address === "busy@acme.example" && attempt <= 2
            ? { code: 451, message: "4.3.2 try again later" }
            : undefined,
    });
    const config = emailConfig(smtp.url);
    for (const email of ["ana@acme.example", "busy@acme.example", "gone@acme.example"]) await subscribe(store(), config, { project: "fraud", email });
    const result = await sendWeeklyDigest(store(), config, { project: "fraud", week: WEEK, retry: FAST_RETRY });
    expect(result.sent).toEqual(["ana@acme.example", "busy@acme.example"]);
    expect(result.failed).toEqual([{ email: "gone@acme.example", error: "550 5.1.1 mailbox unavailable" }]);
    const rows = await store().rows(sql`SELECT email, status, attempts, last_error FROM digest_sends ORDER BY email`);
    expect(rows).toEqual([
      { email: "ana@acme.example", status: "sent", attempts: 1, last_error: null },
      { email: "busy@acme.example", status: "sent", attempts: 3, last_error: null },
      { email: "gone@acme.example", status: "failed", attempts: 1, last_error: "550 5.1.1 mailbox unavailable" },
    ]);
    expect(smtp.attempts.get("busy@acme.example")).toBe(3);

    // The server goes away: the first address is tried three times, the others not at all.
    const port = smtp.port;
    await smtp.close();
    smtp = undefined;
    const down = emailConfig(`smtp://127.0.0.1:${port}`);
    await subscribe(store(), down, { project: "fraud", email: "dee@acme.example" });
    const unreachable = await sendWeeklyDigest(store(), down, { project: "fraud", week: WEEK, retry: FAST_RETRY });
    expect(unreachable.sent).toEqual([]);
    expect(unreachable.skipped).toEqual(["ana@acme.example", "busy@acme.example"]);
    expect(unreachable.failed.map((failure) => failure.email)).toEqual(["dee@acme.example", "gone@acme.example"]);
    expect(unreachable.failed[0]!.error).toMatch(/ECONNREFUSED/);
    expect(unreachable.failed[1]!.error).toMatch(/^not tried: the SMTP server was unreachable/);
    const dee = await store().rows(sql`SELECT status, attempts FROM digest_sends WHERE email = 'dee@acme.example'`);
    expect(dee).toEqual([{ status: "failed", attempts: 3 }]);

    const status = await digestDeliveryStatus(store());
    expect(status).toEqual([
      {
        project: "fraud",
        week: WEEK,
        sent: 2,
        failed: 2,
        sending: 0,
        lastSentAt: expect.any(String),
        failures: [
          { email: "dee@acme.example", attempts: 3, error: expect.stringMatching(/ECONNREFUSED/) },
          { email: "gone@acme.example", attempts: 1, error: expect.stringMatching(/^not tried: the SMTP server was unreachable/) },
        ],
      },
    ]);
  });

  // Two servers on one database: PostgreSQL only (the embedded database admits one process).
  if (driver === "postgres") {
    it("sends once per subscriber when two servers send the same week at once", async () => {
      smtp = await startSmtp();
      const config = emailConfig(smtp.url);
      const emails = Array.from({ length: 6 }, (_, i) => `user${i}@acme.example`);
      for (const email of emails) await subscribe(store(), config, { project: "fraud", email });
      const other = await openStore({ databaseUrl: store().location.replace(":***@", "@") });
      try {
        const results = await Promise.all([
          sendWeeklyDigest(store(), config, { project: "fraud", week: WEEK, serverId: "one" }),
          sendWeeklyDigest(other, config, { project: "fraud", week: WEEK, serverId: "two" }),
          sendWeeklyDigest(other, config, { project: "fraud", week: WEEK, serverId: "three" }),
        ]);
        expect(results.flatMap((result) => result.sent).sort()).toEqual(emails);
        expect(results.flatMap((result) => result.failed)).toEqual([]);
      } finally {
        await other.close();
      }
      expect(smtp.received.map((message) => message.to[0]).sort()).toEqual(emails);
    });
  }
});
