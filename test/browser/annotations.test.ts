/**
 * Annotations in Chromium, against the real server in demo mode: a note added with the real
 * `shipshape annotate` is a marker on the KPI page's chart that says what it is on keyboard
 * focus and on hover, and a row of the table under the chart; the demo viewer gets no form; an
 * editor adds a note from the page and sees it appear.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnCanvases, launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { drivers } from "@/test/support/db";
import { shipshapeIn, SERVER_START_TIMEOUT, startServerOn, type RunningServer } from "@/test/support/server";

const PASSWORD = "correct horse battery";
const KPI_PAGE = "/projects/fraud-detection/kpis/time_to_restore";
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
/** Three weeks ago: inside a complete week of the trend, whatever the weekday today. */
const NOTE_DAY = day(21);
const NOTE = "moved to the new cluster (browser test)";

describe.each(drivers)("annotations in Chromium (demo mode) [%s]", (driver) => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerOn(
      driver,
      "annotations_browser",
      {
        prepare: async (context) => {
          await shipshapeIn(context, ["annotate", "--project", "fraud-detection", "--at", NOTE_DAY, "--kpi", "time_to_restore", "--text", NOTE]);
          await shipshapeIn(context, ["users", "add", "--email", "editor@example.com", "--role", "editor"], { SHIPSHAPE_PASSWORD: PASSWORD });
        },
      },
    );
    browser = await launchBrowser();
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const marker = (page: Page, text: string) => page.locator("figure.chart button.annotation-marker", { hasText: text });

  it("marks the note on the KPI chart: focus or hover says what it is, the table lists it, and a viewer gets no form", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${server.url}${KPI_PAGE}`);
    expect(await drawnCanvases(page, 1)).toEqual([true]);

    const note = marker(page, NOTE);
    await note.waitFor({ state: "attached", timeout: 60_000 });
    expect(await note.count()).toBe(1);
    // Its label says the week and the note; a screen reader reads it, a sighted user sees it on focus.
    await expect(note.getAttribute("aria-label")).resolves.toMatch(new RegExp(`^Week of \\d{1,2} \\w{3} \\d{4}: .*${NOTE.replace(/[()]/g, "\\$&")}`));
    const tip = note.locator(".annotation-tip");
    expect(await tip.isVisible()).toBe(false);
    await note.focus();
    expect(await tip.isVisible()).toBe(true);
    await expect(tip.textContent()).resolves.toContain(`Note: ${NOTE}`);
    // A release says so once: "Release v1.10.0", never "Release: Release v1.10.0".
    const tips = await page.locator(".annotation-tip").allTextContents();
    expect(tips.some((text) => /Release v1\.\d+\.0/.test(text))).toBe(true);
    expect(tips.some((text) => text.includes("Release: "))).toBe(false);
    // The marker stands over the chart's plot area, on its line.
    const [box, canvas] = await Promise.all([note.boundingBox(), page.locator("figure.chart canvas").boundingBox()]);
    expect(box!.x).toBeGreaterThan(canvas!.x);
    expect(box!.x + box!.width).toBeLessThan(canvas!.x + canvas!.width);
    await screenshot(page, `annotation-focused-${driver}`);
    await page.locator("h1").click(); // focus leaves: the tip goes
    expect(await tip.isVisible()).toBe(false);
    await note.hover();
    expect(await tip.isVisible()).toBe(true);

    // The table under the chart lists it with its day and kind.
    const table = page.getByRole("table", { name: "Events marked on the chart of Time to restore", includeHidden: true });
    const row = table.locator("tbody tr", { hasText: NOTE });
    expect(await row.count()).toBe(1);
    await expect(row.locator("td").first().textContent()).resolves.toBe("Note");
    await page.getByText(/^Marked events \(\d+\)$/).click();
    expect(await row.isVisible()).toBe(true);

    // The demo viewer sees the marks, not the form.
    expect(await page.getByRole("button", { name: "Add note" }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("the project page's small charts mark notes and target changes, not every release", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/fraud-detection`);
    expect(await drawnCanvases(page, 15)).toEqual(Array(15).fill(true));
    const restore = page.getByRole("article", { name: "Time to restore" });
    await restore.locator("button.annotation-marker", { hasText: NOTE }).waitFor({ state: "attached", timeout: 60_000 });
    const labels = await page.locator("button.annotation-marker").evaluateAll((buttons) => buttons.map((button) => button.getAttribute("aria-label")!));
    // The demo's note on every chart, its tightened target on deployment frequency; no release, no model version.
    expect(labels.filter((label) => /, moved to the new cluster(;|$)/.test(label)).length).toBe(15);
    expect(labels.filter((label) => label.includes("Target changed: 0.5/day → 1/day"))).toHaveLength(1);
    expect(labels.some((label) => /Release v|in production/.test(label))).toBe(false);
    expect(errors).toEqual([]);
  });

  it("an editor adds a note from the KPI page; it is answered beside the button and appears on the chart and in the table", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1100 } })).newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(KPI_PAGE)}`);
    await page.getByLabel("Email").fill("editor@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL(`${server.url}${KPI_PAGE}`);

    const added = "rolled the pager rota (browser test)";
    await page.getByLabel("Day").fill(day(14));
    await page.getByLabel("What happened").fill(added);
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Note added." }).waitFor()).resolves.toBeUndefined();
    await marker(page, added).waitFor({ state: "attached", timeout: 60_000 });
    const table = page.getByRole("table", { name: "Events marked on the chart of Time to restore", includeHidden: true });
    expect(await table.locator("tbody tr", { hasText: added }).count()).toBe(1);

    // The same note again is stored once; an empty text is refused in one line.
    await page.getByLabel("Day").fill(day(14));
    await page.getByLabel("What happened").fill(added);
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByRole("status").filter({ hasText: "This note is already there." }).waitFor();
    const api = await page.request.get(`${server.url}/api/projects/fraud-detection/annotations?from=${day(20)}&to=${day(1)}`);
    const notes = ((await api.json()) as { annotations: { kind: string; text: string; created_by: string }[] }).annotations.filter((a) => a.text === added);
    expect(notes).toEqual([expect.objectContaining({ kind: "note", created_by: "editor@example.com" })]);
    await screenshot(page, `annotation-form-${driver}`);
    expect(errors).toEqual([]);
  });
});
