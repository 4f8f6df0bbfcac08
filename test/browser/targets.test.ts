/**
 * Sign-in, roles and the targets page in Chromium, against the real server in demo mode. The
 * accounts are made with the real `shipshape users add` before the server starts (the embedded
 * database admits one process).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, watchErrors } from "@/test/support/browser";
import { shipshapeIn, SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";

const PASSWORD = "correct horse battery";
const TARGETS = "/projects/fraud-detection/targets";

describe("sign-in, roles and targets in Chromium (demo mode)", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(
      {},
      {
        prepare: async (context) => {
          for (const role of ["viewer", "editor", "admin"]) {
            await shipshapeIn(context, ["users", "add", "--email", `${role}@example.com`, "--role", role], { SHIPSHAPE_PASSWORD: PASSWORD });
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

  /** A fresh browser context signed in through the form (typed, submitted with Enter). */
  async function signedIn(role: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(TARGETS)}`);
    await page.getByLabel("Email").fill(`${role}@example.com`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL(`${server.url}${TARGETS}`);
    return page;
  }

  const frequency = (page: Page) => page.getByRole("region", { name: "Deployment frequency" });
  const projectRow = (page: Page) => frequency(page).getByRole("row", { name: /^Whole project/ });
  const cells = async (page: Page) => (await projectRow(page).getByRole("cell").allTextContents()).map((text) => text.trim());

  it("the demo viewer sees targets without a form; a wrong password gets one clear line; the editor signs in", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}${TARGETS}`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Targets · Fraud detection");
    expect(await page.getByRole("heading", { level: 2 }).count()).toBe(1 + 16); // targets by due date, then every KPI of the catalog
    expect(await page.getByRole("button", { name: "Save target" }).count()).toBe(0);
    await expect(page.getByRole("navigation", { name: "Account" }).textContent()).resolves.toBe("Demo viewer · Sign in");

    await page.getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("Email").fill("editor@example.com");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.locator("#sign-in-error");
    await alert.waitFor();
    expect([await alert.getAttribute("role"), await alert.textContent()]).toEqual(["alert", "Wrong email or password."]);
    expect(await page.getByLabel("Email").inputValue()).toBe("editor@example.com"); // kept
    await screenshot(page, "sign-in-error");
    expect(errors).toEqual([]);
  });

  it("an editor sets a target and sees the status change; bad input is shown next to its field and kept", async () => {
    const page = await signedIn("editor");
    const errors = watchErrors(page);
    await expect(page.getByRole("navigation", { name: "Account" }).textContent()).resolves.toContain("Signed in as editor@example.com (editor)");
    const [valueText, target] = await cells(page);
    expect(target).toBe("1/day"); // the demo's own target (lib/demo/targets.ts)
    const value = Number(valueText!.replace("/day", ""));
    expect(value).toBeGreaterThan(0);

    const form = frequency(page).getByRole("form", { name: "Set the target for Deployment frequency" });
    await form.getByLabel("Target (per day)").fill("abc");
    await form.getByRole("button", { name: "Save target" }).click();
    await form.getByText("The target must be a number.").waitFor();
    expect(await form.getByLabel("Target (per day)").inputValue()).toBe("abc");
    expect(await form.getByLabel("Target (per day)").getAttribute("aria-invalid")).toBe("true");

    // Twice the current value with a margin of a tenth of it: missed.
    const high = Number((value * 2).toFixed(3));
    await form.getByLabel("Target (per day)").fill(String(high));
    await form.getByLabel("Warn margin (per day)").fill(String(Number((value / 10).toFixed(3))));
    await form.getByRole("button", { name: "Save target" }).click();
    await form.getByText(`Target set to ${high}.`).waitFor();
    await expect(cells(page)).resolves.toEqual([valueText, `${high}/day`, `${Number((value / 10).toFixed(3))}/day`, "Target missed", "Remove"]);

    // Half of it, default margin: met.
    const low = Number((value / 2).toFixed(3));
    // By keyboard: type the target, Tab to the margin, clear it, Enter submits.
    await form.getByLabel("Target (per day)").fill(String(low));
    await page.keyboard.press("Tab");
    expect(await form.getByLabel("Warn margin (per day)").evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Enter");
    await form.getByText(`Target set to ${low}.`).waitFor();
    expect((await cells(page))[3]).toBe("Target met");

    // The demo's two changes (lib/demo/targets.ts: 0.5/day, tightened to 1/day), then the editor's two.
    await frequency(page).getByText("History (4 changes)").click();
    const history = frequency(page).getByRole("table").nth(1);
    const rows = await history.getByRole("row").allTextContents();
    expect(rows).toHaveLength(5);
    expect(rows[1]).toContain("editor@example.com");
    expect(rows[1]).toContain(`${high}/day`); // newest first: from the high target…
    expect(rows[1]).toContain(`${low}/day (warn 10 %)`); // …to the low one
    await screenshot(page, "targets-editor");
    expect(errors).toEqual([]);
  });

  it("a first target set now shows its status at once on the overview and the KPI page, whose window ended yesterday", async () => {
    const page = await signedIn("editor");
    const errors = watchErrors(page);
    const overviewStatus = async () => {
      await page.goto(`${server.url}/`);
      const project = page.getByRole("region", { name: "Fraud detection" });
      const card = project.locator("li.kpi-card").filter({ has: page.getByRole("link", { name: "Releases", exact: true }) });
      return (await card.locator(".badge").first().textContent())!.trim();
    };
    // The demo sets no releases target.
    expect(await overviewStatus()).toBe("No target");
    await page.goto(`${server.url}${TARGETS}`);
    const form = page.getByRole("region", { name: "Releases" }).getByRole("form", { name: "Set the target for Releases" });
    await form.getByLabel("Target (count)").fill("1000");
    await form.getByRole("button", { name: "Save target" }).click();
    await form.getByText("Target set to 1000.").waitFor();
    // The default window ended yesterday, before the target existed: judged against it all the same.
    expect(await overviewStatus()).toBe("Target missed");
    await page.goto(`${server.url}/projects/fraud-detection/kpis/releases`);
    await expect(page.locator(".kpi-panel .badge").first().textContent()).resolves.toBe("Target missed");
    await screenshot(page, "first-target-kpi-page");
    expect(errors).toEqual([]);
  });

  it("a viewer sees the target but no form, and the targets route answers 403 to them", async () => {
    const page = await signedIn("viewer");
    const errors = watchErrors(page);
    expect((await cells(page))[3]).toBe("Target met"); // the editor's target
    expect(await page.locator("form").count()).toBe(1); // only Sign out
    expect(await page.getByRole("button", { name: "Save target" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Remove/ }).count()).toBe(0);
    await screenshot(page, "targets-viewer");

    const session = await (await page.request.get(`${server.url}/api/session`)).json();
    expect(session).toMatchObject({ email: "viewer@example.com", role: "viewer", kind: "user" });
    const put = await page.request.put(`${server.url}/api/projects/fraud-detection/targets`, {
      data: { kpi: "deployment_frequency", value: 100 },
      headers: { "x-csrf-token": session.csrf_token, origin: server.url },
    });
    expect(put.status()).toBe(403);
    expect(await put.json()).toEqual({ error: "this needs the editor role; you are signed in as viewer@example.com (viewer)" });
    expect((await page.request.get(`${server.url}/admin`)).status()).toBe(200);
    await page.goto(`${server.url}/admin`);
    await page.getByText("Only admins can manage users and ingest tokens.").waitFor();
    expect(errors).toEqual([]);
  });

  it("an admin adds users and creates an ingest token shown once", async () => {
    const page = await signedIn("admin");
    const errors = watchErrors(page);
    await page.getByRole("link", { name: "Admin" }).click();
    await page.waitForURL(`${server.url}/admin`);
    expect(await page.getByRole("region", { name: "Users" }).getByRole("rowheader").allTextContents()).toEqual([
      "admin@example.com",
      "editor@example.com",
      "viewer@example.com",
    ]);
    const add = page.getByRole("form", { name: "Add a user" });
    await add.getByLabel("Email").fill("new@example.com");
    await add.getByLabel("Role").selectOption("editor");
    await add.getByLabel(/^Password/).fill("short password"); // 14 characters: fine
    await add.getByRole("button", { name: "Add user" }).click();
    await add.getByText("Added new@example.com (editor).").waitFor();
    expect(await page.getByRole("region", { name: "Users" }).getByRole("rowheader").count()).toBe(4);

    await add.getByLabel("Email").fill("new@example.com");
    await add.getByLabel(/^Password/).fill("another password");
    await add.getByRole("button", { name: "Add user" }).click();
    await add.getByText("A user new@example.com already exists.").waitFor();
    expect(await add.getByLabel("Email").inputValue()).toBe("new@example.com");

    const create = page.getByRole("form", { name: "Create an ingest token" });
    await create.getByLabel("Name (what it is for)").fill("ci pipeline");
    await create.getByRole("button", { name: "Create token" }).click();
    const token = (await create.getByLabel("The new token").textContent())!;
    expect(token).toMatch(/^shp_[\w-]{43}$/);
    const ingest = await fetch(`${server.url}/api/ingest`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" }, body: "" });
    expect(ingest.status).not.toBe(401);
    await screenshot(page, "admin");
    await page.reload();
    expect(await page.getByText(token).count()).toBe(0); // shown once
    expect(errors).toEqual([]);
  });

  it("a signed-in user subscribes to a project's weekly email from its preview page, and unsubscribes", async () => {
    const page = await signedIn("viewer");
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/fraud-detection/digest`);
    const subscription = page.getByRole("region", { name: "Subscription" });
    await expect(subscription.textContent()).resolves.toContain("viewer@example.com does not get this email.");
    await subscription.getByRole("button", { name: "Subscribe" }).click();
    await subscription.getByText("viewer@example.com gets this email every week.").waitFor();
    await page.reload(); // stored, not just shown
    await subscription.getByRole("button", { name: "Unsubscribe" }).click();
    await subscription.getByText("viewer@example.com does not get this email.").waitFor();
    // The demo viewer is nobody to subscribe: it is sent to sign in.
    const anonymous = await browser.newPage();
    await anonymous.goto(`${server.url}/projects/fraud-detection/digest`);
    await expect(anonymous.getByRole("region", { name: "Subscription" }).getByRole("button").count()).resolves.toBe(0);
    await anonymous.close();
    expect(errors).toEqual([]);
  });

  it("signing out ends the session: the visitor is the demo viewer again", async () => {
    const page = await signedIn("editor");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await expect(page.getByRole("navigation", { name: "Account" }).textContent()).resolves.toBe("Demo viewer · Sign in");
    await page.goto(`${server.url}${TARGETS}`);
    expect(await page.getByRole("button", { name: "Save target" }).count()).toBe(0);
  });
});

describe("the sign-in gate outside demo mode, in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const config = "projects:\n  - slug: payments\n    name: Payments\n    services: [payments-api]\n";
    server = await startServer(
      {},
      {
        demo: false,
        prepare: async (context) => {
          writeFileSync(join(context.cwd, "shipshape.yaml"), config);
          await shipshapeIn(context, ["users", "add", "--email", "viewer@example.com", "--role", "viewer"], { SHIPSHAPE_PASSWORD: PASSWORD });
        },
      },
    );
    browser = await launchBrowser();
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("sends an anonymous visitor to sign in and back to the page asked for; the read API answers 401", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/projects/payments/targets`);
    await page.waitForURL(`${server.url}/sign-in?next=%2Fprojects%2Fpayments%2Ftargets`);
    await screenshot(page, "sign-in");
    await page.getByLabel("Email").fill("viewer@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/projects/payments/targets`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Targets · Payments");
    expect(errors).toEqual([]);

    expect((await fetch(`${server.url}/api/projects`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect((await page.request.get(`${server.url}/api/projects`)).status()).toBe(200);
  });

  it("never sends a signed-in user to another site after signing in", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("//evil.example/")}`);
    await page.getByLabel("Email").fill("viewer@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/`);
  });
});
