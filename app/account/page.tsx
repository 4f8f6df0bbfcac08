/** The signed-in user's account: who they are, and their password change. */
import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/guard";
import { AccountView } from "@/app/components/account/account-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account · Shipshape" };

export default async function AccountPage() {
  return <AccountView viewer={await requireViewer()} />;
}
