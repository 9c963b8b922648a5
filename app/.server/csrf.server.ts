import { createHmac } from "node:crypto";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { randomToken, safeEqual } from "./crypto.server";
import { env } from "./env.server";

// Signed double-submit token: a random value in an HttpOnly cookie (signed with the session
// secret) must come back in the `csrf` field of every POST form. A cross-site page can neither
// read the cookie nor forge the signature.
export const csrfCookieName = env.isProduction ? "__Host-csrf" : "csrf";
export const csrfField = "csrf";

const sign = (token: string) =>
  `${token}.${createHmac("sha256", env.SESSION_SECRET).update(`csrf:${token}`).digest("base64url")}`;

function tokenFromCookieHeader(header: string | null | undefined): string | undefined {
  const raw = header
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${csrfCookieName}=`))
    ?.slice(csrfCookieName.length + 1);
  if (!raw) return undefined;
  const token = raw.split(".")[0] ?? "";
  return token && safeEqual(sign(token), raw) ? token : undefined;
}

/** Express middleware: makes sure every visitor has a token, exposed to loaders via context. */
export function csrfCookie(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  let token = tokenFromCookieHeader(req.headers.cookie);
  if (!token) {
    token = randomToken(24);
    res.cookie(csrfCookieName, sign(token), {
      httpOnly: true,
      sameSite: "lax",
      secure: env.isProduction,
      path: "/",
    });
  }
  res.locals.csrfToken = token;
  next();
}

export class CsrfError extends Error {}

/** Throws a 403 unless the form carries the token matching the visitor's cookie. */
export function verifyCsrf(request: Request, form: FormData): void {
  const expected = tokenFromCookieHeader(request.headers.get("Cookie"));
  const given = form.get(csrfField);
  if (!expected || typeof given !== "string" || !safeEqual(given, expected)) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
}
