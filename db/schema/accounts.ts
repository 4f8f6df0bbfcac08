/**
 * Local accounts for the dashboard: users with a role, their sessions, and sign-in attempts
 * (kept to rate-limit guessing). Passwords and session tokens are stored only as hashes.
 */
import { boolean, index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { z } from "zod";
import { instant } from "./columns";

/** viewer: reads every page; editor: also changes targets; admin: also manages users and ingest tokens. */
export const roles = ["viewer", "editor", "admin"] as const;
export type Role = (typeof roles)[number];

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  /** Lower-cased, so sign-in is case-insensitive. */
  email: text("email").notNull().unique(),
  role: text("role", { enum: roles }).notNull(),
  /** scrypt, with its parameters and salt: `scrypt$N$r$p$salt$hash` (base64). */
  passwordHash: text("password_hash").notNull(),
  createdAt: instant("created_at").notNull().defaultNow(),
});

export const sessions = pgTable(
  "sessions",
  {
    /** sha256 of the cookie's token: a leaked database does not hand out sessions. */
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The token forms must echo back (synchronizer token against cross-site posts). */
    csrfToken: text("csrf_token").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: serial("id").primaryKey(),
    email: text("email").notNull(),
    /** The client address as the server saw it. */
    address: text("address").notNull(),
    succeeded: boolean("succeeded").notNull(),
    attemptedAt: instant("attempted_at").notNull().defaultNow(),
  },
  (t) => [index("sign_in_attempts_email").on(t.email, t.attemptedAt), index("sign_in_attempts_address").on(t.address, t.attemptedAt)],
);

export const userInput = z.object({
  email: z.email({ message: "is not an email address" }).transform((email) => email.toLowerCase()),
  role: z.enum(roles, { message: `must be one of ${roles.join(", ")}` }),
  password: z.string().min(12, "must be at least 12 characters"),
});
