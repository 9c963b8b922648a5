import { describe, expect, it } from "vitest";
import { isLanguage, languageInfo, languages, negotiateLanguage } from "~/.server/i18n.server";
import { localePath, namespacesOf, switchLanguagePath } from "~/i18n/config";

describe("languages", () => {
  it("are discovered from locales/, each with its direction", () => {
    expect(languages().map((l) => [l.code, l.dir])).toEqual([
      ["ar", "rtl"],
      ["en", "ltr"],
      ["fr", "ltr"],
    ]);
    expect(languageInfo("ar").name).toBe("العربية");
  });

  it.each([
    ["fr", true],
    ["ar", true],
    ["de", false],
    ["", false],
    [undefined, false],
    ["FR", false],
    ["..", false],
  ])("isLanguage(%j) is %s", (code, expected) => {
    expect(isLanguage(code)).toBe(expected);
  });
});

describe("negotiateLanguage", () => {
  it.each<[string | null, string]>([
    [null, "fr"],
    ["", "fr"],
    ["*", "fr"],
    ["de-DE,de;q=0.9", "fr"],
    ["ar", "ar"],
    ["ar-SA,ar;q=0.9", "ar"],
    ["AR-sa", "ar"],
    ["en-GB,en;q=0.9", "en"],
    ["fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"],
    ["de-DE,de;q=0.9,en;q=0.8", "en"],
    ["fr;q=0.5, ar;q=0.8", "ar"],
    ["en;q=0, ar;q=0.1", "ar"],
    ["en;q=0", "fr"],
    ["en;q=nonsense, ar;q=0.2", "ar"],
    ["  ps , ar ", "ar"],
  ])("%j -> %s", (header, expected) => {
    expect(negotiateLanguage(header, "fr")).toBe(expected);
  });

  it("falls back to the given default", () => {
    expect(negotiateLanguage("de", "en")).toBe("en");
  });
});

describe("switchLanguagePath", () => {
  it.each([
    ["/fr/privacy", "en", "/en/privacy"],
    ["/fr", "ar", "/ar"],
    ["/fr/", "en", "/en"],
    ["/", "en", "/en"],
    ["/ar/apply/name", "fr", "/fr/apply/name"],
    ["/fr/privacy/", "en", "/en/privacy"],
    ["/fr/status?ref=ABCD-EFGH-JK", "en", "/en/status?ref=ABCD-EFGH-JK"],
    ["/fr?from=qr", "ar", "/ar?from=qr"],
  ])("%s to %s -> %s", (path, lang, expected) => {
    expect(switchLanguagePath(path, lang)).toBe(expected);
  });
});

describe("localePath", () => {
  it.each([
    ["fr", "/", "/fr"],
    ["ar", "/privacy", "/ar/privacy"],
    ["en", "/apply/name", "/en/apply/name"],
  ])("(%s, %s) -> %s", (lang, path, expected) => {
    expect(localePath(lang, path)).toBe(expected);
  });
});

describe("namespacesOf", () => {
  it("always includes common, first", () => {
    expect(namespacesOf([])).toEqual(["common"]);
  });

  it("merges the handles of the matched routes in order, without duplicates", () => {
    const handles = [
      undefined,
      null,
      { titleKey: "home.title" },
      { i18n: ["pages"] },
      { i18n: ["eoi", "pages", "common"] },
    ];
    expect(namespacesOf(handles)).toEqual(["common", "pages", "eoi"]);
  });
});
