import { createHmac, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { type StaffRole, staffUsers } from "#db/schema";
import { encrypt } from "~/.server/crypto.server";
import { csrfCookieName } from "~/.server/csrf.server";
import { db } from "~/.server/db.server";
import { env } from "~/.server/env.server";
import { commitSession, getSession } from "~/.server/session.server";
import type { Actor } from "~/domain/audit/audit.server";
import { createStaffAccount } from "~/domain/staff/staff.service.server";

/** The load context the Express server gives loaders and actions, for calling route modules. */
export const routeContext = { clientIp: "127.0.0.1", requestId: "test", csrfToken: "", cspNonce: "" };

export const STAFF_TEST_PASSWORD = "correct horse battery staple";

export interface TestStaff {
  id: string;
  role: StaffRole;
  email: string;
  actor: Actor;
  /** A Cookie header for a signed-in session (password and second factor done). */
  cookie: string;
}

/**
 * A member of staff with a TOTP secret and a signed-in session, created straight in the
 * database: for tests of what a role may do, not of signing in (tests/e2e/staff.spec.ts does that).
 */
export async function signedInStaff(role: StaffRole, lang: "en" | "fr" = "en"): Promise<TestStaff> {
  const email = `${role}.${randomUUID().slice(0, 8)}@staff.test`;
  const id = await createStaffAccount(
    { email, name: `Test ${role}`, role, lang, password: STAFF_TEST_PASSWORD },
    { type: "system" },
  );
  // Someone who has been working a while: their authenticator is set up and their password their own.
  await db()
    .update(staffUsers)
    .set({ totpSecretEnc: encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), mustChangePassword: false })
    .where(eq(staffUsers.id, id));
  const session = await getSession(new Request("http://localhost/staff"));
  session.set("subject", `staff:${id}`);
  session.set("staffId", id);
  session.set("signedInAt", Date.now() + 1);
  const setCookie = await commitSession(session, 20);
  return {
    id,
    role,
    email,
    actor: { type: "staff", id, ip: "127.0.0.1", requestId: "test" },
    cookie: setCookie.split(";")[0] as string,
  };
}

/** The CSRF token test forms carry, valid with `csrfCookie()`. */
export const CSRF_TOKEN = "test-csrf-token";

/** The signed CSRF cookie (name=value) that makes CSRF_TOKEN valid. */
export const csrfCookie = () =>
  `${csrfCookieName}=${CSRF_TOKEN}.${createHmac("sha256", env.SESSION_SECRET).update(`csrf:${CSRF_TOKEN}`).digest("base64url")}`;

/** A request as the browser would send it, signed in as `staff`, with a valid CSRF token for POSTs. */
export function staffRequest(
  staff: Pick<TestStaff, "cookie"> | null,
  path: string,
  form?: Record<string, string>,
): Request {
  const headers = new Headers({ Origin: "http://localhost" });
  headers.set("Cookie", [staff?.cookie, csrfCookie()].filter(Boolean).join("; "));
  if (!form) return new Request(`http://localhost${path}`, { headers });
  headers.set("Content-Type", "application/x-www-form-urlencoded");
  const body = new URLSearchParams({ csrf: CSRF_TOKEN, ...form });
  return new Request(`http://localhost${path}`, { method: "POST", headers, body });
}
