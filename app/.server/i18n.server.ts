import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import i18next, { type i18n, type Resource, type TFunction } from "i18next";
import { defaultLanguage, i18nOptions, type LanguageInfo, staffLanguages } from "~/i18n/config";

interface Catalogue {
  resources: Resource;
  languages: LanguageInfo[];
  /** Changes whenever any locale file changes; used to cache locale files forever. */
  version: string;
}

function loadCatalogue(dir: string): Catalogue {
  const resources: Resource = {};
  const hash = createHash("sha256");
  const codes = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "common.json")))
    .map((d) => d.name)
    .sort();
  for (const code of codes) {
    resources[code] = {};
    for (const file of readdirSync(join(dir, code))
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const text = readFileSync(join(dir, code, file), "utf8");
      hash.update(`${code}/${file}\0${text}`);
      resources[code][file.slice(0, -5)] = JSON.parse(text);
    }
  }
  const languages = codes.map((code) => {
    const meta = (resources[code]?.common as { language?: { name?: string; dir?: string } } | undefined)
      ?.language;
    return { code, name: meta?.name ?? code, dir: meta?.dir === "rtl" ? "rtl" : "ltr" } as LanguageInfo;
  });
  return { resources, languages, version: hash.digest("hex").slice(0, 12) };
}

let catalogue: Catalogue | undefined;

function get(): Catalogue {
  catalogue ??= loadCatalogue(resolve(process.env.LOCALES_DIR ?? "locales"));
  return catalogue;
}

export const languages = (): LanguageInfo[] => get().languages;
export const localeVersion = (): string => get().version;
export const isLanguage = (code: string | undefined): code is string =>
  !!code && get().languages.some((l) => l.code === code);
export const languageInfo = (code: string): LanguageInfo =>
  get().languages.find((l) => l.code === code) ?? { code, name: code, dir: "ltr" };

/** Every namespace of a language, as the locale files hold them. */
export const languageResources = (lang: string): Record<string, Record<string, unknown>> =>
  (get().resources[lang] ?? {}) as Record<string, Record<string, unknown>>;

export function namespaceResource(lang: string, ns: string): Record<string, unknown> | undefined {
  return get().resources[lang]?.[ns] as Record<string, unknown> | undefined;
}

const instances = new Map<string, Promise<i18n>>();

/**
 * One instance per language, made once: every namespace is in memory anyway, and nothing changes
 * an instance's language or resources after init, so requests in different languages never mix.
 * (An instance per request was a tenth of the server's CPU.)
 */
export function i18nFor(lang: string): Promise<i18n> {
  let instance = instances.get(lang);
  if (!instance) {
    const made = i18next.createInstance();
    const resources = get().resources[lang] ?? {};
    instance = made
      .init({
        ...i18nOptions,
        lng: lang,
        ns: Object.keys(resources),
        resources: { [lang]: resources },
        initImmediate: false,
      })
      .then(() => made);
    instances.set(lang, instance);
  }
  return instance;
}

/** For text built on the server (emails, SMS, CSV headers, page titles in meta). */
export async function fixedT(lang: string, ns = "common"): Promise<TFunction> {
  return (await i18nFor(lang)).getFixedT(lang, ns);
}

/** First supported language in an Accept-Language header, or the default. */
export function negotiateLanguage(header: string | null, fallback: string): string {
  const ranked = (header ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { code: tag.toLowerCase().split("-")[0] ?? "", q: Number.isFinite(q) ? q : 0 };
    })
    .filter((x) => x.code && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.find((x) => isLanguage(x.code))?.code ?? fallback;
}

/** The back office's language, chosen in the staff member's profile (and before sign-in, here). */
export const staffLanguageCookie = "staff-lang";

/**
 * The language a request is rendered in: from the URL's first segment on public pages; in the
 * back office (/staff), from the staff-lang cookie (English or French, English by default).
 */
export function requestLanguage(request: Request): string {
  const url = new URL(request.url);
  const segment = url.pathname.split("/")[1];
  if (segment === "staff") {
    const cookie = request.headers.get("Cookie") ?? "";
    const chosen = new RegExp(`(?:^|;\\s*)${staffLanguageCookie}=([a-z]+)`).exec(cookie)?.[1];
    return (staffLanguages as readonly string[]).includes(chosen ?? "") ? (chosen as string) : "en";
  }
  return isLanguage(segment) ? segment : defaultLanguage;
}
