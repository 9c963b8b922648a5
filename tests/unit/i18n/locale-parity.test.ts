import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../support/test-env";

// House style: every user-visible string comes from locales/, with the same keys in every language.
// Arrays (content sections, paragraphs) are compared item by item, so a translation that drops a
// paragraph is caught. No plural forms: languages need different sets (Arabic six, English two),
// which would break key parity, so a number is written after a colon ("Cases on this page: 12").

const localesDir = join(repoRoot, "locales");
const languages = readdirSync(localesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(localesDir, d.name, "common.json")))
  .map((d) => d.name)
  .sort();

type Leaves = Map<string, unknown>;

/** Leaves keyed "namespace:path.to.key" (array items by index). */
function flatten(value: unknown, key: string, out: Leaves): void {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [child, v] of entries)
      flatten(v, key.endsWith(":") ? `${key}${child}` : `${key}.${child}`, out);
  } else {
    out.set(key, value);
  }
}

function load(lang: string): Leaves {
  const leaves: Leaves = new Map();
  for (const file of readdirSync(join(localesDir, lang)).filter((f) => f.endsWith(".json"))) {
    const text = readFileSync(join(localesDir, lang, file), "utf8");
    flatten(JSON.parse(text), `${file.slice(0, -".json".length)}:`, leaves);
  }
  return leaves;
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/;
const catalogues = new Map(languages.map((lang) => [lang, load(lang)]));
const keysOf = (lang: string) => new Set(catalogues.get(lang)?.keys() ?? []);
const variables = (text: string) =>
  [...new Set([...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1]))].sort();

describe("locale files", () => {
  it("exist for French, English and Arabic", () => {
    expect(languages).toEqual(expect.arrayContaining(["fr", "en", "ar"]));
  });

  it("use the same namespaces in every language", () => {
    const files = (lang: string) =>
      readdirSync(join(localesDir, lang))
        .filter((f) => f.endsWith(".json"))
        .sort();
    for (const lang of languages) expect(files(lang), lang).toEqual(files("fr"));
  });

  it.each(languages)("%s has every key the other languages have", (lang) => {
    const all = new Set(languages.flatMap((l) => [...keysOf(l)]));
    const own = keysOf(lang);
    expect([...all].filter((k) => !own.has(k))).toEqual([]);
  });

  it.each(languages)("%s has no empty or non-string texts", (lang) => {
    const bad = [...(catalogues.get(lang) ?? [])]
      .filter(([, value]) => typeof value !== "string" || value.trim() === "")
      .map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it.each(languages)("%s uses the same {{variables}} as French in every text", (lang) => {
    const french = catalogues.get("fr") ?? new Map<string, unknown>();
    const differing = [...(catalogues.get(lang) ?? [])]
      .filter(([key, value]) => {
        const reference = french.get(key);
        if (typeof reference !== "string" || typeof value !== "string") return false;
        return variables(reference).join() !== variables(value).join();
      })
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it.each(languages)("%s has no plural forms", (lang) => {
    expect([...keysOf(lang)].filter((k) => pluralSuffix.test(k))).toEqual([]);
  });

  it("name each language and its direction in common.json", () => {
    for (const lang of languages) {
      expect(catalogues.get(lang)?.get("common:language.name"), lang).toBeTruthy();
      expect(catalogues.get(lang)?.get("common:language.dir"), lang).toBe(lang === "ar" ? "rtl" : "ltr");
    }
  });
});
