import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, notifications, sessions, staffUsers } from "#db/schema";
import { decrypt, encrypt } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { currentHelper } from "~/.server/helper-auth.server";
import { commitSession, getSession } from "~/.server/session.server";
import { currentStaff } from "~/.server/staff-auth.server";
import { checkAccountPassword } from "~/domain/auth/accounts.server";
import { STAFF_PASSWORD_PATH } from "~/domain/staff/staff.rules";
import { createStaffAccount } from "~/domain/staff/staff.service.server";
import * as helperPassword from "~/routes/lang/helpers/password";
import * as staffLayout from "~/routes/staff/layout";
import * as staffPassword from "~/routes/staff/password";
import { setupTestDatabase } from "../../support/db";
import { HELPER_TEST_PASSWORD, helperCookie, signedInHelper, testOrganisation } from "../../support/helpers";
import { configuredRoutes } from "../../support/routes";
import { routeContext, STAFF_TEST_PASSWORD, signedInStaff, staffRequest } from "../../support/staff";
import { repoRoot } from "../../support/test-env";

setupTestDatabase("security-passwords");

/*
 * ASVS 2.1.5 / 2.1.6 / 2.3.1: staff and helpers change their own password (the current one
 * first), and a password an administrator chose is changed before anything else. Each kind of
 * account through its own page, as a person posts the form.
 */

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
type FormAnswer = { init: { status: number }; data: { errors: Record<string, string>; values: object } };

const NEW_PASSWORD = "a passphrase of my own";

async function run(fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A signed-in session of the account's kind, as on another browser or device. */
async function sessionFor(kind: "staff" | "helper", id: string): Promise<string> {
  if (kind === "helper") return helperCookie(id);
  const session = await getSession(new Request("http://localhost/staff"));
  session.set("subject", `staff:${id}`);
  session.set("staffId", id);
  session.set("signedInAt", Date.now() + 1);
  return (await commitSession(session, 20)).split(";")[0] as string;
}

/** The cookie a response sets for the session (name=value). */
const sessionCookie = (response: Response) =>
  response.headers
    .getSetCookie()
    .find((c) => c.startsWith("session="))
    ?.split(";")[0] as string;

const kinds = [
  {
    kind: "staff" as const,
    password: STAFF_TEST_PASSWORD,
    async account() {
      const staff = await signedInStaff("caseworker", "fr");
      return { id: staff.id, email: staff.email, cookie: staff.cookie, lang: "fr" };
    },
    path: STAFF_PASSWORD_PATH,
    params: {} as Record<string, string>,
    action: staffPassword.action as Handler,
    done: "/staff/profile?done=password",
    ns: "staff",
    signedIn: async (cookie: string) => (await currentStaff(staffRequest({ cookie }, "/staff")))?.id,
  },
  {
    kind: "helper" as const,
    password: HELPER_TEST_PASSWORD,
    async account() {
      const helper = await signedInHelper(await testOrganisation());
      return { id: helper.id, email: helper.email, cookie: helper.cookie, lang: "fr" };
    },
    path: "/ar/helpers/password",
    params: { lang: "ar" },
    action: helperPassword.action as Handler,
    done: "/ar/helpers/cases?done=password",
    ns: "helpers",
    signedIn: async (cookie: string) => (await currentHelper(staffRequest({ cookie }, "/ar/helpers")))?.id,
  },
];

describe.each(kinds)("$kind changing their own password", (k) => {
  const post = (cookie: string, form: Record<string, string>) =>
    run(() =>
      k.action({ request: staffRequest({ cookie }, k.path, form), params: k.params, context: routeContext }),
    );
  const form = (currentPassword: string, newPassword = NEW_PASSWORD, confirmPassword = newPassword) => ({
    currentPassword,
    newPassword,
    confirmPassword,
  });

  it("refuses a wrong current password, counts it like a wrong sign-in, and locks after five", async () => {
    const account = await k.account();
    const wrong = (await post(account.cookie, form("not my password at all"))) as FormAnswer;
    expect(wrong.init.status).toBe(422);
    expect(wrong.data).toEqual({
      errors: { currentPassword: `${k.ns}:fields.currentPassword.errors.wrong` },
      values: {},
    });
    const [failed] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, account.id), eq(auditLog.action, `${k.kind}.password_failed`)));
    expect(failed).toBeDefined();
    for (let i = 0; i < 3; i++) await post(account.cookie, form("not my password at all"));
    const fifth = (await post(account.cookie, form("not my password at all"))) as FormAnswer;
    expect(fifth.data.errors.currentPassword).toBe(`${k.ns}:signIn.locked`);
    // Locked: even the right password is refused until the lock ends, and nothing changed.
    const locked = (await post(account.cookie, form(k.password))) as FormAnswer;
    expect(locked.data.errors.currentPassword).toBe(`${k.ns}:signIn.locked`);
    expect(await k.signedIn(account.cookie)).toBe(account.id);
  });

  it("refuses a short new password, two that differ and the current one again, and changes nothing", async () => {
    const account = await k.account();
    const refusals: [Record<string, string>, Record<string, string>][] = [
      [form(k.password, "elevenchars"), { newPassword: `${k.ns}:fields.newPassword.errors.invalid` }],
      [
        form(k.password, NEW_PASSWORD, `${NEW_PASSWORD}!`),
        { confirmPassword: `${k.ns}:fields.confirmPassword.errors.mismatch` },
      ],
      [form(k.password, k.password), { newPassword: `${k.ns}:fields.newPassword.errors.same` }],
      [form(""), { currentPassword: `${k.ns}:fields.currentPassword.errors.required` }],
    ];
    for (const [values, errors] of refusals) {
      const answer = (await post(account.cookie, values)) as FormAnswer;
      expect(answer.init.status).toBe(422);
      // Passwords are never sent back to the page.
      expect(answer.data).toEqual({ errors, values: {} });
    }
    expect((await checkAccountPassword(k.kind, account.email, k.password, { type: k.kind })).ok).toBe(true);
  });

  it("keeps a long password as typed, spaces included: nothing is cut off or collapsed (ASVS 2.1.3)", async () => {
    const account = await k.account();
    const long = `${"correct  horse   battery staple ".repeat(5)}end`;
    const done = (await post(account.cookie, form(k.password, long))) as Response;
    expect(done.status).toBe(302);
    const works = async (password: string) =>
      (await checkAccountPassword(k.kind, account.email, password, { type: k.kind })).ok;
    expect(await works(long)).toBe(true);
    // Three wrong tries, under the five that lock the account.
    expect(await works(long.replace(/ +/g, " "))).toBe(false);
    expect(await works(long.slice(0, 72))).toBe(false);
    expect(await works(long.slice(0, 128))).toBe(false);
  });

  it("changes it: the old password stops working, every other session ends, the owner is told", async () => {
    const account = await k.account();
    const elsewhere = await sessionFor(k.kind, account.id);
    expect(await k.signedIn(elsewhere)).toBe(account.id);

    const done = (await post(account.cookie, form(k.password))) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(k.done);
    // This browser goes on, in a new session; the old one and the other device's are gone.
    const fresh = sessionCookie(done);
    expect(fresh).not.toBe(account.cookie);
    expect(await k.signedIn(fresh)).toBe(account.id);
    expect(await k.signedIn(account.cookie)).toBeUndefined();
    expect(await k.signedIn(elsewhere)).toBeUndefined();
    expect(
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.subject, `${k.kind}:${account.id}`)),
    ).toHaveLength(1);

    expect((await checkAccountPassword(k.kind, account.email, k.password, { type: k.kind })).ok).toBe(false);
    expect((await checkAccountPassword(k.kind, account.email, NEW_PASSWORD, { type: k.kind })).ok).toBe(true);

    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, account.id), eq(auditLog.action, `${k.kind}.password_changed`)));
    expect(audited).toMatchObject({ actorType: k.kind, actorId: account.id, ip: "127.0.0.1" });
    expect(JSON.stringify(audited)).not.toContain(NEW_PASSWORD);
    const [told] = await db()
      .select()
      .from(notifications)
      .where(eq(notifications.template, "password_changed"))
      .orderBy(desc(notifications.createdAt))
      .limit(1);
    expect(told && decrypt(told.recipientEnc)).toBe(account.email);
    expect(told).toMatchObject({ channel: "email", lang: account.lang });
  });
});

describe("a password an administrator chose", () => {
  /** Back-office routes a person may reach before changing it: signing in and out, this page. */
  const before = new Set([
    "staff",
    "staff/sign-in",
    "staff/sign-in/code",
    "staff/sign-in/set-up",
    "staff/sign-out",
    "staff/language",
    "staff/profile/password",
  ]);
  const staffRoutes = configuredRoutes().filter((r) => r.path.startsWith("staff") && !before.has(r.path));
  const call = async (file: string, kind: "loader" | "action", path: string, cookie: string) => {
    const module = (await import(/* @vite-ignore */ `${repoRoot}app/${file}`)) as Record<string, Handler>;
    const handler = module[kind];
    if (!handler) return null;
    const url = `/${path.replace(/:(\w+)/g, "x")}`.replace(/\/$/, "");
    const params = Object.fromEntries([...path.matchAll(/:(\w+)/g)].map(([, name]) => [name as string, "x"]));
    const request = staffRequest({ cookie }, url, kind === "action" ? { intent: "x" } : undefined);
    const answer = (await run(() => handler({ request, params, context: routeContext }))) as Response | null;
    return answer instanceof Response
      ? { status: answer.status, location: answer.headers.get("Location") }
      : 200;
  };

  it("must be changed at the next sign-in before any other back-office page, on every route", async () => {
    const email = `new.${Date.now()}@staff.test`;
    const id = await createStaffAccount(
      { email, name: "New Starter", role: "admin", lang: "en", password: STAFF_TEST_PASSWORD },
      { type: "system" },
    );
    // Signed in with the password and a second factor just set up.
    await db()
      .update(staffUsers)
      .set({ totpSecretEnc: encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP") })
      .where(eq(staffUsers.id, id));
    const cookie = await sessionFor("staff", id);

    expect(staffRoutes.length).toBeGreaterThan(25);
    for (const route of staffRoutes)
      for (const kind of ["loader", "action"] as const) {
        const answer = await call(route.file, kind, route.path, cookie);
        if (answer === null) continue;
        expect(answer, `${kind} of /${route.path}`).toEqual({ status: 302, location: STAFF_PASSWORD_PATH });
      }
    // The frame offers no section meanwhile; the password page is there, saying why.
    const layout = (await staffLayout.loader({
      request: staffRequest({ cookie }, "/staff"),
      params: {},
      context: routeContext,
    } as never)) as { sections: unknown[] };
    expect(layout.sections).toEqual([]);
    expect(
      await staffPassword.loader({
        request: staffRequest({ cookie }, STAFF_PASSWORD_PATH),
        params: {},
        context: routeContext,
      } as never),
    ).toEqual({ forced: true });

    const changed = (await staffPassword.action({
      request: staffRequest({ cookie }, STAFF_PASSWORD_PATH, {
        currentPassword: STAFF_TEST_PASSWORD,
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      }),
      params: {},
      context: routeContext,
    } as never)) as Response;
    expect(changed.headers.get("Location")).toBe("/staff/profile?done=password");
    const [row] = await db().select().from(staffUsers).where(eq(staffUsers.id, id));
    expect(row?.mustChangePassword).toBe(false);

    // Then the back office opens: no route sends the person to the password page any more.
    const fresh = sessionCookie(changed);
    for (const route of staffRoutes) {
      const answer = await call(route.file, "loader", route.path, fresh);
      expect(answer, `loader of /${route.path}`).not.toEqual({ status: 302, location: STAFF_PASSWORD_PATH });
    }
  });
});
