import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";
import { startConfiguredServer } from "./configured-server";

/** Pixels of each series' exact bar colour on the chart's canvas (0 for both = a blank chart). */
async function barPixels(page: Page): Promise<{ current: number; previous: number }> {
  return page.locator(".retro-chart canvas").evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    const counts = { current: 0, previous: 0 };
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r === 0x0f && g === 0x4c && b === 0x81) counts.current++;
      if (r === 0x7b && g === 0x87 && b === 0x94) counts.previous++;
    }
    return counts;
  });
}

/** The cells of the table under a heading's section, row by row (header row first). */
async function tableRows(page: Page, section: string, table = 0): Promise<string[][]> {
  const rows = page.getByRole("region", { name: section }).locator("table").nth(table).locator("tr");
  return rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? "").trim())));
}

describe("retro view in Chromium (demo mode)", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("draws the last 14 days against the previous sprint, with the report's numbers", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    const response = await page.goto(`${server.url}/projects/fraud-detection/retro`);
    expect(response!.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Retro — Fraud detection");
    await page.locator(".retro-chart canvas").waitFor();
    const pixels = await barPixels(page);
    expect(pixels.current).toBeGreaterThan(200);
    expect(pixels.previous).toBeGreaterThan(200);

    // The default window: 14 days; the table alternative lists each day of both sprints.
    const from = await page.getByLabel("From").inputValue();
    const to = await page.getByLabel("To").inputValue();
    const days = await tableRows(page, "Deployments per day");
    expect(days).toHaveLength(15);
    expect(days[1]![0]).toBe("1");
    const perDay = days.slice(1).map((cells) => Number(cells[2]));
    const report = await (await fetch(`${server.url}/api/projects/fraud-detection/kpis?from=${from}&to=${to}`)).json();
    expect(report.days).toBe(14);
    const frequency = report.kpis.find((kpi: { id: string }) => kpi.id === "deployment_frequency");
    expect(perDay.reduce((sum, n) => sum + n, 0)).toBe(frequency.sample_size);

    const summary = await tableRows(page, "The sprint in numbers");
    expect(summary.map((cells) => cells[0]!.replace(/ \(.*\)$/, ""))).toEqual([
      "Measure",
      "Deployments",
      "Deployment frequency",
      "Lead time for changes",
      "Change failure rate",
      "Failed deployments",
      "Failed rollouts",
      "Incidents",
      "Time to restore",
    ]);
    expect(summary[1]![1]).toBe(String(frequency.sample_size));
    const failureRate = report.kpis.find((kpi: { id: string }) => kpi.id === "change_failure_rate");
    expect(summary[4]![1]).toBe(`${failureRate.value.toFixed(1)} %`);
    expect(summary[4]![2]).toBe(`${failureRate.previous.toFixed(1)} %`);

    await screenshot(page, "retro");
    const canvasSize = () => page.locator(".retro-chart canvas").evaluate((canvas: HTMLCanvasElement) => [canvas.width, canvas.height]);
    const screenSize = await canvasSize();
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("header.site").isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Print", exact: true }).isVisible()).toBe(false);
    expect(await page.locator(".retro-chart canvas").isVisible()).toBe(true);
    // Printing redraws the chart at the A4 text width (180 mm = 680 px), and back afterwards.
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    await expect.poll(canvasSize).toEqual([680, 264]);
    const printed = await barPixels(page);
    expect(printed.current).toBeGreaterThan(100);
    expect(printed.previous).toBeGreaterThan(100);
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await screenshot(page, "retro-print");
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect.poll(canvasSize).toEqual(screenSize);
    expect(errors).toEqual([]);
  });

  it("is usable from the keyboard and opens the print dialog from its button", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.addInitScript(() => {
      window.print = () => document.body.setAttribute("data-printed", "yes");
    });
    await page.goto(`${server.url}/projects/fraud-detection/retro?from=2026-01-05&to=2026-01-18`);
    // Tab order (a date field takes one Tab per part: day, month, year).
    const focused: string[] = [];
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press("Tab");
      // Only the page's own controls: the site header's links are the layout's business.
      const name = await page.evaluate(() => {
        const active = document.activeElement;
        if (!active?.closest("main")) return null;
        return active.getAttribute("name") ?? active.textContent ?? "";
      });
      if (name !== null && focused.at(-1) !== name) focused.push(name);
    }
    expect(focused.slice(0, 6)).toEqual(["Projects", "Fraud detection", "Print", "from", "to", "Show sprint"]);
    await page.getByRole("button", { name: "Print", exact: true }).focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("body").getAttribute("data-printed")).toBe("yes");

    // Another window through the form, by keyboard.
    await page.getByLabel("From").fill("2026-01-19");
    await page.getByLabel("To").fill("2026-01-25");
    await page.getByRole("button", { name: "Show sprint" }).press("Enter");
    await page.waitForURL(/from=2026-01-19&to=2026-01-25/);
    expect(await page.locator("main .meta").first().textContent()).toContain("Mon 19 Jan 2026 – Sun 25 Jan 2026 (7 days, Europe/Berlin)");
    expect(await tableRows(page, "Deployments per day")).toHaveLength(8);
    expect(errors).toEqual([]);
  });

  it("explains a bad window in one line instead of failing, and 404s an unknown project", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/fraud-detection/retro?from=2026-02-30&to=2026-03-10`);
    await expect(page.getByRole("alert").filter({ hasText: "Cannot" }).textContent()).resolves.toBe("Cannot show this window: from: must be a date YYYY-MM-DD.");
    await page.goto(`${server.url}/projects/fraud-detection/retro?from=2026-03-10&to=2026-03-01`);
    await expect(page.getByRole("alert").filter({ hasText: "Cannot" }).textContent()).resolves.toBe("Cannot show this window: from (2026-03-10) is after to (2026-03-01).");
    expect(await page.getByLabel("From").inputValue()).toBe("2026-03-10");
    await screenshot(page, "retro-bad-window");
    expect(errors).toEqual([]);
    expect((await fetch(`${server.url}/projects/nope/retro`)).status).toBe(404);
  });
});

describe("retro view of a configured project", () => {
  let server: Awaited<ReturnType<typeof startConfiguredServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startConfiguredServer();
    browser = await launchBrowser();
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the log's sprint with hand-counted numbers, and source titles as text", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    let alerted = false;
    page.on("dialog", async (dialog) => {
      alerted = true;
      await dialog.dismiss();
    });
    await page.goto(`${server.url}/projects/checkout/retro`);
    await page.locator(".retro-chart canvas").waitFor();
    const summary = await tableRows(page, "The sprint in numbers");
    const row = (name: string) => summary.find((cells) => cells[0]!.startsWith(name))!;
    expect(row("Deployments ")).toEqual(["Deployments (completed, to production)", "13", "7", "▲ +6 (better)"]);
    expect(row("Failed deployments")).toEqual(["Failed deployments (rolled back, incident or reverted)", "2", "0", "▲ +2 (worse)"]);
    expect(row("Incidents")).toEqual(["Incidents (started in the sprint)", "1", "0", "▲ +1 (worse)"]);
    expect(row("Time to restore")).toEqual(["Time to restore (median, incidents resolved in the sprint)", "2 h", "no data", "—"]);

    const incidents = await tableRows(page, "Incidents");
    expect(incidents[1]![1]).toBe(server.scriptTitle);
    expect(await page.getByRole("region", { name: "Incidents" }).locator("script").count()).toBe(0);
    const failed = await tableRows(page, "Failed deployments");
    expect(failed.slice(1).map((cells) => cells[2])).toEqual(["chk-d-5", "chk-d-3"]);
    expect(alerted).toBe(false);
    await screenshot(page, "retro-configured");
    expect(errors).toEqual([]);
  });
});
