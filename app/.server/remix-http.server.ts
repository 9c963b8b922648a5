import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@remix-run/node";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { documentBody } from "./document.server";

// Between Express and Remix, as @remix-run/express does, except that a page rendered by
// entry.server.tsx goes out as one buffer (document.server.ts, decision 022), compressed in one
// call (decision 025).

/** The web Request Remix sees; aborted if the client goes away before the answer is sent. */
export function remixRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value) headers.set(key, value);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  // req.hostname follows the "trust proxy" setting (X-Forwarded-Host behind a load balancer).
  const port = (req.get("x-forwarded-host") ?? req.get("host"))?.split(":")[1];
  return new Request(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`, init);
}

/** Sends Remix's Response: a page in one write, anything else (redirects, data, files) streamed. */
export async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers) res.append(key, value);
  const html = documentBody(response);
  if (html) {
    const body = encodePage(res, html);
    res.setHeader("Content-Length", body.length);
    res.end(body);
  } else if (response.body) {
    await writeReadableStreamToWritable(response.body, res);
  } else {
    res.end();
  }
}

/**
 * A page compressed as the browser accepts, in one call: the compression middleware's stream cost
 * about eight times the deflate itself, and sent the page in chunks. gzip first (browsers list it
 * first): brotli would save 3–6% of a page's bytes, for twice the CPU (decision 025). The
 * middleware leaves a response that has a Content-Encoding alone, and still compresses the rest.
 */
function encodePage(res: ExpressResponse, html: Buffer): Buffer {
  res.vary("Accept-Encoding");
  const encoding = res.req.acceptsEncodings("gzip", "br");
  if (encoding === "gzip") {
    res.setHeader("Content-Encoding", "gzip");
    return gzipSync(html);
  }
  if (encoding === "br") {
    res.setHeader("Content-Encoding", "br");
    return brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
  }
  return html;
}
