import { describe, expect, it } from "vitest";
import {
  blindIndex,
  decrypt,
  decryptJson,
  encrypt,
  encryptJson,
  hashPassword,
  randomBytesPooled,
  randomToken,
  safeEqual,
  verifyPassword,
} from "~/.server/crypto.server";

/** Flips one character of a base64url segment of a "v1.<iv>.<tag>.<body>" token. */
function tamper(token: string, segment: 1 | 2 | 3): string {
  const parts = token.split(".");
  const part = parts[segment] ?? "";
  parts[segment] = (part[0] === "A" ? "B" : "A") + part.slice(1);
  return parts.join(".");
}

describe("encrypt / decrypt", () => {
  it.each(["", "Ahmad Rahimi", "محمد علي", "é".repeat(10_000)])("round-trips %#", (text) => {
    expect(decrypt(encrypt(text))).toBe(text);
  });

  it("never produces the same ciphertext twice and never contains the plaintext", () => {
    const a = encrypt("P1234567");
    const b = encrypt("P1234567");
    expect(a).not.toBe(b);
    expect(a.startsWith("v1.")).toBe(true);
    expect(a).not.toContain("P1234567");
  });

  it("reads what an earlier build wrote with the same key (a token kept from one)", () => {
    const stored =
      "v1.pjCLGedMErLK5Dbq.Oy0iwGPv6mcMFKyAupkb_g.RNHUbtuyx9XRFiYBQB6wJSX-N-hw3wg6RftsjH1TOHjajyX8gfLw";
    expect(decrypt(stored)).toBe("Amina Haddad, née en 1990 – محمد");
  });

  it("round-trips JSON", () => {
    const value = { fullName: "Élodie Müller", children: [{ age: 3 }], verified: true };
    expect(decryptJson(encryptJson(value))).toEqual(value);
  });

  it.each([1, 2, 3] as const)("detects tampering with segment %i (iv, tag, body)", (segment) => {
    const token = encrypt("Ahmad Rahimi, born 1990-01-31");
    expect(() => decrypt(tamper(token, segment))).toThrow();
  });

  it.each(["", "v1", "v1.a.b", "v2.a.b.c", "not a token"])("refuses the malformed token %j", (token) => {
    expect(() => decrypt(token)).toThrow();
  });
});

describe("blindIndex", () => {
  it("is deterministic for the same purpose and value", () => {
    expect(blindIndex("identity", "ali hassan|1990-01-31|SD")).toBe(
      blindIndex("identity", "ali hassan|1990-01-31|SD"),
    );
  });

  it("differs by value and by purpose, and does not reveal the value", () => {
    const index = blindIndex("identity", "ali hassan|1990-01-31|SD");
    expect(blindIndex("identity", "ali hassan|1990-01-30|SD")).not.toBe(index);
    expect(blindIndex("document", "ali hassan|1990-01-31|SD")).not.toBe(index);
    expect(index).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(index).not.toContain("hassan");
  });

  it("keeps the purpose and value apart (no ambiguity by concatenation)", () => {
    expect(blindIndex("email", "ab")).not.toBe(blindIndex("emaila", "b"));
  });
});

describe("passwords", () => {
  it("verify the right password only, with a fresh salt each time", async () => {
    const [first, second] = await Promise.all([
      hashPassword("Correct-Horse-42"),
      hashPassword("Correct-Horse-42"),
    ]);
    expect(first).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword("Correct-Horse-42", first)).toBe(true);
    expect(await verifyPassword("correct-horse-42", first)).toBe(false);
    expect(await verifyPassword("", first)).toBe(false);
  });

  it("compares Unicode passwords after NFKC normalisation", async () => {
    const stored = await hashPassword("mot-de-passe-é");
    // "e" + combining acute accent is the same text as "é".
    expect(await verifyPassword("mot-de-passe-e\u0301", stored)).toBe(true);
  });

  it.each(["", "plain", "bcrypt$x$y", "scrypt$131072$8$1$$"])(
    "refuses the stored value %j",
    async (stored) => {
      expect(await verifyPassword("anything", stored)).toBe(false);
    },
  );
});

describe("tokens", () => {
  it("are random url-safe strings of the requested entropy", () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(24)).toHaveLength(32);
    expect(randomToken()).not.toBe(randomToken());
  });

  it("come from a pool that never hands out the same bytes twice, across refills", () => {
    const seen = new Set<string>();
    // Over 4 KB of 12-byte IVs and 16-byte nonces: several refills of the pool.
    for (let i = 0; i < 600; i++) {
      const bytes = randomBytesPooled(i % 2 ? 12 : 16);
      expect(bytes).toHaveLength(i % 2 ? 12 : 16);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(600);
    // Bytes handed out earlier stay as they were when the pool moves on.
    const kept = randomBytesPooled(32);
    const copy = Buffer.from(kept);
    for (let i = 0; i < 300; i++) randomBytesPooled(16);
    expect(kept.equals(copy)).toBe(true);
    expect(randomBytesPooled(10_000)).toHaveLength(10_000);
  });

  it.each([
    ["abc", "abc", true],
    ["abc", "abd", false],
    ["abc", "abcd", false],
    ["", "", true],
  ])("safeEqual(%j, %j) is %s", (a, b, expected) => {
    expect(safeEqual(a, b)).toBe(expected);
  });
});
