/**
 * Sign-in sessions. The cookie carries a random token; the database keeps only its sha256
 * (a leaked database hands out no sessions) with the user, an expiry and the session's CSRF
 * token. Signing out or removing the user deletes the row, which ends the session at once.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lte, ne } from "drizzle-orm";
import type { Store } from "@/db/client";
import { sessions, users, type Role } from "@/db/schema";

export const SESSION_COOKIE = "shipshape_session";
/** Two weeks: a dashboard is opened now and then, and a removed user's sessions go with the user. */
export const SESSION_DAYS = 14;
const DAY = 24 * 60 * 60 * 1000;

export interface Session {
  user: { id: number; email: string; role: Role };
  csrfToken: string;
  expiresAt: string;
}

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");
const randomToken = () => randomBytes(32).toString("base64url");

/** Starts a session for a user; the token goes into the cookie and is not stored. */
export async function createSession(store: Store, userId: number, now = new Date()): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const [token, csrfToken] = [randomToken(), randomToken()];
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * DAY);
  // Expired rows are of no use: sweep them while we are here rather than on a schedule.
  await store.db.delete(sessions).where(lte(sessions.expiresAt, now.toISOString()));
  await store.db.insert(sessions).values({ tokenHash: hashOf(token), userId, csrfToken, expiresAt: expiresAt.toISOString() });
  return { token, csrfToken, expiresAt };
}

/** The live session behind a cookie's token, with its user as they are now (role changes apply at once). */
export async function findSession(store: Store, token: string | null | undefined, now = new Date()): Promise<Session | null> {
  if (!token) return null;
  const [row] = await store.db
    .select({ id: users.id, email: users.email, role: users.role, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashOf(token)), gt(sessions.expiresAt, now.toISOString())));
  if (!row) return null;
  return { user: { id: row.id, email: row.email, role: row.role }, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

export async function endSession(store: Store, token: string | null | undefined): Promise<void> {
  if (token) await store.db.delete(sessions).where(eq(sessions.tokenHash, hashOf(token)));
}

/** Ends every session of a user but the one behind `keep` (a password change keeps the changer's); how many ended. */
export async function endSessionsOf(store: Store, userId: number, keep?: string): Promise<number> {
  const others = keep ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, hashOf(keep))) : eq(sessions.userId, userId);
  const ended = await store.db.delete(sessions).where(others).returning({ tokenHash: sessions.tokenHash });
  return ended.length;
}

/**
 * The cookie's attributes: HttpOnly (no script reads it), SameSite=Lax (not sent with
 * cross-site posts), Secure when the site is served over https (over plain http a Secure
 * cookie would never come back), and Path=/ for the whole dashboard.
 */
export function sessionCookieOptions(secure: boolean, expiresAt?: Date) {
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", ...(expiresAt ? { expires: expiresAt } : { maxAge: 0 }) };
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    // Our tokens are base64url: nothing to decode.
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}
