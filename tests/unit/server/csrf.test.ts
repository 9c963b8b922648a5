import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { describe, expect, it } from "vitest";
import { csrfCookie, csrfCookieName, csrfField, verifyCsrf } from "~/.server/csrf.server";

interface Issued {
  token: string;
  /** The Set-Cookie value, if the middleware set one. */
  cookie?: { name: string; value: string; options: Record<string, unknown> };
}

/** Runs the real Express middleware, as the server does before every request reaches Remix. */
function issue(cookieHeader?: string): Issued {
  const issued: Partial<Issued> = {};
  const res = {
    locals: {} as Record<string, unknown>,
    cookie(name: string, value: string, options: Record<string, unknown>) {
      issued.cookie = { name, value, options };
      return res;
    },
  };
  let nextCalled = false;
  csrfCookie(
    { headers: { cookie: cookieHeader } } as ExpressRequest,
    res as unknown as ExpressResponse,
    () => {
      nextCalled = true;
    },
  );
  expect(nextCalled).toBe(true);
  return { ...issued, token: res.locals.csrfToken as string };
}

function post(cookie: string | undefined, fields: Record<string, string>) {
  const request = new Request("http://localhost/fr/apply", {
    method: "POST",
    headers: cookie ? { Cookie: cookie } : {},
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return () => verifyCsrf(request, form);
}

function thrownBy(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected verifyCsrf to throw");
}

async function expectForbidden(fn: () => void) {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(Response);
  expect((error as Response).status).toBe(403);
}

describe("CSRF token", () => {
  const first = issue();
  const cookieHeader = `other=1; ${csrfCookieName}=${first.cookie?.value}; theme=dark`;

  it("is issued in an HttpOnly, SameSite=Lax cookie holding a signed token", () => {
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.cookie?.name).toBe(csrfCookieName);
    expect(first.cookie?.value.startsWith(`${first.token}.`)).toBe(true);
    expect(first.cookie?.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
  });

  it("is kept, not reissued, while the visitor's cookie is valid", () => {
    const again = issue(cookieHeader);
    expect(again.token).toBe(first.token);
    expect(again.cookie).toBeUndefined();
  });

  it("is replaced when the cookie's signature is wrong", () => {
    const forged = issue(`${csrfCookieName}=${first.token}.forged-signature`);
    expect(forged.token).not.toBe(first.token);
    expect(forged.cookie).toBeDefined();
  });

  it("lets a form through with the matching cookie and field", () => {
    expect(post(cookieHeader, { [csrfField]: first.token, name: "x" })).not.toThrow();
  });

  it("refuses a form without the field (403)", async () => {
    await expectForbidden(post(cookieHeader, { name: "x" }));
  });

  it("refuses a form whose field does not match the cookie (403)", async () => {
    await expectForbidden(post(cookieHeader, { [csrfField]: issue().token }));
    await expectForbidden(post(cookieHeader, { [csrfField]: `${first.token}x` }));
    await expectForbidden(post(cookieHeader, { [csrfField]: "" }));
  });

  it("refuses a form without the cookie (403)", async () => {
    await expectForbidden(post(undefined, { [csrfField]: first.token }));
  });

  it("refuses a cookie that was not signed with the session secret (403)", async () => {
    const token = first.token;
    await expectForbidden(post(`${csrfCookieName}=${token}.not-the-signature`, { [csrfField]: token }));
    await expectForbidden(post(`${csrfCookieName}=${token}`, { [csrfField]: token }));
  });
});
