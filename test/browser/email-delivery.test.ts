/**
 * The sources page reports the weekly email's delivery: per project and week, what was sent,
 * what is still being sent, and each failure with its attempts and the SMTP server's last answer.
 * The server runs on a PostgreSQL database this test also writes, so the sends are set up directly.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../db/client";
import { digestSends } from "../../db/schema";
import { browserAvailable, launchBrowser, screenshot, watchErrors } from "../support/browser";
import { freshStore } from "../support/db";
import { startServer, type RunningServer } from "../support/server";

describe.runIf(browserAvailable && process.env.TEST_DATABASE_URL)("email delivery on the sources page", () => {
  let database: Awaited<ReturnType<typeof freshStore>>;
  let store: Store;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    database = await freshStore("postgres");
    store = database.store;
    server = await startServer({ DATABASE_URL: store.location.replace(":***@", "@") });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it("shows each week's sent, sending and failed emails with the last SMTP error", async () => {
    const send = { project: "fraud-detection", week: "2026-11-16", claimedBy: "test" };
    await store.db.insert(digestSends).values([
      { ...send, email: "ana@acme.example", status: "sent", attempts: 1, sentAt: "2026-11-23T07:00:05Z" },
      { ...send, email: "bo@acme.example", status: "failed", attempts: 1, lastError: "550 5.1.1 <bo@acme.example>: mailbox unavailable" },
      { ...send, email: "cy@acme.example", status: "sending", attempts: 2, lastError: "421 try again later" },
      { ...send, week: "2026-11-09", email: "ana@acme.example", status: "sent", attempts: 1, sentAt: "2026-11-16T07:00:04Z" },
    ]);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/sources`);
    const section = page.getByRole("region", { name: "Weekly email delivery" });
    // Demo mode has no email block: the page says so, and still shows what was recorded.
    expect(await section.textContent()).toContain("No weekly email is configured");
    const rows = await section.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual([
      ["fraud-detection", "2026-11-16", "1", "1", "1", expect.stringContaining("23 Nov 2026"), "bo@acme.example (1): 550 5.1.1 <bo@acme.example>: mailbox unavailable"],
      ["fraud-detection", "2026-11-09", "1", "0", "0", expect.stringContaining("16 Nov 2026"), ""],
    ]);
    await screenshot(page, "sources-email");
    expect(errors).toEqual([]);
  });
});
