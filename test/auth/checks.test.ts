import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { csrfMatches, sameSite } from "@/lib/auth/csrf";
import { cookieValue } from "@/lib/auth/sessions";
import { clientAddress, requestPath, siteOrigin, stampRequestFacts } from "@/lib/server/request-facts";
import { OPEN_REDIRECTS } from "./open-redirects";

describe("password hashes", () => {
  it("store scrypt with its parameters and a per-user salt, and verify only the right password", async () => {
    const [first, second] = [await hashPassword("correct horse battery"), await hashPassword("correct horse battery")];
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toBe(second); // different salts
    expect(await verifyPassword("correct horse battery", first)).toBe(true);
    expect(await verifyPassword("correct horse batterY", first)).toBe(false);
    expect(await verifyPassword("", first)).toBe(false);
  });

  it("verify against the parameters stored with the hash, and match nothing for a malformed hash", async () => {
    const hash = await hashPassword("a long enough password");
    const [, , , , salt] = hash.split("$");
    // A hash made with cheaper parameters still verifies after the defaults change.
    const { scryptSync } = await import("node:crypto");
    const cheap = `scrypt$1024$8$1$${salt}$${scryptSync("old password here", Buffer.from(salt!, "base64"), 32, { N: 1024, r: 8, p: 1 }).toString("base64")}`;
    expect(await verifyPassword("old password here", cheap)).toBe(true);
    expect(await verifyPassword("old password here", "bcrypt$whatever")).toBe(false);
    expect(await verifyPassword("old password here", "scrypt$x$8$1$abc$def")).toBe(false);
  });
});

describe("CSRF checks", () => {
  it("match the token exactly", () => {
    expect(csrfMatches("abc123", "abc123")).toBe(true);
    expect(csrfMatches("abc123", "abc124")).toBe(false);
    expect(csrfMatches("abc123", "abc1234")).toBe(false);
    expect(csrfMatches("abc123", "")).toBe(false);
    expect(csrfMatches("abc123", null)).toBe(false);
  });

  it("accept a change from this site's origin and refuse one from another", () => {
    const stamped = (headers: Record<string, string>) => new Headers({ "x-shipshape-site-origin": "https://kpis.example.com", ...headers });
    expect(sameSite(stamped({ origin: "https://kpis.example.com" }))).toBe(true);
    expect(sameSite(stamped({ origin: "https://evil.example.net" }))).toBe(false);
    expect(sameSite(stamped({ origin: "http://kpis.example.com" }))).toBe(false); // scheme counts
    expect(sameSite(stamped({ "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(sameSite(stamped({ "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(sameSite(stamped({}))).toBe(true); // curl: the CSRF token decides
    // Outside `shipshape serve` (next dev) the Host header gives the origin.
    expect(sameSite(new Headers({ host: "localhost:3000", origin: "http://localhost:3000" }))).toBe(true);
    expect(sameSite(new Headers({ host: "localhost:3000", origin: "http://localhost:3001" }))).toBe(false);
  });
});

describe("cookie header", () => {
  it("gives one cookie's value", () => {
    expect(cookieValue("a=1; shipshape_session=tok-en_1; b=2", "shipshape_session")).toBe("tok-en_1");
    expect(cookieValue("xshipshape_session=1", "shipshape_session")).toBeNull();
    expect(cookieValue(null, "shipshape_session")).toBeNull();
  });
});

describe("the page after signing in", () => {
  it("is a path on this site, never another site", async () => {
    const { safeNextPath } = await import("@/lib/auth/next-path");
    expect(safeNextPath("/projects/fraud/targets?x=1")).toBe("/projects/fraud/targets?x=1");
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", "", null, "/sign-in?next=/x"]) {
      expect(safeNextPath(next)).toBe("/");
    }
  });

  it("checks the path it returns, not the one it was given: the classic open-redirect set falls back to /", async () => {
    const { safeNextPath } = await import("@/lib/auth/next-path");
    expect(OPEN_REDIRECTS.map((next) => [next, safeNextPath(next)])).toEqual(OPEN_REDIRECTS.map((next) => [next, "/"]));
    // Paths that only look odd stay what they are: they name a page of this site.
    expect(safeNextPath("/%5Cx")).toBe("/%5Cx");
    expect(safeNextPath("/%2F%2Fx")).toBe("/%2F%2Fx");
    expect(safeNextPath("/a/../projects/x?week=2026-03-02#kpis")).toBe("/projects/x?week=2026-03-02#kpis");
    // What it returns is a fixed point: the sign-in form sends it back, and it stays the same.
    for (const next of [...OPEN_REDIRECTS, "/%5Cx", "/projects/x"]) expect(safeNextPath(safeNextPath(next))).toBe(safeNextPath(next));
  });
});

describe("request facts stamped by the server", () => {
  const incoming = (headers: Record<string, string>, url = "/projects/x/targets?_rsc=abc&tab=1") =>
    ({ headers: { ...headers }, url, socket: { remoteAddress: "10.1.2.3", encrypted: undefined } }) as unknown as import("node:http").IncomingMessage;
  const facts = (request: import("node:http").IncomingMessage) => {
    const headers = new Headers(request.headers as Record<string, string>);
    return { address: clientAddress(headers), origin: siteOrigin(headers), path: requestPath(headers) };
  };

  it("overwrite whatever the client sent, and ignore X-Forwarded-* unless told to trust the proxy", () => {
    const forged = { host: "kpis.example.com", "x-shipshape-client-address": "1.1.1.1", "x-shipshape-site-origin": "https://evil.example", "x-forwarded-for": "9.9.9.9", "x-forwarded-proto": "https" };
    const request = incoming(forged);
    stampRequestFacts(request, {});
    expect(facts(request)).toEqual({ address: "10.1.2.3", origin: "http://kpis.example.com", path: "/projects/x/targets?tab=1" });

    const proxied = incoming({ host: "internal:3000", "x-forwarded-for": "6.6.6.6, 203.0.113.9", "x-forwarded-proto": "https", "x-forwarded-host": "kpis.example.com" });
    stampRequestFacts(proxied, { SHIPSHAPE_TRUST_PROXY: "1" });
    expect(facts(proxied)).toEqual({ address: "203.0.113.9", origin: "https://kpis.example.com", path: "/projects/x/targets?tab=1" });
  });
});
