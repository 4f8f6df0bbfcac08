/**
 * Local accounts: add, list, remove and change the role of users. The CLI and the admin page
 * call these; both get a UserError with one line to show when a request cannot be done.
 */
import { and, asc, count, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Store } from "@/db/client";
import { roles, userInput, users, type Role } from "@/db/schema";
import { invalidInput, UserError } from "@/lib/errors/user-error";
import { hashPassword } from "./passwords";
import { endSessionsOf } from "./sessions";

/** The roles an account can have, for the forms and commands that offer them. */
export { roles, type Role };

export interface User {
  id: number;
  email: string;
  role: Role;
  createdAt: string;
}

const columns = { id: users.id, email: users.email, role: users.role, createdAt: users.createdAt };

const normalized = (email: string) => email.trim().toLowerCase();

export async function addUser(store: Store, input: z.input<typeof userInput>): Promise<User> {
  const parsed = userInput.safeParse({ ...input, email: input.email.trim() });
  if (!parsed.success) throw invalidInput(parsed.error);
  const { email, role, password } = parsed.data;
  const [row] = await store.db
    .insert(users)
    .values({ email, role, passwordHash: await hashPassword(password) })
    .onConflictDoNothing({ target: users.email })
    .returning(columns);
  if (!row) throw new UserError(`a user ${email} already exists`, "conflict");
  return row;
}

export function listUsers(store: Store): Promise<User[]> {
  return store.db.select(columns).from(users).orderBy(asc(users.email));
}

/** The account behind an email with its password hash, for signing in; null when there is none. */
export async function findUserForSignIn(store: Store, email: string) {
  const [row] = await store.db.select({ ...columns, passwordHash: users.passwordHash }).from(users).where(eq(users.email, normalized(email)));
  return row ?? null;
}

/** Removes a user and (by cascade) their sessions. The last admin cannot be removed. */
export async function removeUser(store: Store, email: string): Promise<void> {
  const user = await existing(store, email);
  if (user.role === "admin") await keepAnAdmin(store, user, "removed");
  await store.db.delete(users).where(eq(users.id, user.id));
}

/** Changes a user's role; the last admin cannot lose theirs. */
export async function setRole(store: Store, email: string, role: string): Promise<User> {
  const parsed = z.enum(roles).safeParse(role);
  if (!parsed.success) throw new UserError(`role must be one of ${roles.join(", ")}, not "${role}"`, "invalid");
  const user = await existing(store, email);
  if (user.role === "admin" && parsed.data !== "admin") await keepAnAdmin(store, user, "made " + parsed.data);
  const [row] = await store.db.update(users).set({ role: parsed.data }).where(eq(users.id, user.id)).returning(columns);
  return row!;
}

/**
 * Sets a user's password (an admin's reset from the CLI) and ends their sessions: whoever held
 * one with the old password is signed out. `keepSession`: the session that stays (a user
 * changing their own). Returns how many sessions ended.
 */
export async function setPassword(store: Store, email: string, password: string, keepSession?: string): Promise<{ user: User; endedSessions: number }> {
  const checked = userInput.shape.password.safeParse(password);
  if (!checked.success) throw new UserError(`password: ${checked.error.issues[0]!.message}`, "invalid");
  const user = await existing(store, email);
  await store.db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, user.id));
  return { user, endedSessions: await endSessionsOf(store, user.id, keepSession) };
}

/** Whether any account exists: a fresh install says how to add the first admin. */
export async function hasUsers(store: Store): Promise<boolean> {
  const [row] = await store.db.select({ n: count() }).from(users);
  return row!.n > 0;
}

async function existing(store: Store, email: string): Promise<User> {
  const [row] = await store.db.select(columns).from(users).where(eq(users.email, normalized(email)));
  if (!row) throw new UserError(`no user ${normalized(email)}`, "not_found");
  return row;
}

async function keepAnAdmin(store: Store, user: User, change: string): Promise<void> {
  const [others] = await store.db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), ne(users.id, user.id)));
  if (others!.n === 0) throw new UserError(`${user.email} is the last admin and cannot be ${change}; make another user admin first`, "conflict");
}
