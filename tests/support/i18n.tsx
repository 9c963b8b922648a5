import { readdirSync, readFileSync } from "node:fs";
import i18next, { type i18n, type Resource } from "i18next";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createPath, type Navigator, Router } from "react-router";
import { i18nOptions } from "~/i18n/config";
import { I18nProvider } from "~/i18n/react";
import type { TFunction } from "~/i18n/translate";

const localesDir = new URL("../../locales/", import.meta.url);

/** An i18next instance with every namespace of one language, loaded synchronously from locales/. */
export function createTestI18n(lang = "en"): i18n {
  const namespaces: Resource[string] = {};
  for (const file of readdirSync(new URL(`${lang}/`, localesDir)).filter((f) => f.endsWith(".json"))) {
    namespaces[file.slice(0, -".json".length)] = JSON.parse(
      readFileSync(new URL(`${lang}/${file}`, localesDir), "utf8"),
    );
  }
  const instance = i18next.createInstance();
  void instance.init({
    ...i18nOptions,
    lng: lang,
    ns: Object.keys(namespaces),
    resources: { [lang]: namespaces },
    initImmediate: false,
  });
  return instance;
}

/** A router that never navigates: enough for Remix <Link> to render its href. */
const staticNavigator: Navigator = {
  createHref: (to) => (typeof to === "string" ? to : createPath(to)),
  go: () => {},
  push: () => {},
  replace: () => {},
};

/**
 * Wraps a tree in the language's translations and a static router (as on the server, so links
 * render without layout-effect warnings).
 */
export function TestProviders({ lang = "en", children }: { lang?: string; children: ReactNode }) {
  return (
    <Router location="/" navigator={staticNavigator} static>
      <I18nProvider value={{ lang, getT: (ns) => createTestI18n(lang).getFixedT(lang, ns) as TFunction }}>
        {children}
      </I18nProvider>
    </Router>
  );
}

/** Server-renders a tree to HTML, as the first response a browser without JavaScript gets. */
export function render(node: ReactNode, lang = "en"): string {
  return renderToStaticMarkup(<TestProviders lang={lang}>{node}</TestProviders>);
}
