import { RemixBrowser } from "@remix-run/react";
import i18next, { type BackendModule } from "i18next";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nOptions, namespacesOf } from "./i18n/config";

declare global {
  interface Window {
    __remixRouteModules: Record<string, { handle?: unknown } | undefined>;
  }
}

// Locale files come from /locales/<lang>/<ns>?v=<version>, cached for a year, so a phone on little
// data downloads each language's texts once. The server-rendered page is readable before this runs.
const version = document.documentElement.dataset.localeVersion ?? "0";
const backend: BackendModule = {
  type: "backend",
  init() {},
  read(lang, ns, callback) {
    fetch(`/locales/${lang}/${ns}?v=${version}`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((data) => callback(null, data))
      .catch((error) => callback(error, false));
  },
};

async function hydrate() {
  const lang = document.documentElement.lang;
  await i18next
    .use(backend)
    .use(initReactI18next)
    .init({
      ...i18nOptions,
      lng: lang,
      ns: namespacesOf(Object.values(window.__remixRouteModules).map((m) => m?.handle)),
      react: { useSuspense: true },
    });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

hydrate();
