/**
 * A signed-in user changes their own password: the current one is asked for (under the
 * sign-in rate limit, so a borrowed or stolen session cannot guess it), the new one must be a
 * valid password and typed twice, and every other session of theirs ends — this one stays.
 */
import type { Store } from "@/db/client";
import { checkCredentials } from "./sign-in";
import { findSession } from "./sessions";
import { setPassword } from "./users";

export interface PasswordChange {
  /** The session's cookie token: whose password, and the session that stays. */
  sessionToken: string | null | undefined;
  current: string;
  next: string;
  repeated: string;
  /** The client's address, for the rate limit. */
  address: string;
}

export type PasswordChangeResult =
  | { ok: true; email: string; endedSessions: number }
  | { ok: false; field: "current" | "next" | "repeated" | "form"; message: string };

export async function changeOwnPassword(store: Store, change: PasswordChange, now = new Date()): Promise<PasswordChangeResult> {
  const session = await findSession(store, change.sessionToken, now);
  if (!session) return { ok: false, field: "form", message: "Sign in first." };
  if (!change.current) return { ok: false, field: "current", message: "Enter your current password." };
  if (change.next.length < 12) return { ok: false, field: "next", message: "The new password must be at least 12 characters." };
  if (change.next !== change.repeated) return { ok: false, field: "repeated", message: "The two new passwords differ." };
  if (change.next === change.current) return { ok: false, field: "next", message: "The new password is the current one." };
  const checked = await checkCredentials(store, { email: session.user.email, password: change.current, address: change.address }, now);
  if (!checked.ok) {
    return checked.reason === "rate_limited"
      ? { ok: false, field: "form", message: checked.message }
      : { ok: false, field: "current", message: "That is not your current password." };
  }
  const { endedSessions } = await setPassword(store, session.user.email, change.next, change.sessionToken!);
  return { ok: true, email: session.user.email, endedSessions };
}
