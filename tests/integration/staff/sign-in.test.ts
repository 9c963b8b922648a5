import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { auditLog, notifications, sessions, staffUsers } from "#db/schema";
import { decrypt } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { getSession } from "~/.server/session.server";
import { currentStaff, safeNext } from "~/.server/staff-auth.server";
import {
  createStaffAccount,
  disableStaffAccount,
  signOutEverywhere,
} from "~/domain/staff/staff.service.server";
import * as accountNew from "~/routes/staff/account-new";
import * as accounts from "~/routes/staff/accounts";
import * as home from "~/routes/staff/index";
import * as signIn from "~/routes/staff/sign-in";
import * as signInCode from "~/routes/staff/sign-in-code";
import * as setUp from "~/routes/staff/totp-setup";
import { setupTestDatabase } from "../../support/db";
import { routeContext, STAFF_TEST_PASSWORD, signedInStaff, staffRequest } from "../../support/staff";

setupTestDatabase("staff-sign-in");

const context = routeContext;
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context });
const password = "a long enough password";
const code = (secret: string, at = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });

/** Keeps the cookies a browser would keep between requests. */
class Jar {
  cookies = new Map<string, string>();
  take(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }
  get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  request(path: string, form?: Record<string, string>) {
    const request = staffRequest({ cookie: this.cookie }, path, form);
    return request;
  }
}

async function run<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function newAccount(email: string) {
  return createStaffAccount(
    { email, name: "Camille Martin", role: "caseworker", lang: "fr", password },
    { type: "system" },
  );
}

async function signInWithPassword(jar: Jar, email: string, pass = password, path = "/staff/sign-in") {
  return jar.take((await signIn.action(args(jar.request(path, { email, password: pass })))) as Response);
}

describe("staff sign-in, step by step", () => {
  it("sets up the authenticator at first sign-in, then signs in with a session cookie that ends with the browser", async () => {
    const id = await newAccount("first@staff.test");
    const jar = new Jar();
    const afterPassword = await signInWithPassword(
      jar,
      "First@Staff.test",
      password,
      "/staff/sign-in?next=%2Fstaff%2Fcases",
    );
    expect(afterPassword.status).toBe(302);
    expect(afterPassword.headers.get("Location")).toBe("/staff/sign-in/set-up");
    // Half signed in is not signed in.
    expect(await run(() => home.loader(args(jar.request("/staff"))))).toMatchObject({ status: 302 });

    const page = (await setUp.loader(args(jar.request("/staff/sign-in/set-up")))) as unknown as {
      data: { secret: string; qr: string };
      init: { headers: Record<string, string> };
    };
    jar.take(new Response(null, { headers: page.init.headers }));
    const { secret, qr } = page.data;
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    const plain = secret.replace(/\s/g, "");
    // The secret waits encrypted in the pending session; nothing is saved on the account yet.
    const [before] = await db().select().from(staffUsers).where(eq(staffUsers.id, id));
    expect(before?.totpSecretEnc).toBeNull();
    const rows = await db().select().from(sessions);
    expect(JSON.stringify(rows)).not.toContain(plain);

    const wrong = (await setUp.action(
      args(jar.request("/staff/sign-in/set-up", { totpCode: "000000" })),
    )) as {
      init: { status: number };
      data: { errors: Record<string, string> };
    };
    expect(wrong.init.status).toBe(422);
    expect(wrong.data.errors).toEqual({ totpCode: "staff:code.wrong" });

    const done = jar.take(
      (await setUp.action(args(jar.request("/staff/sign-in/set-up", { totpCode: code(plain) })))) as Response,
    );
    expect(done.headers.get("Location")).toBe("/staff/cases");
    const setCookies = done.headers.getSetCookie();
    const sessionCookie = setCookies.find((c) => c.startsWith("session="));
    expect(sessionCookie).toBeDefined();
    expect(sessionCookie).not.toMatch(/Expires=/i);
    expect(setCookies).toContain("staff-lang=fr; Path=/staff; Max-Age=31536000; SameSite=Lax; HttpOnly");
    expect(await currentStaff(jar.request("/staff"))).toMatchObject({ id, role: "caseworker", lang: "fr" });

    const actions = (await db().select().from(auditLog).where(eq(auditLog.subjectId, id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["staff.created", "staff.totp_set_up"]));
  });

  it("asks for the code on later sign-ins and refuses a wrong one", async () => {
    await newAccount("second@staff.test");
    const first = new Jar();
    await signInWithPassword(first, "second@staff.test");
    const page = (await setUp.loader(args(first.request("/staff/sign-in/set-up")))) as unknown as {
      data: { secret: string };
      init: { headers: Record<string, string> };
    };
    first.take(new Response(null, { headers: page.init.headers }));
    const secret = page.data.secret.replace(/\s/g, "");
    first.take(
      (await setUp.action(
        args(first.request("/staff/sign-in/set-up", { totpCode: code(secret) })),
      )) as Response,
    );

    const jar = new Jar();
    const afterPassword = await signInWithPassword(jar, "second@staff.test");
    expect(afterPassword.headers.get("Location")).toBe("/staff/sign-in/code");
    const wrong = (await signInCode.action(
      args(jar.request("/staff/sign-in/code", { totpCode: "123456" })),
    )) as {
      init: { status: number };
    };
    expect(wrong.init.status).toBe(422);
    // The set-up code's time step is used; the next step's code signs in.
    const next = jar.take(
      (await signInCode.action(
        args(jar.request("/staff/sign-in/code", { totpCode: code(secret, Date.now() + 30_000) })),
      )) as Response,
    );
    expect(next.headers.get("Location")).toBe("/staff");
    expect(await currentStaff(jar.request("/staff"))).not.toBeNull();
  });

  it("gives the same answer to a wrong password and an unknown email, and says when the account is locked", async () => {
    await newAccount("locked@staff.test");
    const attempt = async (email: string, pass: string) =>
      (await signIn.action(args(staffRequest(null, "/staff/sign-in", { email, password: pass })))) as {
        init: { status: number };
        data: { errors: Record<string, string>; values: Record<string, string> };
      };
    const unknown = await attempt("nobody@staff.test", "whatever password");
    const wrong = await attempt("locked@staff.test", "not the password");
    expect(unknown.data.errors).toEqual({ password: "staff:signIn.wrong" });
    expect(wrong.data.errors).toEqual({ password: "staff:signIn.wrong" });
    // The password typed is never sent back to the page.
    expect(wrong.data.values).toEqual({ email: "locked@staff.test" });
    for (let i = 0; i < 4; i++) await attempt("locked@staff.test", "not the password");
    const locked = await attempt("locked@staff.test", password);
    expect(locked.data.errors).toEqual({ password: "staff:signIn.locked" });
  });

  it("refuses the code page without a password first", async () => {
    const response = await run(() => signInCode.loader(args(staffRequest(null, "/staff/sign-in/code"))));
    expect(response).toMatchObject({ status: 302 });
    expect((response as Response).headers.get("Location")).toBe("/staff/sign-in");
  });
});

describe("staff sessions", () => {
  it("end after 20 idle minutes, and each request slides the timeout", async () => {
    const staff = await signedInStaff("caseworker");
    const { id: sessionId } = await getSession(staffRequest(staff, "/staff"));
    const hash = createHash("sha256").update(sessionId).digest("base64url");
    const soon = new Date(Date.now() + 60_000);
    await db().update(sessions).set({ expiresAt: soon }).where(eq(sessions.id, hash));
    expect(await currentStaff(staffRequest(staff, "/staff"))).not.toBeNull();
    const [slid] = await db().select().from(sessions).where(eq(sessions.id, hash));
    expect(slid?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 19 * 60_000);

    await db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, hash));
    const response = await run(() => home.loader(args(staffRequest(staff, "/staff/cases?status=selected"))));
    expect((response as Response).headers.get("Location")).toBe(
      `/staff/sign-in?next=${encodeURIComponent("/staff/cases?status=selected")}`,
    );
  });

  it("stop working after sign out everywhere, and when the account is disabled", async () => {
    const one = await signedInStaff("caseworker");
    await signOutEverywhere(one.id, one.actor);
    expect(await currentStaff(staffRequest(one, "/staff"))).toBeNull();

    const two = await signedInStaff("auditor");
    await disableStaffAccount(two.id, one.actor);
    expect(await currentStaff(staffRequest(two, "/staff"))).toBeNull();
    expect(
      (await signIn.action(
        args(staffRequest(null, "/staff/sign-in", { email: two.email, password })),
      )) as object,
    ).toMatchObject({
      data: { errors: { password: "staff:signIn.wrong" } },
    });
  });

  it("are refused a page their role does not allow, with 403", async () => {
    const caseworker = await signedInStaff("caseworker");
    const response = await run(() =>
      accountNew.loader(args(staffRequest(caseworker, "/staff/accounts/new"))),
    );
    expect(response).toMatchObject({ status: 403 });
  });

  it("only ever return to a back-office page after sign-in", () => {
    expect(safeNext("/staff/cases?status=selected")).toBe("/staff/cases?status=selected");
    for (const bad of [
      "//evil.example",
      "https://evil.example/staff",
      "/fr/status",
      "/staff/sign-in/code",
      null,
    ]) {
      expect(safeNext(bad)).toBe("/staff");
    }
  });
});

describe("staff accounts", () => {
  it("lets an admin reset a lost authenticator: sessions end, and the next sign-in sets up a new one", async () => {
    const admin = await signedInStaff("admin");
    const person = await signedInStaff("caseworker");
    const reset = (await accounts.action(
      args(staffRequest(admin, "/staff/accounts", { resetAuthenticator: person.id })),
    )) as Response;
    expect(reset.headers.get("Location")).toBe("/staff/accounts");
    expect(await currentStaff(staffRequest(person, "/staff"))).toBeNull();
    const jar = new Jar();
    const afterPassword = await signInWithPassword(jar, person.email, STAFF_TEST_PASSWORD);
    expect(afterPassword.headers.get("Location")).toBe("/staff/sign-in/set-up");
    const actions = (await db().select().from(auditLog).where(eq(auditLog.subjectId, person.id))).map(
      (a) => a.action,
    );
    expect(actions).toContain("staff.totp_reset");
    // The person is told, in their language, in case they did not ask for it (ASVS 2.2.3).
    const told = await db()
      .select()
      .from(notifications)
      .where(eq(notifications.template, "authenticator_reset"));
    expect(told.map((m) => decrypt(m.recipientEnc))).toEqual([person.email]);
    const [account] = await db().select().from(staffUsers).where(eq(staffUsers.id, person.id));
    expect(told[0]).toMatchObject({ channel: "email", lang: account?.lang });
    // Not on one's own account.
    await accounts.action(args(staffRequest(admin, "/staff/accounts", { resetAuthenticator: admin.id })));
    expect(await currentStaff(staffRequest(admin, "/staff"))).not.toBeNull();
  });

  it("take what is not an account id as naming no account, not as a server error", async () => {
    // Found by tests/fuzz/actions.test.ts: PostgreSQL refused the query, a 500.
    const admin = await signedInStaff("admin");
    for (const id of ["not-a-uuid", "__proto__", "\u0000"]) {
      const answer = (await accounts.action(
        args(staffRequest(admin, "/staff/accounts", { disable: id, resetAuthenticator: id })),
      )) as Response;
      expect(answer.headers.get("Location")).toBe("/staff/accounts");
    }
  });

  it("are created by an admin, with a clear error for an email already in use", async () => {
    const admin = await signedInStaff("admin");
    const form = {
      name: "Jean Dupont",
      email: "Jean.Dupont@staff.test",
      role: "caseworker",
      lang: "fr",
      initialPassword: "twelve chars at least",
    };
    const created = (await accountNew.action(
      args(staffRequest(admin, "/staff/accounts/new", form)),
    )) as Response;
    expect(created.headers.get("Location")).toBe("/staff/accounts");
    const again = (await accountNew.action(args(staffRequest(admin, "/staff/accounts/new", form)))) as {
      data: { errors: Record<string, string>; values: Record<string, string> };
    };
    expect(again.data.errors).toEqual({ email: "staff:fields.email.errors.taken" });
    expect(again.data.values).not.toHaveProperty("initialPassword");
    const short = (await accountNew.action(
      args(
        staffRequest(admin, "/staff/accounts/new", {
          ...form,
          email: "x@staff.test",
          initialPassword: "short",
        }),
      ),
    )) as { data: { errors: Record<string, string> } };
    expect(short.data.errors).toEqual({ initialPassword: "staff:fields.initialPassword.errors.invalid" });
    const [row] = await db().select().from(staffUsers).where(eq(staffUsers.email, "jean.dupont@staff.test"));
    expect(row).toMatchObject({ role: "caseworker", lang: "fr", totpSecretEnc: null });
    expect(row?.passwordHash).not.toContain("twelve");
  });
});
