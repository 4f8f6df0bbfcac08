import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatShortDay } from "@/lib/format/dates";
import { bandLabels } from "@/lib/format/labels";
import { formatValue } from "@/lib/format/values";
import type { Unit } from "@/lib/kpis/kpi";
import { launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { drivers } from "@/test/support/db";
import { SERVER_START_TIMEOUT, startServerOn, type RunningServer } from "@/test/support/server";

interface Entry {
  id: string;
  dimension: string | null;
  status: string;
  forecast: { status: string } | null;
  target: object | null;
  band: string | null;
}

for (const driver of drivers) {
  describe(`the portfolio table on the overview in Chromium (demo mode, ${driver})`, () => {
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await startServerOn(driver, "portfolio");
      browser = await launchBrowser();
    }, SERVER_START_TIMEOUT);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it("shows one row per project with its group, target counts and DORA bands, as the report has them", async () => {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      const table = page.getByRole("region", { name: "Portfolio" }).getByRole("table");
      const headers = await table.getByRole("columnheader").allTextContents();
      expect(headers.slice(0, 10)).toEqual([
        "Project",
        "Group",
        "Met",
        "At risk",
        "Missed",
        "Off track",
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
        const offTrack = String(withTarget.filter((entry) => entry.forecast?.status === "off_track").length);
        expect(cells.slice(0, 5)).toEqual([group, count("met"), count("at_risk"), count("missed"), offTrack]);
        for (const [index, id] of ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore"].entries()) {
          const expected = band(id);
          expect(cells[5 + index]).toContain(expected ? bandLabels[expected as keyof typeof bandLabels] : "No data");
        }
        expect(await row.getByRole("link", { name }).getAttribute("href")).toBe(`/projects/${slug}`);
      }
      // The demo's targets give fraud detection something to count, and its due-dated targets some off track.
      const fraud = await rows.filter({ has: page.getByRole("rowheader", { name: "Fraud detection" }) }).getByRole("cell").allTextContents();
      expect(fraud.slice(1, 4).map(Number).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(Number(fraud[4])).toBeGreaterThan(0);

      await screenshot(page, `portfolio-${driver}`);
      expect(errors).toEqual([]);
    });

    it("draws a sparkline per headline KPI of the last 12 weeks, labelled with its first and last value", async () => {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      const row = (name: string) => page.getByRole("region", { name: "Portfolio" }).getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
      // Fraud detection has the default headline, the five DORA KPIs; search ranking names its own, in its order.
      const fraud = row("Fraud detection").locator("figure.sparkline");
      await fraud.first().waitFor();
      await expect(fraud.evaluateAll((figures) => figures.map((f) => f.getAttribute("data-kpi")))).resolves.toEqual([
        "deployment_frequency",
        "lead_time_for_changes",
        "change_failure_rate",
        "time_to_restore",
        "rework_rate",
      ]);
      const search = row("Search ranking").locator("figure.sparkline");
      // Each row's sparklines arrive from their own trends request: wait for this row's too.
      await search.first().waitFor();
      await expect(search.locator("figcaption").allTextContents()).resolves.toEqual([
        "Deployment frequency",
        "Lead time for changes",
        "Change failure rate",
        "Model iterations shipped",
        "Data freshness lag",
      ]);

      // The label says the first and the last week's value, as the trends API has them.
      const trend = (await (await fetch(`${server.url}/api/projects/fraud-detection/trends?weeks=12&kpis=deployment_frequency`)).json()) as {
        weeks: { from: string }[];
        series: { unit: Unit; values: (number | null)[] }[];
      };
      const [series] = trend.series;
      const known = series!.values.flatMap((value, index) => (value === null ? [] : [{ value, from: trend.weeks[index]!.from }]));
      expect(known.length).toBeGreaterThan(1);
      const at = (point: (typeof known)[number]) => `${formatValue(point.value, "per_day")} in the week of ${formatShortDay(point.from)}`;
      const label = `Deployment frequency, 12 weeks: ${at(known[0]!)}, ${at(known.at(-1)!)}`;
      const image = row("Fraud detection").getByRole("img", { name: label });
      await expect(image.count()).resolves.toBe(1);
      // A drawn line, and the last value beside it.
      expect(await image.locator("polyline").count()).toBeGreaterThan(0);
      await expect(fraud.first().locator(".sparkline-last").textContent()).resolves.toBe(formatValue(known.at(-1)!.value, "per_day"));
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
