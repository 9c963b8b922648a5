import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";
import { randomBytesPooled } from "./crypto.server";

/** Per-request nonce for the few inline scripts Remix renders (hydration data, module loader). */
export function nonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = randomBytesPooled(16).toString("base64");
  next();
}

const nonceSource = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce}'`;

export function securityHeaders(isProduction: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", nonceSource],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        // The development live-reload socket is the only exception, and only in development.
        "connect-src": isProduction ? ["'self'"] : ["'self'", "ws:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        ...(isProduction ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    strictTransportSecurity: isProduction ? { maxAge: 63072000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * Refuses a request whose declared body is larger than `max` bytes (413), before reading it, and
 * a body sent without a length (chunked, 411): forms read it whole into memory, so its size must
 * be known first. Browsers always send Content-Length with a form.
 */
export function bodyLimit(max: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.get("transfer-encoding") !== undefined && req.get("content-length") === undefined) {
      res.status(411).type("text/plain").send("Length required");
      return;
    }
    if (Number(req.get("content-length") ?? 0) > max) {
      res.status(413).type("text/plain").send("Payload too large");
      return;
    }
    next();
  };
}

/**
 * No page has a slash, a backslash or a control character inside a path segment, so a path that
 * has one once decoded (`/%2Fevil.test/apply/tasks`, double-encoded too) is refused before routing.
 * Otherwise it becomes the `:lang` parameter, and a redirect built from it (`/${lang}/apply/resume`)
 * reads `//evil.test/apply/resume`: a protocol-relative URL to another site.
 */
export function refuseAmbiguousPaths(req: Request, res: Response, next: NextFunction) {
  let path = req.path;
  for (let depth = 0; depth < 4; depth++) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
    if (/%2f|%5c|\\|\/\/|[\u0000-\u001f\u007f]/i.test(path)) {
      res.status(404).type("text/plain").send("Not found");
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      res.status(400).type("text/plain").send("Bad request");
      return;
    }
    if (decoded === path) break;
    path = decoded;
  }
  next();
}

/**
 * `//host`, `/\host`, `\\host` (browsers drop tabs and newlines first, so `/\t/host` too): what
 * browsers follow to another site from a "local" redirect.
 */
const leavesSite = (location: string) => /^\s*[/\\]{2}|^\s*\\/.test(location.replace(/[\t\n\r]/g, ""));

/**
 * Defence in depth for redirects: a Location header that would leave the site through a
 * protocol-relative URL is replaced by the home page, whatever route produced it.
 */
export function sameSiteRedirects(_req: Request, res: Response, next: NextFunction) {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name: string, value: number | string | readonly string[]) =>
    setHeader(
      name,
      name.toLowerCase() === "location" && typeof value === "string" && leavesSite(value) ? "/" : value,
    );
  next();
}

/** Geolocation is allowed only on the presence-in-France page, which needs it. */
export function permissionsPolicy(req: Request, res: Response, next: NextFunction) {
  const geolocation = /^\/[a-z]{2,3}\/presence\//.test(req.path) ? "(self)" : "()";
  res.setHeader("Permissions-Policy", `geolocation=${geolocation}, camera=(), microphone=(), payment=()`);
  next();
}

/** Pages are read (GET, HEAD) and forms posted (POST); anything else is refused before Remix (405). */
export function allowedMethods(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "POST") return next();
  res.status(405).set("Allow", "GET, HEAD, POST").type("text/plain").send("Method not allowed");
}

/**
 * Defence in depth on top of the CSRF token in every form: browsers say where a request comes
 * from, and a state-changing request from another site is refused before it reaches the app.
 */
export function sameOriginWrites(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const site = req.get("sec-fetch-site");
  const origin = req.get("origin");
  const crossSite =
    site === "cross-site" || (origin && origin !== "null" && hostOf(origin) !== req.get("host"));
  if (crossSite) {
    res.status(403).type("text/plain").send("Forbidden");
    return;
  }
  next();
}

/** The host of an Origin header; null for one that is not a URL (never the site's own host). */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Pages show personal data (back office, an applicant's answers and status) and carry each
 * visitor's CSRF token: unless a route sets its own Cache-Control (the versioned locale files), a
 * response is never kept by the browser's cache, its back/forward history or a proxy.
 */
export function noStoreByDefault(_req: Request, res: Response, next: NextFunction) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (!res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "no-store");
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
}
