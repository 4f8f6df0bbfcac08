/**
 * Issue 22 in Chromium, against the real server in demo mode: the Content-Security-Policy lets
 * every page work (charts drawn, the weekly email's preview frame showing its charts) with no
 * violation reported; a signed-in user changes their own password; a refused Server Action
 * shows one line on the page and logs one line, never a 500 or a stack trace.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnCanvases, launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { shipshapeIn, SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";

const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a brand new passphrase";
const TARGETS = "/projects/fraud-detection/targets";

describe("hardening in Chromium (demo mode)", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(
      {},
      {
        prepare: async (context) => {
          for (const [email, role] of [["admin@example.com", "admin"], ["ed@example.com", "editor"], ["pat@example.com", "editor"], ["vi@example.com", "viewer"]]) {
            await shipshapeIn(context, ["users", "add", "--email", email!, "--role", role!], { SHIPSHAPE_PASSWORD: PASSWORD });
          }
        },
      },
    );
    browser = await launchBrowser();
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /**
   * A page that records every Content-Security-Policy violation, in the page and in its
   * frames, beside the console errors (where Chromium reports blocked scripts too).
   */
  async function watchedPage(context?: BrowserContext): Promise<{ page: Page; problems: () => Promise<string[]> }> {
    const page = await (context ?? (await browser.newContext())).newPage();
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __violations: string[] }).__violations = []);
      document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
    });
    const errors = watchErrors(page);
    const problems = async () => {
      const violations = await Promise.all(page.frames().map((frame) => frame.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []).catch(() => [])));
      return [...errors, ...violations.flat()];
    };
    return { page, problems };
  }

  async function signIn(page: Page, email: string, password = PASSWORD, next = "/"): Promise<void> {
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}${next}`);
  }

  it("every page works under the policy: charts drawn, the email's frame shown, no violation", { timeout: 180_000 }, async () => {
    const { page, problems } = await watchedPage();
    expect((await page.goto(`${server.url}/`))!.headers()["content-security-policy"]).toContain("script-src 'self' 'nonce-");
    // Client-side navigation loads more chunks: they come from this site, so they run.
    await page.getByRole("region", { name: "Fraud detection" }).getByRole("link", { name: "Deployment frequency" }).click();
    await page.waitForURL(/\/kpis\/deployment_frequency/);
    expect(await drawnCanvases(page, 1)).toEqual([true]);

    await page.goto(`${server.url}/projects/fraud-detection`);
    expect(await drawnCanvases(page, 15)).toEqual(Array(15).fill(true));

    await page.goto(`${server.url}/projects/fraud-detection/retro`);
    await page.locator(".retro-chart canvas").waitFor();
    await page.goto(`${server.url}/sources`);
    await page.goto(`${server.url}/sign-in`);

    // The weekly email in its sandboxed srcdoc frame: inline styles and data: charts are allowed.
    await page.goto(`${server.url}/projects/fraud-detection/digest`);
    const email = page.frameLocator("iframe");
    await email.getByText("Every KPI").waitFor();
    const widths = await email.locator("img").evaluateAll((images) => images.map((image) => (image as HTMLImageElement).naturalWidth));
    expect(widths.length).toBeGreaterThan(0);
    expect(widths.every((width) => width === 560)).toBe(true);
    await screenshot(page, "csp-digest-preview");
    expect(await problems()).toEqual([]);

    // The not-found page too (its only console line is the 404 itself).
    expect((await page.goto(`${server.url}/projects/nope`))!.status()).toBe(404);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await problems()).toEqual(["Failed to load resource: the server responded with a status of 404 (Not Found)"]);
  });

  it("the policy does block a script that is not the server's", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${server.url}/sign-in`);
    // What an injected <script> would be: no nonce, inline.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true";
      document.body.append(script);
    });
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected ?? false)).toBe(false);
    expect((await problems()).some((problem) => problem.startsWith("script-src-elem inline"))).toBe(true);
  });

  it("a signed-in user changes their password: the current one is required, other sessions end, this one stays", async () => {
    const other = await (await browser.newContext()).newPage();
    await signIn(other, "ed@example.com");
    const { page, problems } = await watchedPage();
    await signIn(page, "ed@example.com");
    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Account" }).click();
    await page.waitForURL(`${server.url}/account`);
    const form = page.getByRole("form", { name: "Change your password" });

    await form.getByLabel("Current password").fill("not my password");
    await form.getByLabel("New password (at least 12 characters)").fill(NEW_PASSWORD);
    await form.getByLabel("New password again").fill(NEW_PASSWORD);
    await form.getByRole("button", { name: "Change password" }).click();
    await form.getByText("That is not your current password.").waitFor();
    expect(await form.getByLabel("Current password").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Current password").inputValue()).toBe(""); // passwords are not kept

    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByLabel("New password (at least 12 characters)").fill(NEW_PASSWORD);
    await form.getByLabel("New password again").fill(`${NEW_PASSWORD}!`);
    await form.getByRole("button", { name: "Change password" }).click();
    await form.getByText("The two new passwords differ.").waitFor();

    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByLabel("New password (at least 12 characters)").fill(NEW_PASSWORD);
    await form.getByLabel("New password again").fill(NEW_PASSWORD);
    await form.getByRole("button", { name: "Change password" }).click();
    await form.getByText("Password changed. 1 other session was signed out; this one stays signed in.").waitFor();
    await screenshot(page, "password-changed");

    // This session stays; the other browser's is over; the new password signs in.
    await page.goto(`${server.url}${TARGETS}`);
    await expect(page.getByRole("navigation", { name: "Account" }).textContent()).resolves.toContain("Signed in as ed@example.com (editor)");
    await other.goto(`${server.url}${TARGETS}`);
    await expect(other.getByRole("navigation", { name: "Account" }).textContent()).resolves.toBe("Demo viewer · Sign in");
    const fresh = await (await browser.newContext()).newPage();
    await signIn(fresh, "ed@example.com", NEW_PASSWORD);
    expect(await problems()).toEqual([]);
  });

  it("a refused Server Action shows one line on the page and logs one line, never a 500", async () => {
    // An editor has the targets page open; meanwhile an admin makes them a viewer.
    const { page, problems } = await watchedPage();
    await signIn(page, "pat@example.com", PASSWORD, TARGETS);
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, "admin@example.com", PASSWORD, "/admin");
    const role = admin.getByRole("form", { name: "Role of pat@example.com" });
    await role.getByLabel("Role of pat@example.com").selectOption("viewer");
    await role.getByRole("button", { name: "Change" }).click();
    await role.getByText("pat@example.com is now viewer.").waitFor();

    const mark = server.output().length;
    const remove = page.getByRole("button", { name: "Remove the target for Deployment frequency, whole project" });
    await remove.click();
    await page.getByRole("alert").getByText("This needs the editor role; you are signed in as pat@example.com (viewer).").waitFor();
    await screenshot(page, "refused-action");
    await page.reload();
    expect(await page.getByRole("button", { name: "Remove the target for Deployment frequency, whole project" }).count()).toBe(0);
    // The viewer's page shows the target still there (they may look, not change).
    await expect(page.getByRole("region", { name: "Deployment frequency" }).getByRole("row", { name: /^Whole project/ }).getByRole("cell").nth(1).textContent()).resolves.toBe("1/day");
    const logged = server.output().slice(mark);
    expect(logged).toContain("shipshape: refused a change on /projects/fraud-detection/targets: This needs the editor role; you are signed in as pat@example.com (viewer).\n");
    expect(logged).not.toMatch(/^\s+at /m);
    expect(logged).not.toContain("⨯");
    expect(await problems()).toEqual([]);
  });

  it("a form sent for a project that does not exist gets one line, not a 500", async () => {
    const { page } = await watchedPage();
    await signIn(page, "admin@example.com", PASSWORD, TARGETS);
    // The Remove form as the page has it, with another project: what a hand-made request sends.
    const form = page.locator("form", { has: page.getByRole("button", { name: "Remove the target for Deployment frequency, whole project" }) });
    await form.locator('input[name="project"]').evaluate((input) => ((input as HTMLInputElement).value = "nope"));
    const mark = server.output().length;
    await form.getByRole("button").click();
    await page.getByRole("alert").getByText(/Unknown project "nope" \(projects: fraud-detection, /).waitFor();
    expect(server.output().slice(mark)).toMatch(/^shipshape: refused a change on \/projects\/fraud-detection\/targets: Unknown project "nope"/m);
    expect(server.output().slice(mark)).not.toMatch(/^\s+at /m);
  });

  it("listens on every address without HOST", async () => {
    const port = new URL(server.url).port;
    expect((await fetch(`http://127.0.0.2:${port}/api/health`)).status).toBe(200);
  });
});
