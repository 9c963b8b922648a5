import type { InitOptions } from "i18next";

/**
 * Languages are discovered from the folders under locales/ (domain.md Part A §9: adding Dari or
 * Tigrinya must take only a new folder). Each folder's common.json names the language and its
 * direction. These are the ones shipped today; the server checks the folder list against it at boot.
 */
export const defaultLanguage = "fr";
/** The back office is used on both sides of the Channel, in English and French only. */
export const staffLanguages = ["en", "fr"] as const;

export interface LanguageInfo {
  code: string;
  name: string;
  dir: "ltr" | "rtl";
}

export const i18nOptions: InitOptions = {
  defaultNS: "common",
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
};

/** Namespaces a route needs, declared as `handle = { i18n: [...] }` and merged along the matches. */
export interface I18nHandle {
  i18n?: string[];
}

export function namespacesOf(handles: unknown[]): string[] {
  const set = new Set(["common"]);
  for (const h of handles) for (const ns of (h as I18nHandle | undefined)?.i18n ?? []) set.add(ns);
  return [...set];
}

export function localePath(lang: string, path: string): string {
  return `/${lang}${path === "/" ? "" : path}`;
}

/** Swaps the language segment of a path, keeping the rest and the query string. */
export function switchLanguagePath(pathWithSearch: string, lang: string): string {
  const queryAt = pathWithSearch.search(/[?#]/);
  const path = queryAt < 0 ? pathWithSearch : pathWithSearch.slice(0, queryAt);
  const query = queryAt < 0 ? "" : pathWithSearch.slice(queryAt);
  const [, , ...rest] = path.split("/");
  return `/${[lang, ...rest].join("/")}`.replace(/\/$/, "") + query;
}
