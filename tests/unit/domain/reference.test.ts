import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  FAMILY_REFERENCE_PATTERN,
  formatReference,
  generateFamilyReference,
  generateReference,
  isValidFamilyReference,
  isValidReference,
  normaliseFamilyReference,
  normaliseReference,
  parseFamilyReference,
  parseReference,
  REFERENCE_ALPHABET,
  REFERENCE_PATTERN,
  referenceCheckCharacter,
} from "~/domain/eoi/reference";

/** The pattern of the `eois_reference_format_check` constraint, read from the schema itself. */
function databasePattern(): RegExp {
  const schema = readFileSync(new URL("../../../db/schema/eoi.ts", import.meta.url), "utf8");
  const match = /reference\} ~ '(\^[^']+\$)'/.exec(schema);
  if (!match?.[1]) throw new Error("reference check constraint not found in db/schema/eoi.ts");
  return new RegExp(match[1]);
}

/** A deterministic stand-in for crypto.getRandomValues (xorshift32). */
function seededRandom(seed: number) {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 0xff;
    }
    return out;
  };
}

const bytes =
  (...values: number[]) =>
  (n: number) =>
    Uint8Array.from({ length: n }, (_, i) => values[i % values.length] ?? 0);

const compact = (reference: string) => reference.replaceAll("-", "");

/** Every string one substitution or one adjacent transposition away from `chars`. */
function singleErrors(chars: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    for (const replacement of REFERENCE_ALPHABET) {
      if (replacement !== chars[i]) out.push(chars.slice(0, i) + replacement + chars.slice(i + 1));
    }
    if (i + 1 < chars.length && chars[i] !== chars[i + 1]) {
      out.push(chars.slice(0, i) + chars[i + 1] + chars[i] + chars.slice(i + 2));
    }
  }
  return out;
}

describe("alphabet", () => {
  it("has the 32 characters the database allows and none of I, O, 0, 1", () => {
    expect(REFERENCE_ALPHABET).toHaveLength(32);
    expect(new Set(REFERENCE_ALPHABET).size).toBe(32);
    for (const char of REFERENCE_ALPHABET) expect(char).toMatch(/^[A-HJ-NP-Z2-9]$/);
    for (const char of "IO01") expect(REFERENCE_ALPHABET).not.toContain(char);
  });

  it("uses the same format as the database check constraint", () => {
    expect(REFERENCE_PATTERN.source).toBe(databasePattern().source);
  });
});

describe("generateReference", () => {
  it("generates 10,000 distinct valid references that satisfy the database constraint", () => {
    const dbPattern = databasePattern();
    const references = Array.from({ length: 10_000 }, () => generateReference());
    expect(references.filter((reference) => !dbPattern.test(reference))).toEqual([]);
    expect(references.filter((reference) => parseReference(reference) !== reference)).toEqual([]);
    expect(new Set(references).size).toBe(10_000);
  });

  it("uses the low five bits of each random byte, so every character is equally likely", () => {
    expect(generateReference(bytes(0))).toBe("AAAA-AAAA-AA");
    // 32, 64 … 224 all have low five bits 0: the high bits are ignored, not folded in with a modulo.
    expect(generateReference(bytes(32, 64, 96, 128, 160, 192, 224))).toBe("AAAA-AAAA-AA");
    expect(compact(generateReference(bytes(31))).slice(0, 9)).toBe("999999999");
    expect(compact(generateReference(bytes(...Array.from({ length: 9 }, (_, i) => i)))).slice(0, 9)).toBe(
      "ABCDEFGHJ",
    );
  });

  it("draws characters evenly", () => {
    const counts = new Map<string, number>();
    const random = seededRandom(42);
    const references = 10_000;
    for (let i = 0; i < references; i++) {
      for (const char of compact(generateReference(random)).slice(0, 9)) {
        counts.set(char, (counts.get(char) ?? 0) + 1);
      }
    }
    const expected = (references * 9) / 32;
    expect(counts.size).toBe(32);
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.1);
  });

  it("refuses a random source that returns too few bytes", () => {
    expect(() => generateReference(() => new Uint8Array(3))).toThrow(RangeError);
  });
});

describe("check character", () => {
  it("detects every single substitution and every adjacent transposition in 2,000 references", () => {
    const random = seededRandom(7);
    const undetected: string[] = [];
    let tried = 0;
    for (let n = 0; n < 2_000; n++) {
      const chars = compact(generateReference(random));
      for (const typo of singleErrors(chars)) {
        tried++;
        if (isValidReference(typo)) undetected.push(`${chars} -> ${typo}`);
      }
    }
    expect(undetected).toEqual([]);
    expect(tried).toBeGreaterThan(2_000 * 10 * 31);
  });

  it("detects every adjacent transposition whatever came before (exhaustive)", () => {
    // The first symbol sets every possible intermediate state; a and b are the swapped pair.
    for (const first of REFERENCE_ALPHABET) {
      for (const a of REFERENCE_ALPHABET) {
        for (const b of REFERENCE_ALPHABET) {
          if (a === b) continue;
          expect(referenceCheckCharacter(`${first}${a}${b}AAAAAA`)).not.toBe(
            referenceCheckCharacter(`${first}${b}${a}AAAAAA`),
          );
        }
      }
    }
  });

  it("detects a transposition of the last two characters and of the check character", () => {
    const reference = compact(generateReference(bytes(3, 17, 29, 8, 0, 12, 31, 4, 21)));
    expect(isValidReference(reference)).toBe(true);
    const swapped = reference.slice(0, 8) + reference[9] + reference[8];
    if (reference[8] !== reference[9]) expect(isValidReference(swapped)).toBe(false);
  });

  it("only accepts bodies of nine characters", () => {
    expect(() => referenceCheckCharacter("ABCD")).toThrow(RangeError);
  });
});

describe("normaliseReference", () => {
  it.each([
    ["ABCD-EFGH-JK", "ABCD-EFGH-JK"],
    ["abcd-efgh-jk", "ABCD-EFGH-JK"],
    ["ABCDEFGHJK", "ABCD-EFGH-JK"],
    ["abcd efgh jk", "ABCD-EFGH-JK"],
    ["  abcd-efghjk ", "ABCD-EFGH-JK"],
    ["ABCD--EFGH---JK", "ABCD-EFGH-JK"],
    ["A-B-C-D-E-F-G-H-J-K", "ABCD-EFGH-JK"],
    ["ABCD\u2011EFGH\u2013JK", "ABCD-EFGH-JK"],
    ["ABCD\u00a0EFGH\tJK", "ABCD-EFGH-JK"],
    ["Zz23-4567-89", "ZZ23-4567-89"],
  ])("normalises %j to %s", (input, expected) => {
    expect(normaliseReference(input)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["ABCD-EFGH-J", "too short"],
    ["ABCD-EFGH-JKL", "too long"],
    ["ABCD-EFGH-J0", "zero"],
    ["OBCD-EFGH-JK", "letter O"],
    ["IBCD-EFGH-JK", "letter I"],
    ["1BCD-EFGH-JK", "digit 1"],
    ["ABCD_EFGH_JK", "underscores"],
    ["ABCD.EFGH.JK", "dots"],
    ["ÀBCD-EFGH-JK", "accented letter"],
    ["ABCD-EFGH-ß", "letter that upper-cases to two"],
    ["ABCD-EFGH-J<", "markup"],
  ])("rejects %j (%s)", (input) => {
    expect(normaliseReference(input)).toBeNull();
    expect(isValidReference(input)).toBe(false);
    expect(parseReference(input)).toBeNull();
  });

  it("accepts a valid reference however it is typed", () => {
    const reference = generateReference(seededRandom(99));
    const spellings = [
      reference,
      reference.toLowerCase(),
      compact(reference),
      compact(reference).toLowerCase().split("").join(" "),
      ` ${reference.replace("-", " - ")} `,
    ];
    for (const spelling of spellings) {
      expect(isValidReference(spelling)).toBe(true);
      expect(parseReference(spelling)).toBe(reference);
    }
  });

  it("does not check the check character, isValidReference does", () => {
    const reference = compact(generateReference(seededRandom(5)));
    const wrongCheck = reference.slice(0, 9) + (reference[9] === "A" ? "B" : "A");
    expect(normaliseReference(wrongCheck)).toBe(formatReference(wrongCheck));
    expect(isValidReference(wrongCheck)).toBe(false);
    expect(parseReference(wrongCheck)).toBeNull();
  });
});

describe("formatReference", () => {
  it("groups ten characters as XXXX-XXXX-XX", () => {
    expect(formatReference("abcdefghjk")).toBe("ABCD-EFGH-JK");
  });

  it("throws on anything else", () => {
    expect(() => formatReference("ABCDEFGHJ")).toThrow(RangeError);
    expect(() => formatReference("ABCDEFGHJO")).toThrow(RangeError);
  });
});

describe("family references", () => {
  it("generates 10,000 valid family references in the F-XXXX-XXXX-X format", () => {
    const references = Array.from({ length: 10_000 }, () => generateFamilyReference());
    expect(references.filter((reference) => !FAMILY_REFERENCE_PATTERN.test(reference))).toEqual([]);
    expect(references.filter((reference) => parseFamilyReference(reference) !== reference)).toEqual([]);
  });

  it("detects every single substitution and adjacent transposition in 2,000 family references", () => {
    const random = seededRandom(11);
    const undetected: string[] = [];
    for (let n = 0; n < 2_000; n++) {
      const chars = compact(generateFamilyReference(random)).slice(1);
      for (const typo of singleErrors(chars)) if (isValidFamilyReference(`F${typo}`)) undetected.push(typo);
    }
    expect(undetected).toEqual([]);
  });

  it("can never be mistaken for an EOI reference, nor an EOI reference for one", () => {
    const random = seededRandom(3);
    const confused: string[] = [];
    let eoiStartingWithF = 0;
    for (let i = 0; i < 20_000; i++) {
      const family = generateFamilyReference(random);
      if (isValidReference(family) || isValidReference(compact(family)) || REFERENCE_PATTERN.test(family)) {
        confused.push(family);
      }
      const eoi = generateReference(random);
      if (isValidFamilyReference(eoi)) confused.push(eoi);
      // The same ten characters as an "F…" family reference: ruled out by the check, not by luck.
      if (eoi.startsWith("F")) eoiStartingWithF++;
    }
    expect(confused).toEqual([]);
    expect(eoiStartingWithF).toBeGreaterThan(100);
  });

  it.each([
    ["F-ABCD-EFGH-J", "F-ABCD-EFGH-J"],
    ["f abcd efgh j", "F-ABCD-EFGH-J"],
    ["FABCDEFGHJ", "F-ABCD-EFGH-J"],
    ["abcd-efgh-j", "F-ABCD-EFGH-J"],
    ["F-FBCD-EFGH-J", "F-FBCD-EFGH-J"],
    ["F--ABCD EFGH--J", "F-ABCD-EFGH-J"],
  ])("normalises %j to %s", (input, expected) => {
    expect(normaliseFamilyReference(input)).toBe(expected);
  });

  it.each([
    ["ABCD-EFGH-JK", "an EOI-shaped reference"],
    ["F-ABCD-EFGH", "too short"],
    ["FABCDEFGH", "too short, or a body starting with F typed without its prefix: ambiguous"],
    ["F-ABCD-EFGH-JKL", "too long"],
    ["F-ABCD-EFGH-0", "zero"],
    ["F-ABCD-OFGH-J", "letter O"],
    ["", "empty"],
  ])("rejects %j (%s)", (input) => {
    expect(normaliseFamilyReference(input)).toBeNull();
    expect(isValidFamilyReference(input)).toBe(false);
  });

  it("accepts a valid family reference typed without its F or in lower case", () => {
    const reference = generateFamilyReference(seededRandom(8));
    expect(parseFamilyReference(reference.slice(2))).toBe(reference);
    expect(parseFamilyReference(reference.toLowerCase().replaceAll("-", " "))).toBe(reference);
  });
});
