/**
 * `owner/*` in a project's `github.repos` (inputs.md): every repository of the organisation or
 * user, archived ones left out unless named — listed through GraphQL or REST — and the KPIs
 * of that project read the records of every one of them.
 */
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import { releases } from "@/lib/kpis/definitions/releases";
import { describeEachDriver } from "@/test/support/db";
import { contextFor } from "@/test/kpis/support";
import { REST, syncGitHub, useFakeGitHub } from "./support";

describeEachDriver("GitHub owner/* repos", (store) => {
  const fake = useFakeGitHub();

  function buildOrg() {
    for (const [name, tag] of [
      ["acme/api", "v1.0.0"],
      ["acme/web", "v2.0.0"],
      ["acme/old", "v0.9.0"],
      ["jane/dotfiles", "v0.1.0"],
    ] as const) {
      const repo = fake.repo(name);
      repo.commit("main", "Initial commit", "2026-04-01T09:00:00Z");
      repo.release(tag, { at: "2026-04-02T10:00:00Z" });
    }
    fake.repos.get("acme/old")!.archived = true;
    fake.users.add("jane");
  }

  const syncedRepos = async () =>
    (await store().rows<{ repo: string }>(sql`SELECT DISTINCT repo FROM commits ORDER BY repo`)).map((row) => row.repo);

  for (const api of ["graphql", "rest"] as const) {
    it(`reads every repo of the owner but the archived ones (${api})`, async () => {
      buildOrg();
      const run = await syncGitHub(store(), fake, ["acme/*"], api === "rest" ? REST : "");
      expect(run.errors).toEqual([]);
      expect(await syncedRepos()).toEqual(["acme/api", "acme/web"]);
      expect(run.lines).toContain("acme/*: 2 repositories (1 archived left out)");
      // The listing itself: one request (REST: the organisation's repos; GraphQL: repositoryOwner).
      expect(fake.requests(api === "rest" ? /^GET \/orgs\/acme\/repos/ : /OwnerRepositories acme/)).toHaveLength(1);
    });
  }

  it("reads an archived repo a project names, and a user's repos (REST falls back from /orgs to /users)", async () => {
    buildOrg();
    const run = await syncGitHub(store(), fake, ["acme/*", "acme/old", "jane/*"], REST);
    expect(run.errors).toEqual([]);
    expect(await syncedRepos()).toEqual(["acme/api", "acme/old", "acme/web", "jane/dotfiles"]);
    expect(fake.requests(/^GET \/(orgs|users)\/jane\/repos/).map((r) => [r.request.split("?")[0], r.status])).toEqual([
      ["GET /orgs/jane/repos", 404],
      ["GET /users/jane/repos", 200],
    ]);
  });

  it("an owner GitHub does not know fails with one line, and the other repos are read", async () => {
    buildOrg();
    const run = await syncGitHub(store(), fake, ["nobody/*", "acme/api"]);
    expect(run.status).toBe("partial");
    expect(run.errors).toEqual(["nobody/*: no organisation or user nobody on GitHub (or the token cannot see it)"]);
    expect(await syncedRepos()).toEqual(["acme/api"]);
  });

  it("the project's KPIs read the records of every repo of the owner", async () => {
    buildOrg();
    expect((await syncGitHub(store(), fake, ["acme/*", "jane/dotfiles"])).errors).toEqual([]);
    const config = parseConfig(
      `projects:
  - { slug: shop, name: Shop, github: { repos: ["Acme/*"] } }
  - { slug: api, name: API, github: { repos: [acme/api] } }
`,
      "shipshape.yaml",
      {},
    );
    const april = (slug: string) => contextFor(config, slug, { from: "2026-04-01", to: "2026-04-30" });
    // acme/api's and acme/web's releases; acme/old was not read, jane's is another owner's.
    expect(await releases.compute(store(), april("shop"))).toMatchObject([{ value: 2, sampleSize: 2 }]);
    expect(await releases.compute(store(), april("api"))).toMatchObject([{ value: 1, sampleSize: 1 }]);
  });
});
