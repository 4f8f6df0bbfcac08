/**
 * Signing in: the rate limit, the password check and the new session, in that order.
 *
 * Guessing is limited per account and per client address, counting failed attempts in a
 * sliding window (sign_in_attempts): 5 failures for one email, or 20 from one address, within
 * 15 minutes block further attempts until the oldest of them is 15 minutes old. A success
 * clears the email's count (a user who mistyped twice is not closer to a lockout later); it
 * does not clear the address's, so one good account does not cover guessing at others.
 * Blocked attempts are not recorded, so a blocked client is free again 15 minutes after its
 * last counted failure, whatever it does meanwhile. "Since the last success" goes by the rows'
 * ids, the order they were recorded in.
 */
import { z } from "zod";
import { eq, sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { signInAttempts, type Role } from "@/db/schema";
import { decoyHash, verifyPassword } from "./passwords";
import { createSession } from "./sessions";
import { findUserForSignIn } from "./users";

/** POST /api/session's body (the route validates with it; the OpenAPI document reads it). */
export const credentialsBody = z.object({ email: z.string(), password: z.string() });

export const SIGN_IN_LIMITS = { perEmail: 5, perAddress: 20, windowMinutes: 15 };

export const WRONG_CREDENTIALS = "Wrong email or password.";
export const TOO_MANY_ATTEMPTS = `Too many failed sign-in attempts. Try again in ${SIGN_IN_LIMITS.windowMinutes} minutes.`;

export type SignInResult =
  | { ok: true; token: string; csrfToken: string; expiresAt: Date; user: { email: string; role: Role } }
  | SignInRefusal;

type SignInRefusal = { ok: false; reason: "wrong_credentials" | "rate_limited"; message: string };

export interface SignInAttempt {
  email: string;
  password: string;
  address: string;
}

export async function signIn(store: Store, attempt: SignInAttempt, now = new Date()): Promise<SignInResult> {
  const checked = await checkCredentials(store, attempt, now);
  if (!checked.ok) return checked;
  const { user } = checked;
  return { ok: true, ...(await createSession(store, user.id, now)), user: { email: user.email, role: user.role } };
}

/**
 * The password check behind signing in, under its rate limit: also what a signed-in user's
 * password change asks for (their current password), so a stolen session cannot guess it faster.
 */
export async function checkCredentials(
  store: Store,
  attempt: SignInAttempt,
  now = new Date(),
): Promise<{ ok: true; user: { id: number; email: string; role: Role } } | SignInRefusal> {
  const email = attempt.email.trim().toLowerCase();
  // Recorded as a failure before the check, and judged by the failures recorded before it: of
  // many attempts sent at once, only those within the limit get a password check.
  const [recorded] = await store.db
    .insert(signInAttempts)
    .values({ email, address: attempt.address, succeeded: false, attemptedAt: now.toISOString() })
    .returning({ id: signInAttempts.id });
  if (await signInBlocked(store, email, attempt.address, now, recorded!.id)) {
    await store.db.delete(signInAttempts).where(eq(signInAttempts.id, recorded!.id));
    return { ok: false, reason: "rate_limited", message: TOO_MANY_ATTEMPTS };
  }
  const user = await findUserForSignIn(store, email);
  // An unknown email still costs one hash, so timing does not reveal which accounts exist.
  const matches = await verifyPassword(attempt.password, user?.passwordHash ?? (await decoyHash()));
  if (!matches || !user) return { ok: false, reason: "wrong_credentials", message: WRONG_CREDENTIALS };
  await store.db.update(signInAttempts).set({ succeeded: true }).where(eq(signInAttempts.id, recorded!.id));
  return { ok: true, user };
}

/**
 * Whether the email or the address has used up its failures in the current window (counting
 * only attempts recorded before `beforeId`, when given).
 */
export async function signInBlocked(store: Store, email: string, address: string, now = new Date(), beforeId?: number): Promise<boolean> {
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000).toISOString();
  // Rows older than the window count for nothing: drop them here rather than on a schedule.
  await store.db.execute(sql`DELETE FROM ${signInAttempts} WHERE attempted_at <= ${since}::timestamptz`);
  const earlier = beforeId === undefined ? sql`true` : sql`id < ${beforeId}`;
  const [counts] = await store.rows<{ email_failures: number; address_failures: number }>(sql`
    SELECT
      count(*) FILTER (WHERE email = ${email} AND NOT succeeded AND id > coalesce(
        (SELECT max(id) FROM ${signInAttempts} WHERE email = ${email} AND succeeded), 0))::int AS email_failures,
      count(*) FILTER (WHERE address = ${address} AND NOT succeeded)::int AS address_failures
    FROM ${signInAttempts}
    WHERE attempted_at > ${since}::timestamptz AND attempted_at <= ${now.toISOString()}::timestamptz AND ${earlier}`);
  return counts!.email_failures >= SIGN_IN_LIMITS.perEmail || counts!.address_failures >= SIGN_IN_LIMITS.perAddress;
}
