/**
 * EOI reference numbers (`ABCD-EFGH-JK`) and family reference numbers (`F-ABCD-EFGH-J`).
 *
 * The alphabet and the EOI format are fixed by the `eois_reference_format_check` constraint in
 * db/schema/eoi.ts: A–H, J–N, P–Z, 2–9 (no I, O, 0 or 1, which are misread on paper and over the
 * phone). The last character is a check character.
 *
 * Check character: the characters are symbols of GF(32) (the field with 32 elements, built with the
 * primitive polynomial x⁵ + x² + 1), and a reference is valid when Σ xⁿ⁻ⁱ·vᵢ = 0 over all its n
 * symbols. Changing one symbol by e ≠ 0 changes the sum by xᵏ·e ≠ 0, and swapping two adjacent
 * different symbols a, b changes it by xᵏ·(x + 1)·(a + b) ≠ 0, because a field has no zero
 * divisors and x ≠ 1. So every single substitution and every adjacent transposition is caught
 * (and every swap of symbols two apart, as x² + 1 = (x + 1)² ≠ 0). Luhn mod 32 would not do: like
 * Luhn mod 10 missing 09 ↔ 90, it misses the swap of the first and last symbols (A9 ↔ 9A).
 *
 * Family references start from a different state, so the same ten symbols can never be both a
 * valid EOI reference and a valid family reference (the two sums differ by x¹⁰ ≠ 0): an EOI
 * reference typed in the family field, or the reverse, is always rejected.
 */

export const REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** Same pattern as the database check constraint. */
export const REFERENCE_PATTERN = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}$/;
export const FAMILY_REFERENCE_PATTERN = /^F-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]$/;

/** Returns `n` random bytes; injectable so tests can be deterministic. */
export type RandomBytes = (n: number) => Uint8Array;

const REFERENCE_BODY_LENGTH = 9;
const FAMILY_BODY_LENGTH = 8;
const FAMILY_PREFIX = "F";
const EOI_SEED = 0;
const FAMILY_SEED = 1;
// Ordinary spaces and dashes plus the look-alikes that phones and word processors substitute.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;
const ALPHABET_ONLY = /^[A-HJ-NP-Za-hj-np-z2-9]*$/;

const defaultRandom: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

function symbolOf(char: string): number {
  const value = REFERENCE_ALPHABET.indexOf(char);
  if (value < 0) throw new RangeError(`"${char}" is not a reference character`);
  return value;
}

/** Multiplication by x in GF(32) modulo x⁵ + x² + 1. */
function timesX(state: number): number {
  return ((state << 1) ^ (state & 0x10 ? 0x25 : 0)) & 0x1f;
}

function checksumState(symbols: string, seed: number): number {
  let state = seed;
  for (const char of symbols) state = timesX(state) ^ symbolOf(char);
  return state;
}

function checkCharacterFor(body: string, seed: number): string {
  return REFERENCE_ALPHABET.charAt(timesX(checksumState(body, seed)));
}

function randomSymbols(count: number, random: RandomBytes): string {
  const bytes = random(count);
  if (!(bytes instanceof Uint8Array) || bytes.length < count) {
    throw new RangeError(`random source returned fewer than ${count} bytes`);
  }
  let out = "";
  // 256 is a multiple of 32, so keeping the low five bits of a uniform byte is uniform: no modulo bias.
  for (let i = 0; i < count; i++) out += REFERENCE_ALPHABET.charAt((bytes[i] as number) & 0x1f);
  return out;
}

/** Upper-cases and drops spaces and dashes; null if anything left is outside the alphabet. */
function compact(input: string): string | null {
  if (typeof input !== "string") return null;
  const stripped = input.replace(SEPARATORS, "");
  // Checked before upper-casing so that e.g. "ß" cannot turn into "SS".
  return ALPHABET_ONLY.test(stripped) ? stripped.toUpperCase() : null;
}

/** Check character for the nine random characters of an EOI reference. */
export function referenceCheckCharacter(body: string): string {
  if (body.length !== REFERENCE_BODY_LENGTH) throw new RangeError("an EOI reference body has 9 characters");
  return checkCharacterFor(body, EOI_SEED);
}

/**
 * A new EOI reference, e.g. `K7QM-2XHD-9R`: nine random characters and a check character, from
 * the platform CSPRNG unless another source is given. Uniqueness is the database's job
 * (`eois_reference_uniq`): retry on conflict.
 */
export function generateReference(random: RandomBytes = defaultRandom): string {
  const body = randomSymbols(REFERENCE_BODY_LENGTH, random);
  return formatReference(body + referenceCheckCharacter(body));
}

/**
 * The canonical `XXXX-XXXX-XX` spelling of what a person typed: any case, spaces, missing or
 * extra dashes. Null when it is not ten characters of the alphabet; the check character is not
 * verified here (see `isValidReference` and `parseReference`). Characters are never guessed: a
 * typed O or 0 makes the input invalid rather than silently becoming another reference.
 */
export function normaliseReference(input: string): string | null {
  const chars = compact(input);
  if (chars === null || chars.length !== REFERENCE_BODY_LENGTH + 1) return null;
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** Whether the input, in any spelling `normaliseReference` accepts, is a reference with a correct check character. */
export function isValidReference(input: string): boolean {
  const canonical = normaliseReference(input);
  return canonical !== null && checksumState(canonical.replaceAll("-", ""), EOI_SEED) === 0;
}

/** The canonical form of a valid reference, or null: what to store or look up. */
export function parseReference(input: string): string | null {
  return isValidReference(input) ? normaliseReference(input) : null;
}

/** Groups ten reference characters as `XXXX-XXXX-XX`; throws if the input is not ten alphabet characters. */
export function formatReference(input: string): string {
  const canonical = normaliseReference(input);
  if (canonical === null)
    throw new RangeError("not a reference: expected 10 characters of the reference alphabet");
  return canonical;
}

/** A new family reference, e.g. `F-7QMX-2HDR-K`: eight random characters and a check character. */
export function generateFamilyReference(random: RandomBytes = defaultRandom): string {
  const body = randomSymbols(FAMILY_BODY_LENGTH, random);
  const check = checkCharacterFor(FAMILY_PREFIX + body, FAMILY_SEED);
  return `${FAMILY_PREFIX}-${body.slice(0, 4)}-${body.slice(4)}-${check}`;
}

/**
 * The canonical `F-XXXX-XXXX-X` spelling of a typed family reference (any case, spaces and
 * dashes). The leading F may be left out, unless what remains also starts with F: "FABCDEFGH"
 * could be either a reference without its prefix or one missing its last character, so it is
 * refused rather than guessed. Null when it cannot be a family reference; the check character is
 * not verified here.
 */
export function normaliseFamilyReference(input: string): string | null {
  const chars = compact(input);
  if (chars === null || !chars.startsWith(FAMILY_PREFIX)) {
    return chars?.length === FAMILY_BODY_LENGTH + 1 ? normaliseFamilyReference(FAMILY_PREFIX + chars) : null;
  }
  if (chars.length !== FAMILY_BODY_LENGTH + 2) return null;
  return `${FAMILY_PREFIX}-${chars.slice(1, 5)}-${chars.slice(5, 9)}-${chars.slice(9)}`;
}

export function isValidFamilyReference(input: string): boolean {
  const canonical = normaliseFamilyReference(input);
  return canonical !== null && checksumState(canonical.replaceAll("-", ""), FAMILY_SEED) === 0;
}

export function parseFamilyReference(input: string): string | null {
  return isValidFamilyReference(input) ? normaliseFamilyReference(input) : null;
}
