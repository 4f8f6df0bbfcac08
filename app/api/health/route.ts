import { sql } from "drizzle-orm";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export const dynamic = "force-dynamic";

/** 200 {"ok": true} when the database answers. */
export async function GET() {
  try {
    const { store } = await getServerRuntime();
    await store.rows(sql`SELECT 1`);
    return Response.json({ ok: true });
  } catch (error) {
    return Response.json({ ok: false, error: error instanceof Error ? error.message : String(error) }, { status: 503 });
  }
}
