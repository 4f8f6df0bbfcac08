/** A record the database refuses for real, to test that it fails only its part of a source. */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";

/** Makes the database refuse rows of `table` with one of these external ids (a trigger that raises); returns its removal. */
export async function refuse(store: Store, table: string, ...externalIds: string[]): Promise<() => Promise<void>> {
  await store.db.execute(
    sql.raw(`CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.external_id = ANY (TG_ARGV) THEN RAISE EXCEPTION 'refused by the test (%)', NEW.external_id; END IF;
        RETURN NEW;
      END $$`),
  );
  const ids = externalIds.map((id) => `'${id}'`).join(", ");
  await store.db.execute(sql.raw(`CREATE TRIGGER refuse_for_test BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_for_test(${ids})`));
  return async () => {
    await store.db.execute(sql.raw(`DROP TRIGGER refuse_for_test ON ${table}`));
    await store.db.execute(sql.raw(`DROP FUNCTION refuse_for_test()`));
  };
}
