/**
 * `owner/*` in a project's `github.repos`: every repository of an organisation or a user that
 * the token can see, listed at the start of each run (so a new repository is read from the next
 * sync on). Through GraphQL `repositoryOwner` (organisations and users alike), or REST
 * `GET /orgs/{owner}/repos`, falling back to `GET /users/{owner}/repos` for a user.
 */
import { z } from "zod";
import { describeFailure, statusOf } from "./client";
import { isGraphQLMissing } from "./graphql/client";
import { ownerRepositoriesAnswer } from "./graphql/payloads";
import { ownerRepositoriesQuery } from "./graphql/queries";
import type { GitHubSession } from "./streams";

export interface RepoListing {
  repos: { name: string; archived: boolean }[];
}

/** Listing an owner's repositories failed: the line names the entry. */
export class OwnerListingError extends Error {}

const restRepo = z.looseObject({ full_name: z.string(), archived: z.boolean().optional() });

export async function listRepos(session: GitHubSession, owner: string): Promise<RepoListing> {
  try {
    if (session.graphql) {
      try {
        const repos: RepoListing["repos"] = [];
        const pages = session.graphql.pages(ownerRepositoriesQuery, { owner }, ownerRepositoriesAnswer, (d) => {
          if (!d.repositoryOwner) throw new OwnerListingError(`no organisation or user ${owner} on GitHub (or the token cannot see it)`);
          return d.repositoryOwner.repositories;
        });
        for await (const page of pages) repos.push(...page.map((r) => ({ name: r.nameWithOwner, archived: r.isArchived })));
        return { repos };
      } catch (error) {
        if (!isGraphQLMissing(error)) throw error;
        session.graphql = null;
      }
    }
    return { repos: await listRest(session, owner) };
  } catch (error) {
    if (error instanceof OwnerListingError) throw error;
    throw new OwnerListingError(describeFailure(error));
  }
}

async function listRest(session: GitHubSession, owner: string): Promise<RepoListing["repos"]> {
  let listing;
  try {
    listing = await session.client.list("/orgs/{org}/repos", { org: owner, type: "all", per_page: 100 }, restRepo);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    listing = await session.client.list("/users/{username}/repos", { username: owner, type: "owner", per_page: 100 }, restRepo);
  }
  const repos: RepoListing["repos"] = [];
  if (listing) for await (const page of listing.pages) repos.push(...page.map((r) => ({ name: r.full_name, archived: r.archived ?? false })));
  return repos;
}
