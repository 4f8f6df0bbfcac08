import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kpiIds } from "../../lib/kpis/ids";
import { browserAvailable, launchBrowser, screenshot, watchErrors } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

describe.runIf(browserAvailable)("first page in Chromium (demo mode)", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lists the demo projects with their recent deployments from the database", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Projects");
    const projects = await page.getByRole("heading", { level: 2 }).allTextContents();
    expect(projects).toEqual(["Fraud detection", "Churn prediction", "Search ranking"]);
    const fraud = page.getByRole("region", { name: "Fraud detection" });
    const rows = fraud.getByRole("row");
    expect(await rows.count()).toBe(11); // header + the 10 most recent
    expect(await fraud.getByText("Europe/Berlin").count()).toBe(1);
    await screenshot(page, "home");
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
