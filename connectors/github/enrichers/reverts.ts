/**
 * Enricher: `pull_requests.reverts_number` for a revert that only its title names. GitHub's
 * "Revert" button names the reverted pull request in the branch (`revert-<N>-…`) or the body
 * (`Reverts owner/repo#N`), which the extractor reads from each payload (../records.ts); a
 * revert made by hand often has only the title `Revert "<title>"`. Such a revert undoes the
 * latest pull request of the repo with exactly that title merged before the revert was opened.
 * A revert whose number is already known keeps it.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";

export async function detectReverts(store: Store, repo: string): Promise<void> {
  await store.db.execute(sql`
    WITH matched AS (
      SELECT DISTINCT ON (r.id) r.id, o.number FROM pull_requests r
      JOIN pull_requests o ON o.repo = r.repo AND o.number <> r.number AND r.title = 'Revert "' || o.title || '"'
        AND o.merged_at IS NOT NULL AND o.merged_at <= r.created_at
      WHERE r.repo = ${repo} AND r.reverts_number IS NULL AND r.title LIKE 'Revert "%"'
      ORDER BY r.id, o.merged_at DESC
    )
    UPDATE pull_requests SET reverts_number = matched.number FROM matched WHERE pull_requests.id = matched.id`);
}
