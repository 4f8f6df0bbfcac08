/**
 * The report through its two doors: the HTTP routes (handlers called with a Request) and the
 * `shipshape kpis` command (a real process on a real database) return the same document.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getProjects } from "@/app/api/projects/route";
import { GET as getReport } from "@/app/api/projects/[slug]/kpis/route";
import { GET as getEvents } from "@/app/api/projects/[slug]/kpis/[id]/events/route";
import { GET as getCsv } from "@/app/api/projects/[slug]/kpis.csv/route";
import { buildReport } from "@/lib/report/build";
import { reportCsv } from "@/lib/report/csv";
import { openRuntime, type Runtime } from "@/lib/server/runtime";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { COMMANDS_TIMEOUT, runInProcess } from "@/test/support/cli";
import { describeEachDriver, drivers, postgresDatabase } from "@/test/support/db";
import { deployment, insertDeployments } from "@/test/support/records";
import { CONFIG_YAML, testConfig } from "@/test/support/config";

const config = testConfig();
const query = "from=2026-03-01&to=2026-03-10";
const params = <T extends Record<string, string>>(values: T) => ({ params: Promise.resolve(values) });
const request = (path: string) => new Request(`http://localhost${path}`);

// Reading needs a viewer: anonymous readers are allowed here (test/auth/http.test.ts checks the 401).
beforeAll(() => vi.stubEnv("SHIPSHAPE_PUBLIC_READ", "1"));
afterAll(() => vi.unstubAllEnvs());

describeEachDriver("report routes", (store) => {
  beforeAll(() => setServerRuntime({ config, store: store() }));

  it("GET /api/projects lists the projects", async () => {
    const response = await getProjects(request("/api/projects"));
    expect(await response.json()).toEqual({
      projects: [
        { slug: "fraud", name: "Fraud detection", timezone: "UTC" },
        { slug: "churn", name: "Churn", timezone: "America/New_York" },
      ],
    });
  });

  it("GET …/kpis returns the report JSON, …/kpis.csv the same as CSV, …/events the drill-down", async () => {
    setServerRuntime({ config, store: store() });
    await insertDeployments(store(), [deployment("d1", "2026-03-02T12:00:00Z")]);
    const expected = await buildReport(store(), config, { project: "fraud", from: "2026-03-01", to: "2026-03-10" });
    const response = await getReport(request(`/api/projects/fraud/kpis?${query}`), params({ slug: "fraud" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(expected)));

    const csv = await getCsv(request(`/api/projects/fraud/kpis.csv?${query}`), params({ slug: "fraud" }));
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(await csv.text()).toBe(reportCsv(expected));

    const events = await getEvents(request(`/api/projects/fraud/kpis/deployment_frequency/events?${query}`), params({ slug: "fraud", id: "deployment_frequency" }));
    expect(await events.json()).toMatchObject({ value: 0.1, sample_size: 1, events: [{ id: "d1", kind: "deployment" }] });
  });

  it("answers 404 for an unknown project or KPI and 400 for bad parameters, as JSON", async () => {
    setServerRuntime({ config, store: store() });
    const cases: [Response, number, string][] = [
      [await getReport(request(`/api/projects/nope/kpis`), params({ slug: "nope" })), 404, 'unknown project "nope" (projects: fraud, churn)'],
      [await getCsv(request(`/api/projects/nope/kpis.csv`), params({ slug: "nope" })), 404, 'unknown project "nope" (projects: fraud, churn)'],
      [await getReport(request(`/api/projects/fraud/kpis?from=2026-13-01`), params({ slug: "fraud" })), 400, "from: must be a date YYYY-MM-DD"],
      [await getReport(request(`/api/projects/fraud/kpis?from=2026-03-02&to=2026-03-01`), params({ slug: "fraud" })), 400, "from (2026-03-02) is after to (2026-03-01)"],
      [await getReport(request(`/api/projects/fraud/kpis?tz=Nowhere`), params({ slug: "fraud" })), 400, "tz: is not an IANA time zone name (e.g. Europe/Berlin)"],
      [await getEvents(request(`/api/projects/fraud/kpis/nope/events`), params({ slug: "fraud", id: "nope" })), 404, expect.stringContaining('unknown KPI "nope"') as unknown as string],
    ];
    for (const [response, status, error] of cases) {
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error });
    }
  });
});

/** Runs `shipshape kpis` with `env`, in this process (test/cli/program.test.ts holds it to a child process's output). */
const shipshape = (args: string[], env: Record<string, string>) => runInProcess(["kpis", ...args], { ...process.env, ...env }, "");

for (const driver of drivers) {
  describe(`shipshape kpis [${driver}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), "shipshape-kpis-"));
    let database: Awaited<ReturnType<typeof postgresDatabase>> | undefined;
    const configPath = join(dir, "shipshape.yaml");
    const env: Record<string, string> = { SHIPSHAPE_CONFIG: configPath, SHIPSHAPE_DATA_DIR: join(dir, "data"), DATABASE_URL: "" };
    const open = () => openRuntime({ ...process.env, ...env });

    beforeAll(async () => {
      writeFileSync(configPath, CONFIG_YAML);
      if (driver === "postgres") {
        database = await postgresDatabase("kpis", { migrated: false });
        env.DATABASE_URL = database.url;
      }
      const runtime = await open();
      await insertDeployments(runtime.store, [deployment("d1", "2026-03-02T12:00:00Z", { status: "rolled_back" }), deployment("d2", "2026-03-04T12:00:00Z")]);
      await runtime.store.close();
    });

    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    });

    it("--json prints the same report as GET /api/projects/SLUG/kpis; the default is a table", async () => {
      const cli = await shipshape(["--project", "fraud", "--from", "2026-03-01", "--to", "2026-03-10", "--json"], env);
      expect(cli.stderr).toBe("");
      expect(cli.code).toBe(0);
      let runtime: Runtime | undefined;
      try {
        runtime = await open();
        setServerRuntime(runtime);
        const response = await getReport(request(`/api/projects/fraud/kpis?${query}`), params({ slug: "fraud" }));
        expect(JSON.parse(cli.stdout)).toEqual(await response.json());
        expect(JSON.parse(cli.stdout).kpis[0]).toMatchObject({ id: "deployment_frequency", value: 0.2, sample_size: 2 });
      } finally {
        await runtime?.store.close();
      }
      const table = await shipshape(["--project", "fraud", "--from", "2026-03-01", "--to", "2026-03-10"], env);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain("fraud: 2026-03-01 to 2026-03-10 (10 days, UTC)");
      expect(table.stdout).toMatch(/^deployment_frequency\s+0\.2\/day\s+0\/day\s+no_target\s+high$/m);
      expect(table.stdout).toMatch(/^change_failure_rate\s+50 %\s+—\s+no_target\s+low$/m);
    }, COMMANDS_TIMEOUT);

    it("exits 2 with one line for an unknown project, a bad date, from after to and an unknown zone", async () => {
      const cases: [string[], string][] = [
        [["--project", "nope"], 'shipshape: unknown project "nope" (projects: fraud, churn)\n'],
        [["--project", "fraud", "--from", "2026-02-30"], "shipshape: from: must be a date YYYY-MM-DD\n"],
        [["--project", "fraud", "--from", "2026-03-02", "--to", "2026-03-01"], "shipshape: from (2026-03-02) is after to (2026-03-01)\n"],
        [["--project", "fraud", "--tz", "Europe/Atlantis"], "shipshape: tz: is not an IANA time zone name (e.g. Europe/Berlin)\n"],
      ];
      for (const [args, message] of cases) {
        const result = await shipshape(args, env);
        expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ code: 2, stderr: message, stdout: "" });
      }
    }, COMMANDS_TIMEOUT);
  });
}
