/**
 * Who is looking: a signed-in user, the demo viewer (demo mode signs every visitor in as a
 * viewer), an anonymous visitor when SHIPSHAPE_PUBLIC_READ=1 (a team's wall screen), or no one
 * (null: the page sends them to sign in). A real session wins over the last two, so signing in
 * works in demo and public-read modes too.
 */
import { cookies } from "next/headers";
import { cache } from "react";
import type { Store } from "@/db/client";
import type { Role } from "@/db/schema";
import type { Config, Env } from "@/lib/config/load";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { findSession, SESSION_COOKIE } from "./sessions";

export interface Viewer {
  /** The signed-in user's email; null for the demo viewer and anonymous public readers. */
  email: string | null;
  /** The user's role; "viewer" for the demo viewer; null for an anonymous public reader. */
  role: Role | null;
  kind: "user" | "demo" | "public";
  /** The session's CSRF token, which forms echo back; null without a session. */
  csrfToken: string | null;
}

const rank: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** Whether a viewer holds `role` or a higher one. Public readers hold none; they may only view. */
export function hasRole(viewer: Viewer | null, role: Role): boolean {
  if (!viewer) return false;
  if (role === "viewer") return true;
  return viewer.role !== null && rank[viewer.role] >= rank[role];
}

export function publicRead(env: Env = process.env): boolean {
  return env.SHIPSHAPE_PUBLIC_READ === "1";
}

/** The viewer behind a session cookie's token, in the given configuration. */
export async function resolveViewer(store: Store, config: Config, token: string | null | undefined, env: Env = process.env): Promise<Viewer | null> {
  const session = await findSession(store, token);
  if (session) return { email: session.user.email, role: session.user.role, kind: "user", csrfToken: session.csrfToken };
  if (config.demo) return { email: null, role: "viewer", kind: "demo", csrfToken: null };
  if (publicRead(env)) return { email: null, role: null, kind: "public", csrfToken: null };
  return null;
}

/**
 * The viewer of the request being rendered (pages, layouts, Server Actions); null when no one
 * may view. Cached per request: the layout and the page ask once between them.
 */
export const currentViewer = cache(async (): Promise<Viewer | null> => {
  // cookies() first: it marks the page dynamic, so `next build` never opens the database for it.
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const { config, store } = await getServerRuntime();
  return resolveViewer(store, config, token);
});
