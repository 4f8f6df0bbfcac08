import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoLastDay } from "@/lib/demo/generate";
import { formatWeekday } from "@/lib/format/dates";
import { shiftDate } from "@/lib/time/window";
import { launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { drivers } from "@/test/support/db";
import { SERVER_START_TIMEOUT, startServerOn, type RunningServer } from "@/test/support/server";

/**
 * The demo's FRD board (lib/demo/generate.ts): two-week sprints starting Mondays 08:00 UTC (09:00 in
 * Berlin), the running one (45) since the Monday of the week before the demo's last day. Sprint 43,
 * two before the running one, ended on a Friday but was completed the next Monday at 10:00 Berlin:
 * its retro runs from its start Monday to that Monday, 15 days.
 */
function sprint43(): { from: string; to: string } {
  const lastDay = demoLastDay(new Date());
  const weekday = (new Date(`${lastDay}T00:00:00Z`).getUTCDay() + 6) % 7;
  const running = shiftDate(lastDay, -weekday - 7);
  const from = shiftDate(running, -2 * 14);
  return { from, to: shiftDate(from, 14) };
}

for (const driver of drivers) {
  describe(`retro by Jira sprint in Chromium (demo mode, ${driver})`, () => {
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await startServerOn(driver, "retro_sprints");
      browser = await launchBrowser();
    }, SERVER_START_TIMEOUT);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it("offers the board's started sprints, newest first, and shows the chosen one's window", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      await page.goto(`${server.url}/projects/fraud-detection/retro`);
      const select = page.getByLabel("Jira sprint");
      const options = await select.locator("option").allTextContents();
      // The placeholder, then the running sprint and the five closed ones; the planned sprint 46 has no dates yet.
      expect(options.map((text) => text.split(" — ")[0])).toEqual([
        "Choose a sprint…",
        "FRD Sprint 45",
        "FRD Sprint 44",
        "FRD Sprint 43",
        "FRD Sprint 42",
        "FRD Sprint 41",
        "FRD Sprint 40",
      ]);
      const { from, to } = sprint43();
      const label = options.find((text) => text.startsWith("FRD Sprint 43"))!;
      expect(label).toBe(`FRD Sprint 43 — ${formatWeekday(from)} – ${formatWeekday(to, { withYear: true })} (completed)`);

      await select.selectOption({ label });
      await page.getByRole("button", { name: "Show chosen sprint" }).click();
      await page.waitForURL(/\/retro\?sprint=1043$/);
      await expect(page.locator("main .meta").first().textContent()).resolves.toBe(
        `FRD Sprint 43 (completed, board FRD board): Sprint ${formatWeekday(from, { withYear: true })} – ${formatWeekday(to, { withYear: true })} (15 days, Europe/Berlin), compared with the previous sprint of the same length, ${formatWeekday(shiftDate(from, -15), { withYear: true })} – ${formatWeekday(shiftDate(from, -1), { withYear: true })}.`,
      );
      // The window is the sprint's: the date fields and the day-by-day table say so too.
      expect(await page.getByLabel("From").inputValue()).toBe(from);
      expect(await page.getByLabel("To").inputValue()).toBe(to);
      expect(await page.getByLabel("Jira sprint").inputValue()).toBe("1043");
      const days = await page.getByRole("region", { name: "Deployments per day" }).locator("table tbody tr").count();
      expect(days).toBe(15);
      await screenshot(page, `retro-sprint-${driver}`);
      expect(errors).toEqual([]);
    });

    it("says in one line that a sprint id is not one of the project's, and shows the default window", async () => {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(`${server.url}/projects/fraud-detection/retro?sprint=1046`);
      // Next's route announcer is an alert too: the page's own is the one that says "Cannot".
      await expect(page.getByRole("alert").filter({ hasText: "Cannot" }).textContent()).resolves.toBe(
        "Cannot show this sprint: sprint 1046 is not a started sprint of this project's Jira boards; choose one from the list.",
      );
      await expect(page.locator("main .meta").first().textContent()).resolves.toMatch(/^Sprint .* \(14 days, Europe\/Berlin\)/);
      await page.goto(`${server.url}/projects/fraud-detection/retro?sprint=%3Cb%3E`);
      await expect(page.getByRole("alert").filter({ hasText: "Cannot" }).textContent()).resolves.toBe('Cannot show this sprint: "<b>" is not a sprint id; choose one from the list.');
      // A project without a Jira board: dates only.
      await page.goto(`${server.url}/projects/churn-prediction/retro`);
      await expect(page.getByLabel("From").count()).resolves.toBe(1);
      await expect(page.getByLabel("Jira sprint").count()).resolves.toBe(0);
      expect(errors).toEqual([]);
    });
  });
}
