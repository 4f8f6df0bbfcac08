/**
 * Prepares one migrated database per driver before the suites run, so each test file gets a
 * fresh copy in well under a second instead of booting and migrating its own:
 * PGlite as a dumped data directory, PostgreSQL (when TEST_DATABASE_URL is set) as a template
 * database.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openStore, pgliteStore } from "@/db/client";
import { migrate } from "@/db/migrate";

export const TEMPLATE_DATABASE = "shipshape_test_template";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-test-"));
  const client = await PGlite.create();
  const store = pgliteStore(client, "memory");
  await migrate(store);
  const templatePath = join(dir, "pglite-template.tar.gz");
  writeFileSync(templatePath, Buffer.from(await (await client.dumpDataDir("gzip")).arrayBuffer()));
  await store.close();
  project.provide("pgliteTemplate", templatePath);

  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    const template = await openStore({ databaseUrl: withDatabase(url, TEMPLATE_DATABASE) });
    await migrate(template);
    await template.close();
  }
  return () => rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
