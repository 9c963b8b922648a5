import fc from "fast-check";
import { type Field, flatFields } from "~/domain/forms/fields";

/*
 * Hostile input for the fuzz tests: what a tampered browser, a script or a copy-paste can post.
 * Values are built from pieces so one value can mix scripts, directions and control characters.
 */

/** Text that is dangerous or awkward somewhere: markup, bidi overrides, NUL, other scripts, emoji. */
export const nastyPieces = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "\u202Egnp.exe\u202C",
  "\u202B\u05E9\u05DC\u05D5\u05DD\u202C",
  "\u2066isolate\u2069",
  "\u200F\u200E",
  "أمينة حداد",
  "王小明",
  "Ñoño Ølsen-Åberg",
  "👩‍👩‍👧‍👦🇫🇷",
  "\u0000",
  "\uD800",
  "\r\n",
  "\t",
  "\u00a0\u202f",
  "'; drop table eois; --",
  "%00%2e%2e%2f",
  "../../etc/passwd",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template injection, as typed
  "${7*7}{{7*7}}",
  "   ",
];

/** Names every JavaScript object has: a lookup by `in` or `obj[key]` finds them. */
export const prototypeNames = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...nastyPieces), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 8 }), weight: 1 },
  { arbitrary: fc.stringMatching(/^\d{1,4}$/), weight: 1 },
);

/** Past every field's limit (5,000 is the schemas' hard cap on any raw input). */
export const hugeString = fc
  .constantFrom(101, 1001, 5001, 100_000, 1_000_000)
  .chain((length) =>
    fc.constantFrom("A", "<", "\u202E", "é", "😀").map((c) => c.repeat(length).slice(0, length)),
  );

export const hostileString = fc.oneof(
  { arbitrary: fc.array(piece, { maxLength: 6 }).map((parts) => parts.join("")), weight: 8 },
  { arbitrary: hugeString, weight: 1 },
);

/** Anything but a string, for callers that are not a form post (the browser validator, a test, a bug). */
export const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 2 }),
);

/**
 * A value for a field: often one that passes (so the fuzz reaches the code after validation),
 * otherwise hostile text or a name every object has.
 */
export function fieldValue(samples: readonly string[]) {
  return fc.oneof(
    ...(samples.length ? [{ arbitrary: fc.constantFrom(...samples), weight: 4 }] : []),
    { arbitrary: hostileString, weight: 3 },
    { arbitrary: fc.constantFrom(...prototypeNames), weight: 1 },
  );
}

/** A key of a posted form: one the form has (most often), or one it does not. */
export const formKey = (names: readonly string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...names), weight: 6 },
    { arbitrary: fc.constantFrom("intent", "csrf", "website", "", ...prototypeNames), weight: 1 },
    { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
  );

/** Text that passes some field somewhere: names, codes, emails, phone numbers, times, counts. */
export const passingTexts = [
  "Amina",
  "Haddad",
  "123456",
  "amina@example.org",
  "06 12 34 56 78",
  "+447700900123",
  "75001",
  "09:00",
  "17:30",
  "30",
  "4",
  "1 000",
  "Calais",
  "a long enough password",
];

/** Values that pass each input of these fields (a date posts three inputs). */
export function passingValues(fields: readonly Field[]): Record<string, string[]> {
  // No prototype: a fuzzed key such as "constructor" must find no samples.
  const samples: Record<string, string[]> = Object.create(null);
  for (const field of flatFields([...fields])) {
    switch (field.kind) {
      case "radios":
      case "select":
        samples[field.name] = [...field.options];
        break;
      case "checkbox":
        samples[field.name] = ["yes"];
        break;
      case "date":
        samples[`${field.name}-day`] = ["1", "15", "28"];
        samples[`${field.name}-month`] = ["1", "6", "12"];
        samples[`${field.name}-year`] = ["1990", "2010", String(new Date().getFullYear() + 1)];
        break;
      default:
        samples[field.name] = passingTexts;
    }
  }
  return samples;
}

/**
 * A posted form as a list of pairs: each of the fields' inputs given or not, with a passing or
 * hostile value, in any order; now and then a key twice (the last one counts) or one the form
 * does not have.
 */
export function formPairs(samples: Record<string, readonly string[]>) {
  const names = Object.keys(samples);
  const known = fc
    .record(Object.fromEntries(names.map((n) => [n, fieldValue(samples[n] ?? [])])), { requiredKeys: [] })
    // Keys left out are absent, never undefined.
    .map((values) => Object.entries(values) as [string, string][]);
  const extra = fc.array(fc.tuple(formKey(names.length ? names : ["intent"]), hostileString), {
    minLength: 1,
    maxLength: 3,
  });
  return fc
    .tuple(known, fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: extra, weight: 1 }))
    .chain(([given, more]) => {
      const pairs = [...given, ...more];
      return fc.shuffledSubarray(pairs, { minLength: pairs.length });
    });
}
