/**
 * The preview page and the unsubscribe flow over the real server (demo mode on a PostgreSQL
 * database this test also opens) in Chromium: the preview shows the email with its charts and
 * the same subject as the text part; opening an unsubscribe link changes nothing, its button
 * and the RFC 8058 one-click POST unsubscribe without signing in; a forged token is refused; the
 * sources page shows each week's sends and failures.
 */
import { and, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { digestSends, subscriptions } from "@/db/schema";
import { unsubscribeToken } from "@/lib/digest/unsubscribe-token";
import { launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { freshStore } from "@/test/support/db";
import { SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";

const PROJECT = "fraud-detection";
const ANA = "ana@acme.example";

describe("weekly email pages in Chromium (demo mode)", () => {
  let database: Awaited<ReturnType<typeof freshStore>>;
  let store: Store;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    database = await freshStore("postgres");
    store = database.store;
    server = await startServer({ DATABASE_URL: store.location.replace(":***@", "@") });
    browser = await launchBrowser();
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  const subscribed = async () =>
    (await store.db.select().from(subscriptions).where(and(eq(subscriptions.project, PROJECT), eq(subscriptions.email, ANA)))).length === 1;

  it("previews the email with its charts, and the text part has the same subject", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/${PROJECT}/digest?week=2026-11-18`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Fraud detection: weekly email");
    const subject = (await page.getByText("Subject:").locator("..").textContent())!.replace("Subject: ", "");
    expect(subject).toMatch(/^Fraud detection: /);
    expect(await page.locator("#subscription").count()).toBe(1);
    const email = page.frameLocator("iframe");
    await expect(email.getByText("Every KPI").count()).resolves.toBe(1);
    // The two charts of every email, then one per KPI whose project target is off track for its
    // due date (drawn with its forecast; the demo's due dates put some there): each is in the
    // email's off-track section.
    const charts = email.locator("img");
    const titles = (await charts.evaluateAll((images) => images.map((image) => (image as HTMLImageElement).alt))).map((alt) => alt.replace(/ by week .*$/, ""));
    expect(titles.slice(0, 2)).toEqual(["Deployment frequency", "Lead time for changes"]);
    const textPart = await (await fetch(`${server.url}/api/projects/${PROJECT}/digest?week=2026-11-18&format=text`)).text();
    const offTrack = textPart.split("OFF TRACK FOR THEIR DUE DATE\n")[1]?.split("\n\n")[0] ?? "";
    for (const title of titles.slice(2)) expect(offTrack).toContain(`- ${title} (`);
    for (const width of await charts.evaluateAll((images) => images.map((image) => (image as HTMLImageElement).naturalWidth))) expect(width).toBe(560);
    // The frame is as tall as the email: nothing cut off, no scroll bar inside it. First the
    // email with its images loaded (slow on a loaded machine), then the frame fitted to it.
    await page.waitForFunction(() => {
      const email = document.querySelector("iframe")!.contentDocument;
      return Boolean(email?.documentElement && email.readyState === "complete" && [...email.images].every((image) => image.complete));
    }, undefined, { timeout: 60_000 });
    const fitted = () => {
      const frame = document.querySelector("iframe")!;
      const email = frame.contentDocument!.documentElement;
      return { frame: frame.getBoundingClientRect().height, inner: email.clientHeight, email: email.scrollHeight };
    };
    await page.waitForFunction(() => {
      const email = document.querySelector("iframe")!.contentDocument!.documentElement;
      return email.clientHeight >= email.scrollHeight;
    }, undefined, { timeout: 60_000 }).catch(() => undefined); // the assertions below say by how much it did not fit
    const sizes = await page.evaluate(fitted);
    expect(sizes.email).toBeGreaterThan(1500); // taller than the fixed frame it had
    expect(sizes.frame).toBeGreaterThanOrEqual(sizes.email);
    expect(sizes.inner).toBeGreaterThanOrEqual(sizes.email);
    await screenshot(page, "digest-preview");
    expect(errors).toEqual([]);

    const text = await fetch(`${server.url}/api/projects/${PROJECT}/digest?week=2026-11-16&format=text`);
    expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect((await text.text()).split("\n")[0]).toBe(`Subject: ${subject}`);
    expect((await fetch(`${server.url}/api/projects/nope/digest`)).status).toBe(404);
  });

  it("unsubscribes with the button or a one-click POST, never by opening the link", async () => {
    await store.db.insert(subscriptions).values({ project: PROJECT, email: ANA });
    const token = await unsubscribeToken(store, PROJECT, ANA);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    // The link in the List-Unsubscribe header, opened: it only leads to the page.
    await page.goto(`${server.url}/api/unsubscribe?token=${encodeURIComponent(token)}`);
    await expect(page.getByText(`Stop sending the weekly summary of Fraud detection to ${ANA}?`).count()).resolves.toBe(1);
    expect(await subscribed()).toBe(true);
    await screenshot(page, "unsubscribe-confirm");
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.getByRole("heading", { name: "Unsubscribed" }).waitFor();
    expect(await subscribed()).toBe(false);
    expect(errors).toEqual([]);

    await store.db.insert(subscriptions).values({ project: PROJECT, email: ANA });
    const oneClick = await fetch(`${server.url}/api/unsubscribe?token=${encodeURIComponent(token)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ unsubscribed: { project: PROJECT, email: ANA } });
    expect(await subscribed()).toBe(false);

    const forged = token.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    const refused = await fetch(`${server.url}/api/unsubscribe?token=${encodeURIComponent(forged)}`, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: "this unsubscribe link is not valid" });
    await page.goto(`${server.url}/unsubscribe?token=${encodeURIComponent(forged)}`);
    await expect(page.getByText("This unsubscribe link is not valid.", { exact: false }).count()).resolves.toBe(1);
  });

  // The sources page reports how the weekly email went: set up the sends directly in the shared database.
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
