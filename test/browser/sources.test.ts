import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";
import { startConfiguredServer } from "./configured-server";

describe("sources page in Chromium", () => {
  let demo: RunningServer;
  let configured: Awaited<ReturnType<typeof startConfiguredServer>>;
  let browser: Browser;

  beforeAll(async () => {
    // One after the other: the first start may build the app, and two builds cannot run at once.
    demo = await startServer();
    configured = await startConfiguredServer();
    browser = await launchBrowser();
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    await configured?.stop();
  });

  it("explains in demo mode what to configure in shipshape.yaml", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${demo.url}/sources`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Sources");
    const empty = page.getByRole("region", { name: "No sources configured" });
    expect(await empty.textContent()).toContain("Demo mode: no shipshape.yaml was found");
    const example = await empty.locator("pre").textContent();
    expect(example).toMatch(/^sources:\n {2}github:\n/);
    expect(example).toContain("deploy_logs:\n    paths: [logs/deploys/*.jsonl]");
    expect(example).toContain("token: ${GITHUB_TOKEN}");
    await screenshot(page, "sources-demo");
    expect(errors).toEqual([]);
  });

  it("lists each configured source with its schedule and its runs, errors included", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${configured.url}/sources`);
    const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
    expect(headings).toEqual(["Jira", "Deployment log files", "Weekly email delivery"]);

    const logs = page.getByRole("region", { name: "Deployment log files" });
    const facts = await logs.locator("dl").evaluate((dl) => [...dl.children].map((child) => child.textContent));
    expect(facts.slice(0, 6)).toEqual(["Reads", configured.logs, "Schedule", "0 3 * * *", "Next run", expect.stringMatching(/03:00:00$/)]);
    expect(facts.slice(6)).toEqual(["Last error", "none"]);
    const logRuns = await logs.locator("tbody tr").evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent)));
    // The catch-up run at start read the file.
    expect(logRuns).toHaveLength(1);
    expect(logRuns[0]!.slice(2, 4)).toEqual(["schedule", "succeeded"]);
    expect(logRuns[0]![4]).toBe(`${configured.logs} 21`); // records per stream (file): 20 deployments and 1 incident

    const jira = page.getByRole("region", { name: "Jira" });
    const jiraRun = await jira.locator("tbody tr").first().evaluate((row) => [...row.children].map((cell) => cell.textContent ?? ""));
    expect(jiraRun[3]).toBe("failed");
    expect(jiraRun[6]!.length).toBeGreaterThan(0);
    expect(await jira.locator("dd").nth(3).textContent()).toContain(jiraRun[6]!);
    // The page shows the run's error as GET /api/sources has it, one element per failed part.
    const api = (await (await fetch(`${configured.url}/api/sources`)).json()) as { sources: { source: string; runs: { error: string | null }[] }[] };
    const apiError = api.sources.find((source) => source.source === "jira")!.runs[0]!.error!;
    expect(await jira.locator("tbody tr").first().locator(".error-line").allTextContents()).toEqual(apiError.split("\n"));
    expect(await jira.textContent()).not.toContain("not-a-token");

    await screenshot(page, "sources");
    expect(errors).toEqual([]);
  });
});
