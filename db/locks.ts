/**
 * Every PostgreSQL advisory lock Shipshape takes, in one registry: two locks that shared an id
 * would exclude each other's holders for no reason (a migration waiting for a GitHub sync).
 * The numbers are arbitrary; test/db/locks.test.ts checks that none is taken twice. PGlite
 * takes no locks (one process owns its data: db/client.ts).
 */

/** One of several starting servers migrates; the others wait (db/migrate.ts). */
export const MIGRATION_LOCK = 7_310_001;

/** One run of a source at a time, whoever starts it (lib/scheduler/guard.ts). */
export const SOURCE_LOCKS = { github: 7_310_101, jira: 7_310_102, deploy_logs: 7_310_103, dbt: 7_310_104, mlflow: 7_310_105, airflow: 7_310_106 } as const;

/** The weekly email's sends of one project (lib/digest/send.ts): one lock per project in [base, base + size). */
export const DIGEST_LOCKS = { base: 7_320_000, size: 1_000_000 } as const;

/** The lock of a project's weekly email sends: FNV-1a of the slug, so every server computes the same number. */
export function digestLock(slug: string): number {
  let hash = 0x811c9dc5;
  for (const char of slug) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return DIGEST_LOCKS.base + (hash % DIGEST_LOCKS.size);
}
