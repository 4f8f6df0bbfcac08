/**
 * Password hashes: scrypt (node:crypto) with a per-user random salt, stored with its parameters
 * as `scrypt$N$r$p$salt$hash` (base64, db/schema/accounts.ts) so the cost can be raised later
 * without breaking the hashes already stored.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** 2^15 × r 8 is 32 MiB of memory per hash and ~50–100 ms here: slow for guessing, fine for a sign-in. */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** scrypt refuses to use more than 32 MiB unless told; N × r × 128 bytes plus headroom. */
const maxmem = (N: number, r: number) => 128 * N * r * 2;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, { ...COST, maxmem: maxmem(COST.N, COST.r) }, KEY_LENGTH);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Whether `password` matches a stored hash; compared in constant time. A malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (![N, R, P].every(Number.isSafeInteger)) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await derive(password, Buffer.from(salt, "base64"), { N, r: R, p: P, maxmem: maxmem(N, R) }, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of no one's password: checking a password against it for an unknown email takes as
 * long as for a known one, so the answer's timing does not tell which emails have accounts.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}
