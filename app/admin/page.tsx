/** Admins manage accounts and ingest tokens here (the CLI does the same: shipshape users, shipshape tokens). */
import type { Metadata } from "next";
import { hasRole } from "@/lib/auth/viewer";
import { listUsers } from "@/lib/auth/users";
import { listIngestTokens } from "@/lib/ingest/tokens";
import { openPage } from "@/lib/server/pages";
import { AdminRefused, AdminView } from "@/app/components/admin/admin-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Admin · Shipshape" };

export default async function AdminPage() {
  const { viewer, store } = await openPage();
  if (viewer.kind !== "user" || !hasRole(viewer, "admin")) return <AdminRefused />;
  const [users, tokens] = await Promise.all([listUsers(store), listIngestTokens(store)]);
  return <AdminView users={users} tokens={tokens} csrfToken={viewer.csrfToken!} />;
}
