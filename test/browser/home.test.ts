import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatValue } from "@/lib/format/values";
import { kpiIds } from "@/lib/kpis/ids";
import { launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";

describe("the overview in Chromium (demo mode)", () => {
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

  it("shows every project's KPIs as cards by pillar, with the numbers of the report", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("KPI overview");
    // The portfolio table comes first (test/browser/portfolio.test.ts); the cards follow, a region of their own.
    await expect(page.getByRole("heading", { level: 2 }).first().textContent()).resolves.toBe("Portfolio");
    const cards = page.getByRole("region", { name: "KPI cards" });
    const projects = await cards.getByRole("heading", { level: 2 }).allTextContents();
    expect(projects).toEqual(["Fraud detection", "Churn prediction", "Search ranking"]);

    const fraud = page.getByRole("region", { name: "Fraud detection" });
    // The cards stream in as each project's report is ready: wait for its last pillar.
    await fraud.getByRole("heading", { level: 3, name: "Data" }).waitFor();
    await expect(fraud.getByRole("heading", { level: 3 }).allTextContents()).resolves.toEqual(["Delivery (DORA)", "Code", "Model", "Data"]);
    expect(await fraud.getByRole("heading", { level: 4 }).count()).toBe(kpiIds.length);
    expect(await fraud.getByText("Time zone Europe/Berlin").count()).toBe(1);

    // The card says what the report says: value with its unit, status in words, the target, the band.
    const report = await (await fetch(`${server.url}/api/projects/fraud-detection/kpis`)).json();
    const frequency = report.kpis.find((k: { id: string }) => k.id === "deployment_frequency");
    const card = fraud.getByRole("listitem").filter({ has: page.getByRole("link", { name: "Deployment frequency" }) });
    const text = await card.textContent();
    expect(text).toContain(formatValue(frequency.value, "per_day"));
    expect(text).toContain({ met: "Target met", at_risk: "At risk", missed: "Target missed" }[frequency.status as string]);
    expect(text).toContain(`Target ≥ ${formatValue(frequency.target.value, "per_day")}`);
    expect(text).toContain(`DORA ${frequency.band[0].toUpperCase()}${frequency.band.slice(1)}`);
    expect(text).toMatch(/vs previous 28 days/);
    expect(await card.getByRole("link").getAttribute("href")).toBe("/projects/fraud-detection/kpis/deployment_frequency");

    await screenshot(page, "home");
    expect(errors).toEqual([]);
  });

  it("changes the window with a preset or a custom range, and explains a bad one", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    await page.getByRole("link", { name: "Last 7 days" }).click();
    await page.waitForURL(/preset=7d/);
    expect(await page.getByRole("link", { name: "Last 7 days" }).getAttribute("aria-current")).toBe("true");
    await expect(page.getByText(/vs previous 7 days/).count()).resolves.toBeGreaterThan(0);
    // The cards and the portfolio table link on with the same window.
    expect(await page.getByRole("region", { name: "KPI cards" }).getByRole("link", { name: "Fraud detection" }).getAttribute("href")).toBe(
      "/projects/fraud-detection?preset=7d",
    );
    expect(await page.getByRole("table").getByRole("link", { name: "Fraud detection" }).getAttribute("href")).toBe("/projects/fraud-detection?preset=7d");

    // A custom range through the form, by keyboard.
    // In the window picker: the portfolio's sparklines are labelled too ("Time to restore, …").
    const picker = page.getByRole("region", { name: "Report window" });
    await picker.getByLabel("From").fill("2026-09-01");
    await picker.getByLabel("To").fill("2026-09-30");
    await page.getByRole("button", { name: "Show range" }).press("Enter");
    await page.waitForURL(/preset=custom&from=2026-09-01&to=2026-09-30/);
    await expect(page.locator(".window-now").textContent()).resolves.toContain("1 Sept – 30 Sept 2026 (30 days)");

    const bad = await page.goto(`${server.url}/?from=2026-02-30&to=2026-03-01`);
    expect(bad!.status()).toBe(200);
    await expect(page.getByRole("region", { name: "Report window" }).getByRole("alert").textContent()).resolves.toBe(
      "Dates must be real calendar dates written YYYY-MM-DD: showing the last 28 days instead.",
    );
    expect(errors).toEqual([]);
  });

  it("answers the health check", async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("serves the report, its CSV and its drill-down over real HTTP, with the same numbers", async () => {
    const projects = await (await fetch(`${server.url}/api/projects`)).json();
    expect(JSON.stringify(projects)).toContain("fraud-detection");
    // The default window (28 days ending yesterday) lies inside the demo's six months.
    const report = await (await fetch(`${server.url}/api/projects/fraud-detection/kpis`)).json();
    expect(report).toMatchObject({ project: "fraud-detection", timezone: "Europe/Berlin", days: 28 });
    const query = `from=${report.from}&to=${report.to}`;
    expect([...new Set(report.kpis.map((k: { id: string }) => k.id))]).toEqual(kpiIds);

    const csv = await fetch(`${server.url}/api/projects/fraud-detection/kpis.csv?${query}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect((await csv.text()).split("\n")[0]).toMatch(/^project,from,to,timezone,days,id,/);

    const frequency = report.kpis.find((k: { id: string }) => k.id === "deployment_frequency");
    const events = await (await fetch(`${server.url}/api/projects/fraud-detection/kpis/deployment_frequency/events?${query}`)).json();
    expect(frequency.sample_size).toBeGreaterThan(0);
    expect(events.events).toHaveLength(frequency.sample_size);

    expect((await fetch(`${server.url}/api/projects/nope/kpis`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/projects/fraud-detection/kpis?from=2026-02-30`)).status).toBe(400);
  });
});
