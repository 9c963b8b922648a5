import { createContext, type ReactNode, useContext } from "react";
import type { TFunction } from "./translate";

/**
 * Translation for components, with makeT on the server and in the browser. `useTranslation(ns)` mirrors react-i18next's hook for the part we use.
 */
export interface I18nValue {
  lang: string;
  /** A translation function whose default namespace is `ns`. */
  getT(ns: string): TFunction;
  /** Throws a promise (React Suspense) while the namespaces are still loading in the browser. */
  require?(namespaces: string[]): void;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ value, children }: { value: I18nValue; children: ReactNode }) {
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useTranslation(ns: string | string[] = "common"): {
  t: TFunction;
  i18n: { language: string };
} {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useTranslation outside I18nProvider");
  const namespaces = Array.isArray(ns) ? ns : [ns];
  value.require?.(namespaces);
  return { t: value.getT(namespaces[0] ?? "common"), i18n: { language: value.lang } };
}
