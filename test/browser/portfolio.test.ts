import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bandLabels } from "@/lib/format/labels";
import { launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { drivers, postgresDatabase } from "@/test/support/db";
import { SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";

interface Entry {
  id: string;
  dimension: string | null;
  status: string;
  target: object | null;
  band: string | null;
}

for (const driver of drivers) {
  describe(`the portfolio table on the overview in Chromium (demo mode, ${driver})`, () => {
    let server: RunningServer;
    let browser: Browser;
    let dropDatabase: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      let env: Record<string, string> = {};
      if (driver === "postgres") {
        const database = await postgresDatabase("portfolio", { migrated: false });
        dropDatabase = database.drop;
        env = { DATABASE_URL: database.url };
      }
      server = await startServer(env);
      browser = await launchBrowser();
    }, SERVER_START_TIMEOUT);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await dropDatabase?.();
    });

    it("shows one row per project with its group, target counts and DORA bands, as the report has them", async () => {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      const table = page.getByRole("region", { name: "Portfolio" }).getByRole("table");
      const headers = await table.getByRole("columnheader").allTextContents();
      expect(headers.slice(0, 9)).toEqual([
        "Project",
        "Group",
        "Met",
        "At risk",
        "Missed",
        "Deployment frequency",
        "Lead time for changes",
        "Change failure rate",
        "Time to restore",
      ]);
      const rows = table.getByRole("row").filter({ has: page.getByRole("rowheader") });
      await expect(rows.getByRole("rowheader").allTextContents()).resolves.toEqual(["Fraud detection", "Churn prediction", "Search ranking"]);

      for (const [slug, name, group] of [
        ["fraud-detection", "Fraud detection", "Risk"],
        ["search-ranking", "Search ranking", "Growth"],
      ] as const) {
        const report = (await (await fetch(`${server.url}/api/projects/${slug}/kpis`)).json()) as { kpis: Entry[] };
        const withTarget = report.kpis.filter((entry) => entry.target !== null);
        const count = (status: string) => String(withTarget.filter((entry) => entry.status === status).length);
        const band = (id: string) => report.kpis.find((entry) => entry.id === id && entry.dimension === null)!.band;
        const row = rows.filter({ has: page.getByRole("rowheader", { name }) });
        const cells = await row.getByRole("cell").allTextContents();
        expect(cells.slice(0, 4)).toEqual([group, count("met"), count("at_risk"), count("missed")]);
        for (const [index, id] of ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore"].entries()) {
          const expected = band(id);
          expect(cells[4 + index]).toContain(expected ? bandLabels[expected as keyof typeof bandLabels] : "No data");
        }
        expect(await row.getByRole("link", { name }).getAttribute("href")).toBe(`/projects/${slug}`);
      }
      // The demo's targets give fraud detection something to count.
      const fraud = await rows.filter({ has: page.getByRole("rowheader", { name: "Fraud detection" }) }).getByRole("cell").allTextContents();
      expect(fraud.slice(1, 4).map(Number).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

      await screenshot(page, `portfolio-${driver}`);
      expect(errors).toEqual([]);
    });

    it("narrows the rows and the cards to a group with a link, keeping the window, and back to all", async () => {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(`${server.url}/?preset=7d`);
      const groups = page.getByRole("navigation", { name: "Project groups" });
      await expect(groups.getByRole("link").allTextContents()).resolves.toEqual(["All groups", "Risk", "Growth"]);
      await groups.getByRole("link", { name: "Growth" }).click();
      await page.waitForURL(/\?preset=7d&group=Growth$/);
      expect(await groups.getByRole("link", { name: "Growth" }).getAttribute("aria-current")).toBe("true");
      const rowHeaders = page.getByRole("region", { name: "Portfolio" }).getByRole("rowheader");
      await expect(rowHeaders.allTextContents()).resolves.toEqual(["Churn prediction", "Search ranking"]);
      await expect(page.getByRole("region", { name: "KPI cards" }).getByRole("heading", { level: 2 }).allTextContents()).resolves.toEqual([
        "Churn prediction",
        "Search ranking",
      ]);
      // The window picker keeps the group.
      expect(await page.getByRole("link", { name: "Last 90 days" }).getAttribute("href")).toBe("/?preset=90d&group=Growth");
      await groups.getByRole("link", { name: "All groups" }).click();
      await page.waitForURL(/\?preset=7d$/);
      await expect(rowHeaders.count()).resolves.toBe(3);

      await page.goto(`${server.url}/?group=Nope`);
      await expect(groups.getByRole("alert").textContent()).resolves.toBe('No project is in the group "Nope": one of Risk, Growth. Showing every project.');
      await expect(rowHeaders.count()).resolves.toBe(3);
      expect(errors).toEqual([]);
    });
  });
}
