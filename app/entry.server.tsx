import type { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { documentResponse } from "./.server/document.server";
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

  // Pages have no deferred data, so nothing is gained by streaming: the page is rendered in full
  // into memory and sent in one write (document.server.ts).
  return new Promise<Response>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let shellRendered = false;
    let deadline: NodeJS.Timeout | undefined;
    // What React's pipe() needs of a destination, and nothing more.
    const sink = {
      write(chunk: Uint8Array) {
        chunks.push(chunk);
        return true;
      },
      end() {
        clearTimeout(deadline);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(
          documentResponse(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }),
        );
      },
      destroy(error: unknown) {
        clearTimeout(deadline);
        reject(error);
      },
      on() {
        return sink;
      },
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
          shellRendered = true;
        },
        // Piped once complete, the page has its data inline, with no placeholders to swap in.
        onAllReady() {
          pipe(sink as unknown as Writable);
        },
        onShellError(error: unknown) {
          clearTimeout(deadline);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Before the shell, Remix's handleError logs it (onShellError rejects).
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
