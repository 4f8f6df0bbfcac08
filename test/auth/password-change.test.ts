/** A signed-in user's own password change (lib/auth/password-change.ts), on both databases. */
import { beforeEach, expect, it } from "vitest";
import { changeOwnPassword } from "@/lib/auth/password-change";
import { findSession } from "@/lib/auth/sessions";
import { signIn } from "@/lib/auth/sign-in";
import { addUser } from "@/lib/auth/users";
import { describeEachDriver } from "@/test/support/db";

const PASSWORD = "correct horse battery";
const NEW = "a brand new passphrase";

describeEachDriver("changing one's own password", (store) => {
  let sessions: string[];
  beforeEach(async () => {
    await addUser(store(), { email: "ed@example.com", role: "editor", password: PASSWORD });
    await addUser(store(), { email: "vi@example.com", role: "viewer", password: PASSWORD });
    sessions = [];
    for (const email of ["ed@example.com", "ed@example.com", "ed@example.com", "vi@example.com"]) {
      const result = await signIn(store(), { email, password: PASSWORD, address: "10.0.0.1" });
      if (result.ok) sessions.push(result.token);
    }
  });
  const change = (fields: Partial<{ current: string; next: string; repeated: string; sessionToken: string | null }>) =>
    changeOwnPassword(store(), { sessionToken: sessions[0], current: PASSWORD, next: NEW, repeated: NEW, address: "10.0.0.2", ...fields });
  const live = async () => Promise.all(sessions.map(async (token) => (await findSession(store(), token)) !== null));

  it("needs the current password; then ends the user's other sessions and keeps this one", async () => {
    expect(await change({})).toEqual({ ok: true, email: "ed@example.com", endedSessions: 2 });
    expect(await live()).toEqual([true, false, false, true]); // another user's session is not touched
    const attempt = (password: string) => signIn(store(), { email: "ed@example.com", password, address: "10.0.0.3" }).then((r) => r.ok);
    expect([await attempt(PASSWORD), await attempt(NEW)]).toEqual([false, true]);
  });

  it("refuses, field by field, without changing anything", async () => {
    const cases: [Parameters<typeof change>[0], object][] = [
      [{ sessionToken: null }, { field: "form", message: "Sign in first." }],
      [{ sessionToken: "not-a-session" }, { field: "form", message: "Sign in first." }],
      [{ current: "" }, { field: "current", message: "Enter your current password." }],
      [{ current: "wrong password!" }, { field: "current", message: "That is not your current password." }],
      [{ next: "short", repeated: "short" }, { field: "next", message: "The new password must be at least 12 characters." }],
      [{ repeated: `${NEW}!` }, { field: "repeated", message: "The two new passwords differ." }],
      [{ next: PASSWORD, repeated: PASSWORD }, { field: "next", message: "The new password is the current one." }],
    ];
    for (const [fields, refusal] of cases) expect([fields, await change(fields)]).toEqual([fields, { ok: false, ...refusal }]);
    expect(await live()).toEqual([true, true, true, true]);
    expect((await signIn(store(), { email: "ed@example.com", password: PASSWORD, address: "10.0.0.3" })).ok).toBe(true);
  });

  it("guessing the current password counts against the sign-in limit", async () => {
    for (let i = 0; i < 5; i++) expect(await change({ current: `guess number ${i}` })).toMatchObject({ ok: false, field: "current" });
    expect(await change({})).toEqual({ ok: false, field: "form", message: "Too many failed sign-in attempts. Try again in 15 minutes." });
    expect(await live()).toEqual([true, true, true, true]);
  });
});
