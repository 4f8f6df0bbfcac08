import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnCanvases, launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";

/** Every KPI has a chart but model quality, whose project line has no value (one per model metric). */
const CHARTS = 15;
const WEEKS = 26;

describe("the project page in Chromium (demo mode)", () => {
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

  it("shows every KPI with its weekly trend drawn, the DORA bands and what data is missing", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    const response = await page.goto(`${server.url}/projects/fraud-detection`);
    expect(response!.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Fraud detection");
    await expect(page.getByText("time zone Europe/Berlin", { exact: false }).count()).resolves.toBe(1);

    const report = await (await fetch(`${server.url}/api/projects/fraud-detection/kpis`)).json();
    const lead = report.kpis.find((k: { id: string }) => k.id === "lead_time_for_changes");
    const { deployments, without_commit } = lead.coverage;
    expect(without_commit).toBeGreaterThan(0); // the demo leaves some deployments without a commit
    const missing = page.getByRole("region", { name: "What data is missing" });
    await expect(missing.textContent()).resolves.toContain(`${without_commit} of ${deployments} production deployments carry no commit SHA; lead time ignores them.`);

    const dora = page.getByRole("region", { name: "DORA performance" });
    await expect(dora.getByText(/^DORA (Elite|High|Medium|Low)$/).count()).resolves.toBe(4);

    expect(await drawnCanvases(page, CHARTS)).toEqual(Array(CHARTS).fill(true));
    // Screen readers get a summary of each chart, and the table below it.
    const canvas = page.getByRole("article", { name: "Deployment frequency" }).locator("canvas");
    expect(await canvas.getAttribute("role")).toBe("img");
    expect(await canvas.getAttribute("aria-label")).toMatch(
      /^Deployment frequency per week from \d{1,2} \w+( \d{4})? – \d{1,2} \w+ \d{4}; last week [\d.]+ \/ day\. The numbers are in the table below\.$/,
    );
    // Each chart has its numbers as a table: a row per week, and the target where one is set.
    const frequency = page.getByRole("article", { name: "Deployment frequency" });
    await frequency.getByText("Weekly numbers as a table").click();
    const rows = frequency.getByRole("table").getByRole("row");
    expect(await rows.count()).toBe(WEEKS + 1);
    await expect(rows.last().textContent()).resolves.toMatch(/\/ day.*1 \/ day$/); // the demo's target: 1 a day

    await screenshot(page, "project");
    expect(errors).toEqual([]);
  });

  it("honours the window of the query, and links on with it", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/fraud-detection?preset=7d`);
    expect(await page.getByRole("link", { name: "Last 7 days" }).getAttribute("aria-current")).toBe("true");
    await expect(page.getByText(/vs previous 7 days/).count()).resolves.toBeGreaterThan(10);
    expect(await page.getByRole("link", { name: "Lead time for changes" }).getAttribute("href")).toBe(
      "/projects/fraud-detection/kpis/lead_time_for_changes?preset=7d",
    );
    expect(errors).toEqual([]);
  });

  it("serves the weekly trends the charts draw, and explains a missing project", async () => {
    const trends = await (await fetch(`${server.url}/api/projects/churn-prediction/trends?weeks=4&kpis=deployment_frequency`)).json();
    expect(trends.weeks).toHaveLength(4);
    expect(trends.series.map((s: { id: string }) => s.id)).toEqual(["deployment_frequency"]);
    // deployment_frequency is deployments ÷ 7 each week; its sample size is the week's deployments.
    const [series] = trends.series;
    series.values.forEach((value: number, week: number) => expect(value * 7).toBeCloseTo(series.samples[week], 9));

    expect((await fetch(`${server.url}/api/projects/churn-prediction/trends?weeks=0`)).status).toBe(400);
    expect((await fetch(`${server.url}/api/projects/nope/trends`)).status).toBe(404);
    const page = await browser.newPage();
    expect((await page.goto(`${server.url}/projects/nope`))!.status()).toBe(404);
  });
});
