import { RemixBrowser } from "@remix-run/react";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { namespacesOf } from "./i18n/config";
import { I18nProvider, type I18nValue } from "./i18n/react";
import { makeT, type Resources } from "./i18n/translate";

declare global {
  interface Window {
    __remixRouteModules: Record<string, { handle?: unknown } | undefined>;
  }
}

// Locale files come from /locales/<lang>/<ns>?v=<version>, cached for a year, so a phone on little
// data downloads each language's texts once. The server-rendered page is readable before this runs.
const lang = document.documentElement.lang;
const version = document.documentElement.dataset.localeVersion ?? "0";
const resources: Resources = {};
const loading = new Map<string, Promise<void>>();

function load(ns: string): Promise<void> {
  let pending = loading.get(ns);
  if (!pending) {
    pending = fetch(`/locales/${lang}/${ns}?v=${version}`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`locale ${lang}/${ns}: ${r.status}`))))
      .then((data: Record<string, unknown>) => {
        resources[ns] = data;
      });
    loading.set(ns, pending);
  }
  return pending;
}

const i18n: I18nValue = {
  lang,
  getT: (ns) => makeT(resources, ns),
  // A page reached by client navigation may need texts not loaded yet: suspend until they are
  // (the navigation is a transition, so the previous page stays on screen meanwhile).
  require(namespaces) {
    const missing = namespaces.filter((ns) => !resources[ns]);
    if (missing.length) throw Promise.all(missing.map(load));
  },
};

async function hydrate() {
  const namespaces = namespacesOf(Object.values(window.__remixRouteModules).map((m) => m?.handle));
  await Promise.all(namespaces.map(load));
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nProvider value={i18n}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nProvider>,
    );
  });
}

hydrate();
