/**
 * The GitHub connector's enrichers (DevLake's collector → extractor → enricher): steps that
 * derive facts from a repo's stored records after its streams have run (connectors/github/
 * source.ts calls `enrichRepo` after each repo), so they are right whatever order the pages
 * arrived in and after an interrupted sync. Each is a function of the store and one repo, safe
 * to run again; `enrichRepo` runs them in the order they depend on.
 */
import type { Store } from "@/db/client";
import { placeCommits } from "./default-branch-line";
import { linkPullRequests } from "./pull-request-links";
import { detectReverts } from "./reverts";

export { placeCommits, linkPullRequests, detectReverts };

/** Every enricher for one repo: commits placed on the default branch's line, then linked to pull requests, then reverts. */
export async function enrichRepo(store: Store, repo: string): Promise<void> {
  await placeCommits(store, repo);
  await linkPullRequests(store, repo);
  await detectReverts(store, repo);
}
