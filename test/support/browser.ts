/**
 * Chromium driven by playwright-core: the one global setup chose (test/support/chromium.ts),
 * the system's or the one that comes with npm, so every machine runs the browser suites.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { inject } from "vitest";

export async function launchBrowser(): Promise<Browser> {
  const { executablePath, env } = inject("chromium");
  // Chromium's own temporary files (shared-memory files `.org.chromium.Chromium.*`, which a
  // renderer ended mid-way leaves behind) go to a directory of this browser's, removed when it
  // closes, so they can't fail the run's leftover check (docs/testing.md, Hygiene).
  const browserTmp = mkdtempSync(join(tmpdir(), "shipshape-chromium-"));
  const browser = await chromium.launch({
    executablePath,
    env: { ...process.env, ...env, TMPDIR: browserTmp },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    // playwright gives every launch a fresh temporary profile of its own.
  });
  browser.on("disconnected", () => rmSync(browserTmp, { recursive: true, force: true }));
  return browser;
}

/** Collects console errors and page errors, which a healthy page has none of. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Saves a screenshot as a test artifact under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join("test-results", "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/**
 * Waits until the page has `count` chart canvases, then returns, for each, whether anything is
 * drawn on it (a pixel that is not transparent): a chart that failed leaves its canvas blank.
 */
export async function drawnCanvases(page: Page, count: number): Promise<boolean[]> {
  await page.waitForFunction((n) => document.querySelectorAll("figure.chart canvas").length === n, count, { timeout: 60_000 });
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>("figure.chart canvas")].map((canvas) => {
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      for (let alpha = 3; alpha < data.length; alpha += 4) if (data[alpha] !== 0) return true;
      return false;
    }),
  );
}

/**
 * How many pixels of chart canvas `index` are within `tolerance` of the colour `rgb` (opaque):
 * whether a dataset drawn in a colour of its own (the forecast's dashed line) is on the canvas.
 */
export async function pixelsOfColour(page: Page, index: number, rgb: [number, number, number], tolerance = 12): Promise<number> {
  return page.evaluate(
    ({ index, rgb, tolerance }) => {
      const canvas = document.querySelectorAll<HTMLCanvasElement>("figure.chart canvas")[index]!;
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! > 200 && rgb.every((channel, c) => Math.abs(data[i + c]! - channel) <= tolerance)) count++;
      }
      return count;
    },
    { index, rgb, tolerance },
  );
}
