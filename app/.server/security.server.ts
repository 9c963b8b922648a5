import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

/** Per-request nonce for the few inline scripts Remix renders (hydration data, module loader). */
export function nonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = randomBytes(16).toString("base64");
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

/** Refuses a request whose declared body is larger than `max` bytes (413), before reading it. */
export function bodyLimit(max: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (Number(req.get("content-length") ?? 0) > max) {
      res.status(413).type("text/plain").send("Payload too large");
      return;
    }
    next();
  };
}

/** Geolocation is allowed only on the presence-in-France page, which needs it. */
export function permissionsPolicy(req: Request, res: Response, next: NextFunction) {
  const geolocation = /^\/[a-z]{2,3}\/presence\//.test(req.path) ? "(self)" : "()";
  res.setHeader("Permissions-Policy", `geolocation=${geolocation}, camera=(), microphone=(), payment=()`);
  next();
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
    site === "cross-site" || (origin && origin !== "null" && new URL(origin).host !== req.get("host"));
  if (crossSite) {
    res.status(403).type("text/plain").send("Forbidden");
    return;
  }
  next();
}

/** Back-office pages show personal data: never kept by the browser's cache or a proxy. */
export function noStore(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("Cache-Control", "no-store");
  next();
}
