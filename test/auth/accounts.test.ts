import { sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { authorize } from "@/lib/auth/guard";
import { createSession, endSession, findSession } from "@/lib/auth/sessions";
import { signIn, signInBlocked, TOO_MANY_ATTEMPTS, WRONG_CREDENTIALS } from "@/lib/auth/sign-in";
import { addUser, listUsers, removeUser, setRole } from "@/lib/auth/users";
import { hasRole, resolveViewer } from "@/lib/auth/viewer";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";

const PASSWORD = "correct horse battery";
const config = testConfig();
const at = (iso: string) => new Date(iso);

describeEachDriver("accounts", (store) => {
  it("adds users with a lower-cased email and refuses duplicates, short passwords and unknown roles", async () => {
    await addUser(store(), { email: " Ada@Example.com ", role: "admin", password: PASSWORD });
    expect((await listUsers(store())).map(({ email, role }) => ({ email, role }))).toEqual([{ email: "ada@example.com", role: "admin" }]);
    await expect(addUser(store(), { email: "ada@example.com", role: "viewer", password: PASSWORD })).rejects.toThrow("a user ada@example.com already exists");
    await expect(addUser(store(), { email: "bob@example.com", role: "viewer", password: "short" })).rejects.toThrow("password: must be at least 12 characters");
    await expect(addUser(store(), { email: "bob", role: "viewer", password: PASSWORD })).rejects.toThrow("email: is not an email address");
    await expect(addUser(store(), { email: "bob@example.com", role: "owner" as never, password: PASSWORD })).rejects.toThrow("role: must be one of viewer, editor, admin");
    const [row] = await store().rows<{ password_hash: string }>(sql`SELECT password_hash FROM users`);
    expect(row!.password_hash).toMatch(/^scrypt\$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
  });

  it("changes roles and removes users, but never the last admin", async () => {
    await addUser(store(), { email: "ada@example.com", role: "admin", password: PASSWORD });
    await addUser(store(), { email: "bob@example.com", role: "viewer", password: PASSWORD });
    await expect(setRole(store(), "ada@example.com", "editor")).rejects.toThrow("ada@example.com is the last admin and cannot be made editor; make another user admin first");
    await expect(removeUser(store(), "ada@example.com")).rejects.toThrow("is the last admin and cannot be removed");
    await expect(setRole(store(), "bob@example.com", "boss")).rejects.toThrow('role must be one of viewer, editor, admin, not "boss"');
    await expect(setRole(store(), "nobody@example.com", "editor")).rejects.toThrow("no user nobody@example.com");
    expect((await setRole(store(), "BOB@example.com", "admin")).role).toBe("admin");
    await setRole(store(), "ada@example.com", "editor");
    await removeUser(store(), "ada@example.com");
    expect((await listUsers(store())).map((u) => `${u.email} ${u.role}`)).toEqual(["bob@example.com admin"]);
  });

  it("keeps sessions as hashes, ends them on sign-out, on expiry and with the user", async () => {
    const user = await addUser(store(), { email: "ada@example.com", role: "editor", password: PASSWORD });
    const now = at("2026-03-01T12:00:00Z");
    const { token, csrfToken, expiresAt } = await createSession(store(), user.id, now);
    expect(expiresAt.toISOString()).toBe("2026-03-15T12:00:00.000Z");
    const [row] = await store().rows<{ token_hash: string }>(sql`SELECT token_hash FROM sessions`);
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.token_hash).not.toBe(token);

    expect(await findSession(store(), token, now)).toEqual({ user: { id: user.id, email: "ada@example.com", role: "editor" }, csrfToken, expiresAt: expect.any(String) });
    expect(await findSession(store(), token, at("2026-03-15T11:59:59Z"))).not.toBeNull();
    expect(await findSession(store(), token, at("2026-03-15T12:00:00Z"))).toBeNull();
    expect(await findSession(store(), `${token}x`, now)).toBeNull();
    expect(await findSession(store(), null, now)).toBeNull();

    await setRole(store(), "ada@example.com", "viewer");
    expect((await findSession(store(), token, now))!.user.role).toBe("viewer"); // at once, same session
    await endSession(store(), token);
    expect(await findSession(store(), token, now)).toBeNull();

    const second = await createSession(store(), user.id, now);
    await removeUser(store(), "ada@example.com");
    expect(await findSession(store(), second.token, now)).toBeNull();
  });

  it("signs in with the right password only, with one message for a wrong password or an unknown email", async () => {
    await addUser(store(), { email: "ada@example.com", role: "editor", password: PASSWORD });
    const wrong = await signIn(store(), { email: "ada@example.com", password: "wrong password", address: "10.0.0.1" });
    const unknown = await signIn(store(), { email: "eve@example.com", password: PASSWORD, address: "10.0.0.1" });
    expect(wrong).toEqual({ ok: false, reason: "wrong_credentials", message: WRONG_CREDENTIALS });
    expect(unknown).toEqual(wrong);
    const right = await signIn(store(), { email: "ADA@example.com", password: PASSWORD, address: "10.0.0.1" });
    expect(right).toMatchObject({ ok: true, user: { email: "ada@example.com", role: "editor" } });
    if (!right.ok) throw new Error("unreachable");
    expect((await findSession(store(), right.token))!.user.email).toBe("ada@example.com");
  });

  it("blocks an email after 5 failures in 15 minutes, until the oldest is 15 minutes old; a success resets the email's count", async () => {
    await addUser(store(), { email: "ada@example.com", role: "editor", password: PASSWORD });
    const attempt = (minute: number, password = "wrong password", address = "10.0.0.1") =>
      signIn(store(), { email: "ada@example.com", password, address }, at(`2026-03-01T12:${String(minute).padStart(2, "0")}:00Z`));
    for (const minute of [0, 1, 2, 3]) expect((await attempt(minute)).ok).toBe(false);
    expect((await attempt(4, PASSWORD)).ok).toBe(true); // resets the count for the email
    for (const minute of [5, 6, 7, 8]) expect(await attempt(minute)).toMatchObject({ reason: "wrong_credentials" });
    expect(await attempt(9)).toMatchObject({ reason: "wrong_credentials" }); // the 5th failure since the success
    // Blocked now — even with the right password, and from another address.
    expect(await attempt(10, PASSWORD)).toEqual({ ok: false, reason: "rate_limited", message: TOO_MANY_ATTEMPTS });
    expect(await attempt(19, PASSWORD, "10.9.9.9")).toMatchObject({ reason: "rate_limited" });
    // 12:20 — the failure of 12:05 is 15 minutes old: four remain, one more attempt is allowed.
    expect((await attempt(20, PASSWORD)).ok).toBe(true);
  });

  it("lets at most 5 of many guesses sent at once check a password", async () => {
    await addUser(store(), { email: "ada@example.com", role: "editor", password: PASSWORD });
    const now = at("2026-03-01T12:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(store(), { email: "ada@example.com", password: `guess ${i}`, address: `10.0.0.${i}` }, now)),
    );
    const checked = results.filter((result) => !result.ok && result.reason === "wrong_credentials");
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.length).toBeGreaterThan(0);
    expect(results.filter((result) => !result.ok && result.reason === "rate_limited")).toHaveLength(12 - checked.length);
    const [row] = await store().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM sign_in_attempts`);
    expect(row!.n).toBe(checked.length); // blocked attempts are not kept
  });

  it("blocks an address after 20 failures in 15 minutes, whatever the emails", async () => {
    const now = at("2026-03-01T12:00:00Z");
    for (let i = 0; i < 19; i++) await signIn(store(), { email: `user${i}@example.com`, password: "x", address: "10.0.0.7" }, now);
    expect(await signInBlocked(store(), "someone@example.com", "10.0.0.7", now)).toBe(false);
    await signIn(store(), { email: "last@example.com", password: "x", address: "10.0.0.7" }, now);
    expect(await signInBlocked(store(), "someone@example.com", "10.0.0.7", now)).toBe(true);
    expect(await signInBlocked(store(), "someone@example.com", "10.0.0.8", now)).toBe(false);
    expect(await signInBlocked(store(), "someone@example.com", "10.0.0.7", at("2026-03-01T12:15:00Z"))).toBe(false);
  });

  it("resolves the viewer: a session wins; else the demo viewer in demo mode, a public reader with SHIPSHAPE_PUBLIC_READ=1, or no one", async () => {
    const user = await addUser(store(), { email: "ada@example.com", role: "editor", password: PASSWORD });
    const { token, csrfToken } = await createSession(store(), user.id);
    const demo = { ...config, demo: true };
    const publicRead = { SHIPSHAPE_PUBLIC_READ: "1" };
    expect(await resolveViewer(store(), config, token, {})).toEqual({ email: "ada@example.com", role: "editor", kind: "user", csrfToken });
    expect(await resolveViewer(store(), demo, token, {})).toMatchObject({ kind: "user", role: "editor" });
    expect(await resolveViewer(store(), demo, null, {})).toEqual({ email: null, role: "viewer", kind: "demo", csrfToken: null });
    expect(await resolveViewer(store(), config, "stale", publicRead)).toEqual({ email: null, role: null, kind: "public", csrfToken: null });
    expect(await resolveViewer(store(), config, null, { SHIPSHAPE_PUBLIC_READ: "true" })).toBeNull();
    expect(await resolveViewer(store(), config, null, {})).toBeNull();

    const publicReader = (await resolveViewer(store(), config, null, publicRead))!;
    expect([hasRole(publicReader, "viewer"), hasRole(publicReader, "editor")]).toEqual([true, false]);
    const editor = (await resolveViewer(store(), config, token, {}))!;
    expect(["viewer", "editor", "admin"].map((role) => hasRole(editor, role as never))).toEqual([true, true, false]);
  });

  describe_authorize(store);
});

function describe_authorize(store: () => import("@/db/client").Store) {
  const request = (method: string, headers: Record<string, string> = {}) =>
    new Request("http://localhost/api/thing", { method, headers: { "x-shipshape-site-origin": "http://localhost", ...headers } });

  beforeEach(() => setServerRuntime({ config, store: store() }));

  it("authorize: 401 for no one, 403 for a role too low, 403 for a change without the CSRF token or from another site", async () => {
    const editor = await addUser(store(), { email: "ed@example.com", role: "editor", password: PASSWORD });
    const viewer = await addUser(store(), { email: "vi@example.com", role: "viewer", password: PASSWORD });
    const editorSession = await createSession(store(), editor.id);
    const viewerSession = await createSession(store(), viewer.id);
    const cookie = (token: string) => ({ cookie: `shipshape_session=${token}` });

    const answer = async (result: unknown) => (result instanceof Response ? [result.status, (await result.json()).error] : ["ok", (result as { email: string }).email]);
    expect(await answer(await authorize(request("GET"), "viewer"))).toEqual([401, "sign in first"]);
    expect(await answer(await authorize(request("GET", cookie(viewerSession.token)), "viewer"))).toEqual(["ok", "vi@example.com"]);
    expect(await answer(await authorize(request("PUT", { ...cookie(viewerSession.token), "x-csrf-token": viewerSession.csrfToken }), "editor"))).toEqual([
      403,
      "this needs the editor role; you are signed in as vi@example.com (viewer)",
    ]);
    expect(await answer(await authorize(request("PUT", cookie(editorSession.token)), "editor"))).toEqual([
      403,
      "missing or wrong x-csrf-token header (the session's CSRF token)",
    ]);
    expect(await answer(await authorize(request("PUT", { ...cookie(editorSession.token), "x-csrf-token": viewerSession.csrfToken }), "editor"))).toEqual([
      403,
      "missing or wrong x-csrf-token header (the session's CSRF token)",
    ]);
    const fromElsewhere = { ...cookie(editorSession.token), "x-csrf-token": editorSession.csrfToken, origin: "http://evil.example" };
    expect(await answer(await authorize(request("PUT", fromElsewhere), "editor"))).toEqual([403, "cross-site request refused"]);
    const good = { ...cookie(editorSession.token), "x-csrf-token": editorSession.csrfToken, origin: "http://localhost" };
    expect(await answer(await authorize(request("PUT", good), "editor"))).toEqual(["ok", "ed@example.com"]);

    setServerRuntime({ config: { ...config, demo: true }, store: store() });
    expect(await answer(await authorize(request("GET"), "viewer"))).toEqual(["ok", null]);
    expect(await answer(await authorize(request("PUT"), "editor"))).toEqual([403, "this needs the editor role; you are viewing as the demo viewer"]);
  });
}
