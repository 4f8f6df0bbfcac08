/**
 * Finding a configured project by its slug: the one lookup every page, route, command and
 * report goes through, so an unknown slug reads the same everywhere.
 */
import { UserError } from "@/lib/errors/user-error";
import type { Config, ProjectConfig } from "./load";

/** The project with this slug, or undefined (a page answers 404 itself). */
export function findProject(config: Config, slug: string): ProjectConfig | undefined {
  return config.projects.find((project) => project.slug === slug);
}

/** The project with this slug, or a not_found UserError that lists the projects there are (404, exit code 2). */
export function projectOf(config: Config, slug: string): ProjectConfig {
  const project = findProject(config, slug);
  if (!project) throw new UserError(unknownProjectMessage(config, slug), "not_found");
  return project;
}

/** Why a slug names no project, listing the ones that exist. */
export function unknownProjectMessage(config: Pick<Config, "projects">, slug: string): string {
  const known = config.projects.map((p) => p.slug).join(", ") || "none configured";
  return `unknown project "${slug}" (projects: ${known})`;
}
