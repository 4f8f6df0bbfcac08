/**
 * Loads shipshape.yaml (or $SHIPSHAPE_CONFIG): YAML with `${VAR}` substitution, validated by
 * the schema. Every problem becomes one `ConfigError` line: file, line, column and what is
 * wrong. No file at all (and no SHIPSHAPE_CONFIG) means demo mode.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAlias, isCollection, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from "yaml";
import type { z } from "zod";
import { demoConfig } from "@/lib/demo/config";
import { UserError } from "@/lib/errors/user-error";
import { configFile, type ConfigFile, type ProjectConfigFile } from "./schema";

/** A configuration that cannot be used: the installation must be fixed before anything runs (exit code 1). */
export class ConfigError extends UserError {
  constructor(message: string) {
    super(message, "unavailable");
  }
}

export interface ProjectConfig extends ProjectConfigFile {
  /** The project's own zone, else the file's default. */
  timezone: string;
}

export interface Config extends Omit<ConfigFile, "projects"> {
  projects: ProjectConfig[];
  /** The file it came from; null in demo mode. */
  path: string | null;
  demo: boolean;
}

export const DEFAULT_CONFIG_PATH = "shipshape.yaml";

/** Environment variables, as process.env holds them. */
export type Env = Record<string, string | undefined>;

/** Reads the configuration the environment points at, or the demo configuration. */
export function loadConfig(env: Env = process.env): Config {
  const path = env.SHIPSHAPE_CONFIG || DEFAULT_CONFIG_PATH;
  if (!existsSync(/* turbopackIgnore: true */ path)) {
    if (env.SHIPSHAPE_CONFIG) throw new ConfigError(`${path}: no such configuration file (SHIPSHAPE_CONFIG)`);
    return resolveProjects({ ...demoConfig, path: null, demo: true });
  }
  let text: string;
  try {
    text = readFileSync(/* turbopackIgnore: true */ path, "utf8");
  } catch (error) {
    throw new ConfigError(`${path}: cannot be read (${(error as Error).message})`);
  }
  return parseConfig(text, path, env);
}

export function parseConfig(text: string, path: string, env: Env): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${path}:${line}:${col}`;
  };
  const [syntaxError] = doc.errors;
  if (syntaxError) throw new ConfigError(`${at(syntaxError.pos[0])}: ${firstLine(syntaxError.message)}`);

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ConfigError(`${path}: the file is empty: it needs at least a projects: list (docs/configuration.md)`);
  }

  substituteVariables(doc, env, at);
  const result = configFile.safeParse(plainValue(doc, at));
  if (!result.success) {
    const [issue] = result.error.issues;
    throw new ConfigError(describeIssue(doc, issue!, at));
  }
  return resolveProjects({ ...result.data, path, demo: false });
}

function resolveProjects(config: Omit<Config, "projects"> & { projects: ProjectConfigFile[] }): Config {
  return { ...config, projects: config.projects.map((p) => ({ ...p, timezone: p.timezone ?? config.timezone })) };
}

/**
 * The document as plain data. The yaml library refuses aliases that expand too far (a "billion
 * laughs" file: a few hundred bytes that would take gigabytes) without saying where; the error
 * then points at the alias that expands to the most nodes.
 */
function plainValue(doc: Document, at: (offset: number) => string): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const alias = largestAlias(doc);
    throw new ConfigError(`${at(alias?.range?.[0] ?? 0)}: too many alias expansions (*${alias?.source ?? "?"}): a YAML alias bomb is refused`);
  }
}

function largestAlias(doc: Document): Alias | undefined {
  const sizes = new Map<unknown, number>();
  const sizeOf = (node: unknown): number => {
    if (sizes.has(node)) return sizes.get(node)!;
    sizes.set(node, 1); // an alias inside its own anchor counts once, not forever
    let size = 1;
    if (isAlias(node)) size = sizeOf(node.resolve(doc));
    else if (isPair(node)) size = sizeOf(node.key) + sizeOf(node.value);
    else if (isCollection(node)) size = 1 + (node.items as unknown[]).reduce<number>((sum, item) => sum + sizeOf(item), 0);
    sizes.set(node, size);
    return size;
  };
  let largest: { alias: Alias; size: number } | undefined;
  visit(doc, {
    Alias(_key, alias) {
      const size = sizeOf(alias);
      if (!largest || size > largest.size) largest = { alias, size };
    },
  });
  return largest?.alias;
}

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string value (inputs.md): the default
 * stands in when the variable is unset or empty; an unset variable without one is an error at
 * its value. The default is the text up to the first `}` and is not itself substituted.
 */
function substituteVariables(doc: Document, env: Env, at: (offset: number) => string) {
  visit(doc, {
    Scalar(key, node) {
      if (key === "key" || typeof node.value !== "string") return;
      node.value = node.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (fallback !== undefined) return value || fallback;
        if (value === undefined) throw new ConfigError(`${at(node.range?.[0] ?? 0)}: environment variable ${name} is not set`);
        return value;
      });
    },
  });
}

function describeIssue(doc: Document, issue: z.core.$ZodIssue, at: (offset: number) => string): string {
  const path = issue.path as (string | number)[];
  const where = dotted(path);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const node = findKey(doc.getIn(path, true) as Node | undefined, key) ?? doc.getIn(path, true);
    return `${at(offsetOf(node, doc))}: unknown key "${key}"${where ? ` in ${where}` : ""}`;
  }
  const node = nearestNode(doc, path);
  if (issue.code === "invalid_type" && !doc.hasIn(path)) {
    return `${at(offsetOf(node, doc))}: missing key "${String(path.at(-1))}"${path.length > 1 ? ` in ${dotted(path.slice(0, -1))}` : ""}`;
  }
  const message = issue.code === "invalid_type" ? `must be ${article(issue.expected)}` : issue.message;
  return `${at(offsetOf(node, doc))}: ${where || "the file"} ${message}`;
}

/** The node at `path`, or the closest ancestor that exists (a missing key points at its map). */
function nearestNode(doc: Document, path: (string | number)[]): unknown {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    if (node) return node;
  }
  return undefined;
}

function findKey(map: Node | undefined, key: string) {
  if (!isMap(map)) return undefined;
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key as Node | undefined;
}

function offsetOf(node: unknown, doc: Document): number {
  const range = (node as { range?: [number, number, number] } | undefined)?.range ?? doc.contents?.range;
  return range?.[0] ?? 0;
}

/** projects[0].github.repos[1], as a person reads a path. */
function dotted(path: (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}
