import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findKpi } from "@/lib/kpis/catalog";
import { drawnCanvases, launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { shipshapeIn, SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";

const HOUR = 3_600_000;
/** An incident title as an attacker would write it: it must be shown as text, never run. */
const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;

describe("the KPI page in Chromium (demo mode plus a hostile incident)", () => {
  let server: RunningServer;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "shipshape-kpi-page-"));

  beforeAll(async () => {
    // Started three days ago and resolved two hours later: inside the default window (last 28 days).
    const started = Date.now() - 3 * 24 * HOUR;
    const incident = {
      type: "incident",
      id: "INC-HOSTILE",
      service: "fraud-api",
      started_at: new Date(started).toISOString().replace(/\.\d+Z$/, "Z"),
      resolved_at: new Date(started + 2 * HOUR).toISOString().replace(/\.\d+Z$/, "Z"),
      title: HOSTILE,
    };
    const file = join(dir, "incidents.jsonl");
    writeFileSync(file, `${JSON.stringify(incident)}\n`);
    server = await startServer(
      {},
      { prepare: (context) => shipshapeIn(context, ["ingest", file]) },
    );
    browser = await launchBrowser();
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("explains the value: the definition, a chart with deployments and incidents, and exactly the events behind it", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/fraud-detection/kpis/time_to_restore`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Time to restore");
    await expect(page.locator(".definition").textContent()).resolves.toBe(findKpi("time_to_restore")!.description);

    const drill = await (await fetch(`${server.url}/api/projects/fraud-detection/kpis/time_to_restore/events`)).json();
    const rows = page.getByRole("region", { name: "The events behind this number" }).getByRole("row");
    expect(await rows.count()).toBe(drill.events.length + 1);
    await expect(page.getByRole("region", { name: "The value" }).textContent()).resolves.toContain(`Computed from ${drill.sample_size} events`);

    // The hostile title is there, as text; nothing of it ran or loaded.
    const hostile = rows.filter({ hasText: "INC-HOSTILE" });
    await expect(hostile.getByRole("cell").nth(1).textContent()).resolves.toBe(HOSTILE);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("main img").count()).toBe(0);

    expect(await drawnCanvases(page, 1)).toEqual([true]);
    const legend = page.locator("figure.chart table:not(.annotations) thead"); // the numbers; the marked events have their own table
    await expect(legend.textContent()).resolves.toBe("Week startingTime to restoreTargetProduction deploymentsIncidents resolved");

    await screenshot(page, "kpi");
    expect(errors).toEqual([]);
  });

  it("links events back to GitHub and Jira by their own address, and only over http(s)", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/fraud-detection/kpis/bug_fixes?preset=90d`);
    const links = page.getByRole("region", { name: "The events behind this number" }).getByRole("link");
    const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href")!));
    expect(hrefs.length).toBeGreaterThan(1);
    for (const href of hrefs.slice(1)) expect(href).toMatch(/^https:\/\/(github\.com\/acme\/fraud-|acme\.atlassian\.net\/browse\/FRD-)/);
    expect(hrefs[0]).toMatch(/^\/api\/projects\/fraud-detection\/kpis\/bug_fixes\/events\?from=/); // "Download as JSON"
    expect(errors).toEqual([]);
  });

  it("lists per-model entries, and answers an unknown KPI with 404", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/fraud-detection/kpis/model_quality`);
    const entries = page.getByRole("table", { name: "Values per model metric" }).getByRole("row");
    // No "whole project" row: model quality has values per metric only.
    await expect(page.getByRole("region", { name: "The value" }).getByText("has no value for the whole project").count()).resolves.toBe(1);
    expect(await entries.count()).toBe(1 + 3); // header, three fraud-xgb metrics
    await entries.getByRole("link", { name: "fraud-xgb/auc" }).click();
    await page.waitForURL(/dimension=fraud-xgb%2Fauc/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Model quality — fraud-xgb/auc");
    expect(await entries.count()).toBe(1 + 3);
    // Another window keeps the metric.
    await page.getByRole("link", { name: "Last 90 days" }).click();
    await page.waitForURL(/preset=90d&dimension=fraud-xgb%2Fauc/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Model quality — fraud-xgb/auc");
    await screenshot(page, "kpi-model-quality");
    expect(errors).toEqual([]);
    expect((await page.goto(`${server.url}/projects/fraud-detection/kpis/nope`))!.status()).toBe(404);
  });

  it("shows the models' production history on model iterations shipped: which version was live, from when to when", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/fraud-detection/kpis/model_iterations_shipped`);
    const history = page.getByRole("region", { name: "Production history" });
    const rows = history.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(10); // weekly retrains over six months
    // Newest first: only the first is still live, and it is on the production alias.
    await expect(rows.first().textContent()).resolves.toMatch(/^fraud-xgb\d+.*live now.*alias production.*auc 0\.\d+/);
    await expect(history.getByText("live now").count()).resolves.toBe(1);
    // Every version shipped in the window began a span in it: the highlighted rows are at least as many.
    const drill = await (await fetch(`${server.url}/api/projects/fraud-detection/kpis/model_iterations_shipped/events`)).json();
    expect(drill.sample_size).toBeGreaterThan(0);
    expect(await history.locator("tbody tr.in-window").count()).toBeGreaterThanOrEqual(drill.sample_size);
    await history.scrollIntoViewIfNeeded();
    await expect(page.getByRole("region", { name: "The events behind this number" }).getByRole("cell", { name: "MLflow", exact: true }).count()).resolves.toBe(drill.events.length);
    await screenshot(page, "kpi-model-history");
    expect(errors).toEqual([]);
  });
});
