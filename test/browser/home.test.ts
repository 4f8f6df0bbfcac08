import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
