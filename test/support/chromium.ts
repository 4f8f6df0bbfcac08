/**
 * Which Chromium the browser tests drive, chosen once per run in global setup:
 *   1. CHROMIUM_PATH, when set (it must exist);
 *   2. the system's /usr/bin/chromium (Debian's package), when installed;
 *   3. otherwise the Chromium that the `@sparticuz/chromium` devDependency ships inside its npm
 *      package, unpacked once per machine into node_modules/.cache.
 * SHIPSHAPE_TEST_CHROMIUM=npm skips 1 and 2: how to try, on a machine that has Chromium, what
 * a fresh machine without one runs.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export interface ChromiumChoice {
  executablePath: string;
  /** Where it came from, for the run's log line. */
  from: string;
  /** Extra environment for the browser process (the npm build's own font configuration). */
  env: Record<string, string>;
}

const root = resolve(import.meta.dirname, "../..");

export async function chooseChromium(): Promise<ChromiumChoice> {
  if (process.env.SHIPSHAPE_TEST_CHROMIUM !== "npm") {
    const explicit = process.env.CHROMIUM_PATH;
    if (explicit) {
      if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH is ${explicit}, which does not exist`);
      return { executablePath: explicit, from: "CHROMIUM_PATH", env: {} };
    }
    if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, from: "the system", env: {} };
  }
  return npmChromium();
}

/**
 * The package keeps Chromium brotli-compressed and unpacks it into os.tmpdir(). Unpack it into
 * a fresh directory of the cache instead and rename that into place whole, so that two runs
 * starting at once never see a half-written browser.
 */
async function npmChromium(): Promise<ChromiumChoice> {
  const { version } = JSON.parse(readFileSync(join(root, "node_modules", "@sparticuz", "chromium", "package.json"), "utf8")) as { version: string };
  const cache = join(root, "node_modules", ".cache", "shipshape-test-chromium");
  const dir = join(cache, version);
  const choice = { executablePath: join(dir, "chromium"), from: `@sparticuz/chromium ${version}`, env: { FONTCONFIG_FILE: join(dir, "fonts.conf") } };
  if (existsSync(choice.executablePath)) return choice;

  const staging = join(cache, `${version}.${process.pid}.${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  const { default: chromium } = await import("@sparticuz/chromium");
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    await chromium.executablePath();
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  // Its fonts.conf names /tmp/fonts: ours names the unpacked fonts, and the system's if any.
  writeFileSync(
    join(staging, "fonts.conf"),
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${join(dir, "fonts")}</dir>
  <cachedir>${join(dir, "fonts-cache")}</cachedir>
</fontconfig>
`,
  );
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(choice.executablePath)) throw error; // not another run that was quicker
  }
  return choice;
}
