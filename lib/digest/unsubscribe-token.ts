/**
 * Unsubscribe links work without signing in: the link carries (project, email) signed with an
 * HMAC key kept in app_secrets, so every server on one database makes and accepts the same
 * tokens. The key is created on first use; when two servers race, the first insert wins and
 * both read it back.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Store } from "@/db/client";
import { appSecrets } from "@/db/schema";

const KEY_NAME = "unsubscribe_link_key";

async function signingKey(store: Store): Promise<Buffer> {
  await store.db.insert(appSecrets).values({ name: KEY_NAME, value: randomBytes(32).toString("base64url") }).onConflictDoNothing();
  const [row] = await store.db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, KEY_NAME));
  return Buffer.from(row!.value, "base64url");
}

function signature(key: Buffer, payload: string): Buffer {
  return createHmac("sha256", key).update(payload).digest();
}

export async function unsubscribeToken(store: Store, project: string, email: string): Promise<string> {
  const payload = Buffer.from(JSON.stringify({ p: project, e: email.toLowerCase() })).toString("base64url");
  return `${payload}.${signature(await signingKey(store), payload).toString("base64url")}`;
}

/** The (project, email) a token was made for, or null when it is malformed or not ours. */
export async function readUnsubscribeToken(store: Store, token: string): Promise<{ project: string; email: string } | null> {
  const [payload, signed, extra] = token.split(".");
  if (!payload || !signed || extra !== undefined) return null;
  const expected = signature(await signingKey(store), payload);
  const given = Buffer.from(signed, "base64url");
  // Base64 decoding ignores the last character's spare bits: only the canonical spelling counts.
  if (given.toString("base64url") !== signed) return null;
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const { p, e } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { p?: unknown; e?: unknown };
    return typeof p === "string" && typeof e === "string" ? { project: p, email: e } : null;
  } catch {
    return null;
  }
}
