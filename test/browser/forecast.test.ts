/**
 * Owners, due dates and forecasts as a person sees them, in Chromium against the real server
 * in demo mode, on each database: the KPI page's dashed forecast with its band and words, the
 * targets page listing targets by due date with owner and forecast, and an editor setting an
 * owner and a due date through the form.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "@/lib/report/build";
import { forecastWords } from "@/lib/targets/forecast";
import { formatDay } from "@/lib/format/dates";
import { shiftDate } from "@/lib/time/window";
import { drawnCanvases, launchBrowser, pixelsOfColour, screenshot, watchErrors } from "@/test/support/browser";
import { drivers } from "@/test/support/db";
import { shipshapeIn, SERVER_START_TIMEOUT, startServerOn, type RunningServer } from "@/test/support/server";

const PASSWORD = "correct horse battery";
const PROJECT = "fraud-detection";
/** The forecast line's colour (lib/targets/forecast-chart.ts), #6a3d9a. */
const FORECAST_RGB: [number, number, number] = [0x6a, 0x3d, 0x9a];

const today = new Date().toISOString().slice(0, 10);
const SOON = shiftDate(today, 30);
const LATER = shiftDate(today, 90);

for (const driver of drivers) {
  describe(`owners, due dates and forecasts in Chromium [${driver}]`, () => {
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await startServerOn(driver, "forecast_browser", {
        prepare: async (context) => {
          await shipshapeIn(context, ["users", "add", "--email", "editor@example.com", "--role", "editor"], { SHIPSHAPE_PASSWORD: PASSWORD });
          const set = (kpi: string, value: string, owner: string, due: string) =>
            shipshapeIn(context, ["targets", "set", "--project", PROJECT, "--kpi", kpi, "--value", value, "--owner", owner, "--due", due]);
          // KPIs the demo sets no target for: a first target judges the default window, which ended yesterday.
          await set("features_shipped", "12", "Ana Lima", LATER);
          await set("model_iterations_shipped", "3", "bo@example.com", SOON);
        },
      });
      browser = await launchBrowser();
    }, SERVER_START_TIMEOUT);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    /** The report the pages read (the default window), from the API. */
    const report = async (): Promise<Report> => (await fetch(`${server.url}/api/projects/${PROJECT}/kpis`)).json() as Promise<Report>;

    it("the KPI page draws the forecast as a dashed line with its band beyond the last week, and says it in words", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      await page.goto(`${server.url}/projects/${PROJECT}/kpis/features_shipped`);
      const current = await report();
      const entry = current.kpis.find((e) => e.id === "features_shipped" && e.dimension === null)!;
      expect(entry.target).toMatchObject({ value: 12, owner: "Ana Lima", due: LATER });
      expect(entry.forecast).toMatchObject({ due: LATER, status: expect.stringMatching(/^(on|off)_track$/) });
      expect(entry.forecast!.low!).toBeLessThanOrEqual(entry.forecast!.value!);
      expect(entry.forecast!.high!).toBeGreaterThanOrEqual(entry.forecast!.value!);

      expect(await drawnCanvases(page, 1)).toEqual([true]);
      const figure = page.locator("figure.chart");
      expect((await figure.getAttribute("data-datasets"))!.split(",")).toEqual(
        expect.arrayContaining(["Features shipped", "Target", "Forecast", "Forecast range (80 %)"]),
      );
      // The dashed line is on the canvas in its own colour.
      expect(await pixelsOfColour(page, 0, FORECAST_RGB)).toBeGreaterThan(20);

      const note = page.getByRole("note", { name: "Forecast" });
      const words = forecastWords(entry.forecast!, entry.target!, "count", shiftDate(current.to, 1));
      await expect(note.locator(".forecast-words").textContent()).resolves.toBe(words);
      await expect(note.textContent()).resolves.toContain(`Forecast for the target (Target ≥ 12 by ${formatDay(LATER)}, owner Ana Lima)`);
      await expect(note.textContent()).resolves.toMatch(/80 % range [\d.,]+ – [\d.,]+: a Theil–Sen trend over the last 12 weeks/);
      await screenshot(page, `kpi-forecast-${driver}`);

      // The demo's own: deployment frequency, owned by Priya Raman, due eight weeks after the demo's last day.
      await page.goto(`${server.url}/projects/${PROJECT}/kpis/deployment_frequency`);
      const demo = current.kpis.find((e) => e.id === "deployment_frequency" && e.dimension === null)!;
      expect(demo.target).toMatchObject({ value: 1, owner: "Priya Raman", due: shiftDate(current.to, 8 * 7) });
      expect(await drawnCanvases(page, 1)).toEqual([true]);
      expect(await page.locator("figure.chart").getAttribute("data-datasets")).toContain("Forecast");
      await expect(page.getByRole("note", { name: "Forecast" }).locator(".forecast-words").textContent()).resolves.toBe(
        forecastWords(demo.forecast!, demo.target!, "per_day", shiftDate(current.to, 1)),
      );
      await screenshot(page, `kpi-forecast-demo-${driver}`);

      // A KPI without a target has no forecast drawn or said.
      await page.goto(`${server.url}/projects/${PROJECT}/kpis/rework_rate`);
      expect(await drawnCanvases(page, 1)).toEqual([true]);
      expect(await page.locator("figure.chart").getAttribute("data-datasets")).not.toContain("Forecast");
      expect(await page.getByRole("note", { name: "Forecast" }).count()).toBe(0);
      expect(errors).toEqual([]);
    });

    it("the targets page lists the targets by due date, soonest first and undated last, with owner and forecast words", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      await page.goto(`${server.url}/projects/${PROJECT}/targets`);
      const table = page.getByRole("region", { name: "Targets by due date" }).getByRole("table");
      const rows = table.locator("tbody tr");
      const cells = async (index: number) => (await rows.nth(index).locator("td, th").allTextContents()).map((text) => text.trim());
      const current = await report();
      const after = shiftDate(current.to, 1);
      const words = (id: string) => {
        const entry = current.kpis.find((e) => e.id === id && e.dimension === null)!;
        return forecastWords(entry.forecast!, entry.target!, "count", after);
      };
      const all = await Promise.all(Array.from({ length: await rows.count() }, (_, index) => cells(index)));
      expect(all.find((row) => row[1] === "Model iterations shipped")).toEqual([formatDay(SOON), "Model iterations shipped", "3", "bo@example.com", words("model_iterations_shipped")]);
      expect(all.find((row) => row[1] === "Features shipped")).toEqual([formatDay(LATER), "Features shipped", "12", "Ana Lima", words("features_shipped")]);
      // Soonest first, undated ("—") last: the dates as the API has them, in the table's order.
      const dues = all.map((row) => row[0]);
      const dated = current.kpis.filter((e) => e.target?.due).map((e) => e.target!.due!).sort().map(formatDay);
      expect(dues.slice(0, dated.length)).toEqual(dated);
      expect(dues.slice(dated.length).every((due) => due === "—")).toBe(true);
      expect(dues.length).toBeGreaterThan(dated.length); // the demo's targets without a due date
      await table.getByRole("link", { name: "Model iterations shipped" }).waitFor();

      // Each project target with a forecast is drawn as on its KPI page: the dashed line and its band.
      const forecast = (id: string) => current.kpis.find((e) => e.id === id && e.dimension === null)!.forecast!;
      const charted = current.kpis.filter((e) => e.dimension === null && e.forecast && e.forecast.status !== "not_enough_data");
      expect(charted.map((e) => e.id)).toContain("features_shipped");
      const charts = page.getByRole("region", { name: "Targets by due date" }).locator("figure.chart");
      expect(await drawnCanvases(page, charted.length)).toEqual(charted.map(() => true));
      const features = charts.filter({ hasText: `Features shipped, forecast to ${formatDay(forecast("features_shipped").due)}` });
      expect((await features.getAttribute("data-datasets"))!.split(",")).toEqual(expect.arrayContaining(["Features shipped", "Target", "Forecast"]));
      await screenshot(page, `targets-by-due-${driver}`);
      expect(errors).toEqual([]);
    });

    it("an editor sets an owner and a due date through the form; it is listed, kept in the history and refused with one line when wrong", async () => {
      const page = await (await browser.newContext()).newPage();
      const errors = watchErrors(page);
      const targets = `/projects/${PROJECT}/targets`;
      await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(targets)}`);
      await page.getByLabel("Email").fill("editor@example.com");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByLabel("Password").press("Enter");
      await page.waitForURL(`${server.url}${targets}`);

      const region = page.getByRole("region", { name: "Releases" });
      const form = region.getByRole("form", { name: "Set the target for Releases" });
      await form.getByLabel("Target (count)").fill("4");
      await form.getByLabel("Owner").fill("x".repeat(121));
      await form.getByRole("button", { name: "Save target" }).click();
      await form.getByText("The owner must be at most 120 characters.").waitFor();
      expect(await form.getByLabel("Owner").getAttribute("aria-invalid")).toBe("true");

      await form.getByLabel("Owner").fill("Carla Diaz");
      await form.getByLabel("Due date").fill(SOON);
      await form.getByRole("button", { name: "Save target" }).click();
      await form.getByText(`Target set to 4, owned by Carla Diaz, due ${SOON}.`).waitFor();

      const row = page.getByRole("region", { name: "Targets by due date" }).locator("tbody tr").filter({ hasText: "Releases" });
      await expect(row.locator("td").allTextContents()).resolves.toEqual([formatDay(SOON), "4", "Carla Diaz", expect.stringMatching(/^(on track|off track — .+|not enough data)$/)]);
      await region.getByText("History (1 change)").click();
      await expect(region.getByRole("table").nth(1).getByRole("row").nth(1).textContent()).resolves.toContain(`4 (warn 10 %), owner Carla Diaz, due ${formatDay(SOON)}`);
      await screenshot(page, `targets-owner-form-${driver}`);
      expect(errors).toEqual([]);
    });
  });
}
