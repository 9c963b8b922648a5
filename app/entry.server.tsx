import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { languageResources, requestLanguage } from "./.server/i18n.server";
import { logger } from "./.server/logger.server";
import { I18nProvider } from "./i18n/react";
import { makeT } from "./i18n/translate";

const ABORT_DELAY = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const lang = requestLanguage(request);
  // Pages translate with the browser's own function, on the same texts: what the server renders
  // is what hydration expects, and i18next's per-call work (a twentieth of a page) is not done.
  const resources = languageResources(lang);
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    let deadline: NodeJS.Timeout | undefined;
    const send = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <I18nProvider value={{ lang, getT: (ns) => makeT(resources, ns) }}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={loadContext.cspNonce}
        />
      </I18nProvider>,
      {
        nonce: loadContext.cspNonce,
        onShellReady() {
          if (!waitForAll) send();
        },
        onAllReady() {
          // Rendered in full: nothing is left to abort (a timer per page otherwise lingered 5 s).
          clearTimeout(deadline);
          if (waitForAll) send();
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered)
            logger.error({ err: String(error), requestId: loadContext.requestId }, "render error");
        },
      },
    );
    deadline = setTimeout(abort, ABORT_DELAY);
  });
}

/** Errors are logged with the request id; users only ever see the friendly error page. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  const err =
    error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
  logger.error(
    { err, path: new URL(request.url).pathname.replace(/\/[A-Za-z0-9_-]{20,}/g, "/:token") },
    "unhandled error",
  );
};
