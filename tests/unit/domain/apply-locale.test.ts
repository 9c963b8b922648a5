import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  childFields,
  codeFields,
  contactFields,
  declarationFields,
  eligibilityPages,
  sections,
} from "~/domain/eoi/eoi.pages";
import { codesOf, type Field, flatFields } from "~/domain/forms/fields";
import { repoRoot } from "../../support/test-env";

// Every question of the Expression of Interest needs its words in every language: a page title and
// intro, a section name for the task list, and per field a label, a hint, its options and one
// message for each error code the validation can produce (codesOf), no more and no fewer.

interface FieldTexts {
  label?: unknown;
  hint?: unknown;
  options?: Record<string, unknown>;
  errors?: Record<string, unknown>;
}

interface ApplyLocale {
  pages?: Record<string, { title?: unknown; intro?: unknown }>;
  sections?: Record<string, unknown>;
  fields?: Record<string, FieldTexts>;
  countries?: Record<string, unknown>;
}

const languages = ["en", "fr", "ar"] as const;
const load = (lang: string): ApplyLocale =>
  JSON.parse(readFileSync(join(repoRoot, "locales", lang, "apply.json"), "utf8")) as ApplyLocale;

const pages = [...eligibilityPages, ...sections.flatMap((s) => s.pages)];
const fields: Field[] = [
  ...flatFields(pages.flatMap((p) => p.fields)),
  ...contactFields,
  ...childFields,
  ...codeFields,
  ...declarationFields,
];
const filled = (value: unknown) => typeof value === "string" && value.trim() !== "";

/** The option values a field needs words for (a checkbox has one: "yes", the statement agreed to). */
function optionValues(field: Field): readonly string[] {
  if (field.kind === "radios") return field.options;
  if (field.kind === "checkbox") return ["yes"];
  return [];
}

describe("the questions are defined as expected", () => {
  it("have unique field names, so one key per field is enough", () => {
    const names = fields.map((f) => f.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe.each(languages)("locales/%s/apply.json", (lang) => {
  const locale = load(lang);

  it("has a title and an intro for every page", () => {
    const bad = pages
      .filter(
        (p) => !filled(locale.pages?.[p.slug]?.title) || typeof locale.pages?.[p.slug]?.intro !== "string",
      )
      .map((p) => p.slug);
    expect(bad).toEqual([]);
  });

  it("has no page that does not exist", () => {
    const slugs = new Set(pages.map((p) => p.slug));
    expect(Object.keys(locale.pages ?? {}).filter((s) => !slugs.has(s))).toEqual([]);
  });

  it("names every section", () => {
    expect(sections.filter((s) => !filled(locale.sections?.[s.id])).map((s) => s.id)).toEqual([]);
  });

  it("has a label and a hint for every field", () => {
    const bad = fields
      .filter(
        (f) => !filled(locale.fields?.[f.name]?.label) || typeof locale.fields?.[f.name]?.hint !== "string",
      )
      .map((f) => f.name);
    expect(bad).toEqual([]);
  });

  it("has words for every option of radios and checkboxes, and no others", () => {
    for (const field of fields) {
      const options = locale.fields?.[field.name]?.options;
      const values = optionValues(field);
      if (values.length === 0) {
        expect(options, `${field.name} needs no options`).toBeUndefined();
        continue;
      }
      expect(Object.keys(options ?? {}).sort(), field.name).toEqual([...values].sort());
      expect(
        values.filter((v) => !filled(options?.[v])),
        field.name,
      ).toEqual([]);
    }
  });

  it("has a message for exactly the error codes each field can produce", () => {
    for (const field of fields) {
      const errors = locale.fields?.[field.name]?.errors ?? {};
      expect(Object.keys(errors).sort(), field.name).toEqual(codesOf(field).sort());
      expect(
        codesOf(field).filter((code) => !filled(errors[code])),
        field.name,
      ).toEqual([]);
    }
  });

  it("has no field that does not exist", () => {
    const names = new Set(fields.map((f) => f.name));
    expect(Object.keys(locale.fields ?? {}).filter((n) => !names.has(n))).toEqual([]);
  });

  it("names the nationality that is not a country", () => {
    expect(filled(locale.countries?.stateless)).toBe(true);
  });
});
