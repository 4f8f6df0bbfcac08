import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig, type Env } from "@/lib/config/load";
import { testDir } from "@/test/support/temp";

const parse = (text: string, env: Env = {}) => parseConfig(text, "shipshape.yaml", env);
const errorOf = (text: string, env: Env = {}) => {
  try {
    parse(text, env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
};

const minimal = `
projects:
  - slug: fraud-detection
    name: Fraud detection
`;

describe("configuration file", () => {
  it("applies the documented defaults", () => {
    const config = parse(minimal);
    expect(config.timezone).toBe("UTC");
    expect(config.demo).toBe(false);
    expect(config.projects).toEqual([
      {
        slug: "fraud-detection",
        name: "Fraud detection",
        timezone: "UTC",
        production_environments: ["production", "prod"],
        incident_window_hours: 168,
        services: [],
        models: [],
        datasets: [],
        headline: ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore", "rework_rate"],
      },
    ]);
  });

  it("takes a project's group and headline KPIs, and points at an unknown or repeated KPI id", () => {
    const config = parse(`projects:\n  - slug: a\n    name: A\n    group: Payments\n    headline: [releases, data_freshness_lag]\n`);
    expect(config.projects[0]).toMatchObject({ group: "Payments", headline: ["releases", "data_freshness_lag"] });
    expect(parse(`projects:\n  - { slug: a, name: A, headline: [] }\n`).projects[0]!.headline).toEqual([]);
    expect(errorOf(`projects:\n  - slug: a\n    name: A\n    headline: [releases, deploy_freq]\n`)).toBe(
      "shipshape.yaml:4:26: projects[0].headline[1] must be a KPI id of the catalog (one of deployment_frequency, lead_time_for_changes, change_failure_rate, time_to_restore, rework_rate, releases, bug_fixes, features_shipped, mttr, model_iterations_shipped, model_quality, model_sla_compliance, data_refresh_frequency, data_freshness_lag, data_quality_issues, data_access_time)",
    );
    expect(errorOf(`projects:\n  - slug: a\n    name: A\n    headline: [releases, releases]\n`)).toBe("shipshape.yaml:4:15: projects[0].headline names a KPI twice");
    expect(errorOf(`projects:\n  - slug: a\n    name: A\n    group: ""\n`)).toBe("shipshape.yaml:4:12: projects[0].group must not be empty");
  });

  it("gives a project the file's time zone unless it has its own", () => {
    const config = parse(`timezone: America/New_York
projects:
  - { slug: a, name: A }
  - { slug: b, name: B, timezone: Europe/Berlin }
`);
    expect(config.projects.map((p) => p.timezone)).toEqual(["America/New_York", "Europe/Berlin"]);
  });

  it("substitutes ${VAR} anywhere in a value", () => {
    const config = parse(
      `sources:
  github:
    token: \${GITHUB_TOKEN}
    base_url: "http://127.0.0.1:\${PORT}/api/v3"
`,
      { GITHUB_TOKEN: "ghp_secret", PORT: "8123" },
    );
    expect(config.sources.github).toMatchObject({ token: "ghp_secret", base_url: "http://127.0.0.1:8123/api/v3" });
    expect(config.sources.github?.labels.bug).toEqual(["bug"]);
  });

  it("names the file, line, column and variable when a variable is unset", () => {
    expect(errorOf(`sources:\n  github:\n    token: \${GITHUB_TOKEN}\n`)).toBe(
      "shipshape.yaml:3:12: environment variable GITHUB_TOKEN is not set",
    );
    // A default for one variable is no default for another in the same value.
    expect(errorOf(`sources:\n  github:\n    base_url: "http://\${HOST:-localhost}:\${PORT}"\n`)).toBe(
      "shipshape.yaml:3:15: environment variable PORT is not set",
    );
  });

  it("uses ${NAME:-default} when the variable is unset or empty, and the variable when it is set", () => {
    const text = `timezone: \${TZ_NAME:-Europe/Berlin}
database_url: \${DATABASE_URL:-}
sources:
  github:
    token: \${GITHUB_TOKEN:-none}
    base_url: "http://\${HOST:-127.0.0.1}:\${PORT:-8080}/api/v3"
`;
    // The contract's example starts with no variable set: database_url is empty, the embedded database.
    expect(parse(text, {})).toMatchObject({ timezone: "Europe/Berlin", database_url: "", sources: { github: { token: "none", base_url: "http://127.0.0.1:8080/api/v3" } } });
    expect(parse(text, { TZ_NAME: "", HOST: "" })).toMatchObject({ timezone: "Europe/Berlin", sources: { github: { base_url: "http://127.0.0.1:8080/api/v3" } } });
    expect(parse(text, { TZ_NAME: "UTC", DATABASE_URL: "postgres://db/kpi", GITHUB_TOKEN: "ghp_x", PORT: "9" })).toMatchObject({
      timezone: "UTC",
      database_url: "postgres://db/kpi",
      sources: { github: { token: "ghp_x", base_url: "http://127.0.0.1:9/api/v3" } },
    });
    // Without a default, a variable set to the empty string is an empty value.
    expect(parse("database_url: ${DATABASE_URL}\n", { DATABASE_URL: "" }).database_url).toBe("");
  });

  it("points at an unknown key", () => {
    expect(errorOf(`projects:\n  - slug: a\n    name: A\n    servics: [api]\n`)).toBe(
      'shipshape.yaml:4:5: unknown key "servics" in projects[0]',
    );
    expect(errorOf(`timezone: UTC\ncolour: blue\n`)).toBe('shipshape.yaml:2:1: unknown key "colour"');
  });

  it("points at a value of the wrong type", () => {
    expect(errorOf(`projects:\n  - slug: a\n    name: A\n    incident_window_hours: soon\n`)).toBe(
      "shipshape.yaml:4:28: projects[0].incident_window_hours must be a number",
    );
    expect(errorOf(`projects:\n  - slug: a\n    name: A\n    services: api\n`)).toBe(
      "shipshape.yaml:4:15: projects[0].services must be an array",
    );
  });

  it("points at a duplicate slug", () => {
    expect(errorOf(`projects:\n  - slug: a\n    name: A\n  - slug: a\n    name: Again\n`)).toBe(
      'shipshape.yaml:4:11: projects[1].slug duplicate project slug "a"',
    );
  });

  it("takes owner/* in github.repos, the GitHub api and deploy workflows, and says what a workflow rule lacks", () => {
    const github = `sources:\n  github:\n    base_url: https://api.github.com\n    token: t\n`;
    const config = parse(
      `projects:\n  - slug: a\n    name: A\n    github: { repos: ["acme/*", acme/api], workflows: [{ file: ship.yml, environment: prod }] }\n${github}    api: rest\n    workflows:\n      - { name: "Deploy *", branches: { main: production } }\n`,
    );
    expect(config.projects[0]!.github).toEqual({ repos: ["acme/*", "acme/api"], workflows: [{ file: "ship.yml", environment: "prod" }] });
    expect(config.sources.github).toMatchObject({ api: "rest", workflows: [{ name: "Deploy *", branches: { main: "production" } }] });
    expect(parse(`projects: []\n${github}`).sources.github).toMatchObject({ api: "graphql", workflows: [] });
    expect(errorOf(`projects:\n  - slug: a\n    name: A\n    github: { repos: ["*/*"] }\n`)).toMatch(/projects\[0\]\.github\.repos\[0\] must be owner\/name, or owner\/\* for every repo of owner/);
    expect(errorOf(`projects: []\n${github}    workflows:\n      - { file: deploy.yml }\n`)).toMatch(
      /sources\.github\.workflows\[0\] needs exactly one of environment \(a name\) and branches/,
    );
    expect(errorOf(`projects: []\n${github}    workflows:\n      - { file: deploy.yml, name: "Deploy *", environment: production }\n`)).toMatch(
      /sources\.github\.workflows\[0\] needs exactly one of file \(deploy\.yml\) and name/,
    );
    expect(errorOf(`projects: []\n${github}    api: soap\n`)).toMatch(/sources\.github\.api/);
  });

  it("reports a missing required key at its map", () => {
    expect(errorOf(`projects:\n  - slug: a\n`)).toBe('shipshape.yaml:2:5: missing key "name" in projects[0]');
  });

  it("rejects an unknown time zone and a bad slug", () => {
    expect(errorOf(`timezone: Mars/Olympus\n`)).toBe(
      "shipshape.yaml:1:11: timezone is not an IANA time zone name (e.g. Europe/Berlin)",
    );
    expect(errorOf(`projects:\n  - slug: Fraud Detection\n    name: A\n`)).toBe(
      "shipshape.yaml:2:11: projects[0].slug must be lowercase letters, digits and dashes",
    );
  });

  it("reports YAML syntax errors and duplicate keys in one line", () => {
    expect(errorOf(`projects:\n  - slug: a\n   name: [unclosed\n`)).toMatch(/^shipshape\.yaml:\d+:\d+: [^\n]+$/);
    expect(errorOf(`timezone: UTC\ntimezone: UTC\n`)).toMatch(/^shipshape\.yaml:2:1: Map keys must be unique/);
  });

  it("refuses an empty file in one line, instead of serving no projects", () => {
    for (const empty of ["", "\n\n", "# projects come later\n", "---\n", "~\n", "null\n"]) {
      expect(errorOf(empty)).toBe("shipshape.yaml: the file is empty: it needs at least a projects: list (docs/configuration.md)");
    }
  });

  it("refuses a YAML alias bomb at the alias that expands too far, with file, line and column", () => {
    // Each level repeats the one before nine times: 9^6 strings from a 300-byte file.
    const levels = ["a", "b", "c", "d", "e", "f"];
    const bomb = levels
      .map((name, index) => `${name}: &${name} [${Array(9).fill(index ? `*${levels[index - 1]}` : '"lol"').join(", ")}]`)
      .join("\n");
    const message = errorOf(`projects:\n  - { slug: a, name: A }\n${bomb}\n`);
    expect(message).toMatch(/^shipshape\.yaml:\d+:\d+: [^\n]+$/);
    expect(message).toMatch(/: too many alias expansions \(\*\w\): a YAML alias bomb is refused$/);
    const [, line, column] = /^shipshape\.yaml:(\d+):(\d+):/.exec(message)!;
    const text = `projects:\n  - { slug: a, name: A }\n${bomb}\n`.split("\n")[Number(line) - 1]!;
    expect(text.slice(Number(column) - 1)).toMatch(/^\*\w/);
  });

  it("runs in demo mode without a file, and refuses a SHIPSHAPE_CONFIG that does not exist", () => {
    const dir = testDir("config");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const demo = loadConfig({});
      expect(demo.demo).toBe(true);
      expect(demo.projects.map((p) => p.slug)).toEqual(["fraud-detection", "churn-prediction", "search-ranking"]);
      expect(() => loadConfig({ SHIPSHAPE_CONFIG: "missing.yaml" })).toThrow(
        "missing.yaml: no such configuration file (SHIPSHAPE_CONFIG)",
      );
      writeFileSync(join(dir, "shipshape.yaml"), minimal);
      expect(loadConfig({}).path).toBe("shipshape.yaml");
    } finally {
      process.chdir(cwd);
    }
  });
});
