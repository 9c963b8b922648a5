import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, Suspense, useState } from "react";
import { useTranslation } from "~/i18n/react";
import { languageInfo, languages, localeVersion, requestLanguage } from "./.server/i18n.server";
import { Chrome } from "./components/layout/chrome";
import { DocumentTitle } from "./components/layout/document-title";
import { FormErrorsProvider } from "./components/layout/form-errors";
import { defaultLanguage } from "./i18n/config";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // From the URL, as entry.server.tsx does: an unknown page under /ar (matched by the "*" route,
  // which has no :lang param) is still rendered in Arabic, so lang and dir must say so.
  const lang = requestLanguage(request);
  return {
    lang,
    dir: languageInfo(lang).dir,
    languages: languages(),
    localeVersion: localeVersion(),
    csrfToken: context.csrfToken,
    nonce: context.cspNonce,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export const useRootData = () => useRouteLoaderData<typeof loader>("root");

/**
 * A page with nothing to enhance says `handle: { hydrate: false }`: loaded as a document, it comes
 * without scripts, so a cheap phone neither downloads nor runs them. Decided once per document: a
 * page reached by client navigation keeps the scripts already running.
 */
function useScripts(): boolean {
  const matches = useMatches();
  const [scripts] = useState(
    () => !matches.some((m) => (m.handle as { hydrate?: boolean } | undefined)?.hydrate === false),
  );
  return scripts;
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  const lang = data?.lang ?? defaultLanguage;
  const scripts = useScripts();
  return (
    <FormErrorsProvider>
      <html lang={lang} dir={data?.dir ?? "ltr"} data-locale-version={data?.localeVersion}>
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="theme-color" content="#0b0c0c" />
          <DocumentTitle />
          <Meta />
          <Links />
        </head>
        <body>
          {children}
          {scripts && (
            <>
              <ScrollRestoration nonce={data?.nonce} />
              <Scripts nonce={data?.nonce} />
            </>
          )}
        </body>
      </html>
    </FormErrorsProvider>
  );
}

export default function App() {
  // Locale files for a newly visited area load during the navigation's transition, so the
  // previous page stays on screen instead of a blank fallback.
  return (
    <Suspense fallback={null}>
      <Outlet />
    </Suspense>
  );
}

/** Friendly, translated, and never a stack trace: details go to the logs with the request id. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation("common");
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const forbidden = isRouteErrorResponse(error) && (error.status === 403 || error.status === 401);
  const key = notFound ? "notFound" : forbidden ? "forbidden" : "serverError";
  return (
    <Chrome>
      <h1 className="govuk-heading-l">{t(`errors.${key}.title`)}</h1>
      <p className="govuk-body">{t(`errors.${key}.body`)}</p>
    </Chrome>
  );
}
