import { createHash } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { auditLog, helperUsers, notifications, otpCodes, sessions, staffUsers } from "#db/schema";
import { readPreDraft, requireDraft } from "~/.server/applicant.server";
import { decryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { completeHelperSignIn, currentHelper, startPendingHelperSignIn } from "~/.server/helper-auth.server";
import { commitSession, getSession, MAX_SIGNED_IN_HOURS } from "~/.server/session.server";
import { currentStaff } from "~/.server/staff-auth.server";
import { submitEoi } from "~/domain/eoi/eoi.service.server";
import * as tasks from "~/routes/lang/apply/tasks";
import * as verify from "~/routes/lang/apply/verify";
import * as layout from "~/routes/lang/layout";
import * as applicantSignOut from "~/routes/lang/sign-out";
import * as application from "~/routes/lang/status/application";
import * as signIn from "~/routes/staff/sign-in";
import * as signInCode from "~/routes/staff/sign-in-code";
import * as signOut from "~/routes/staff/sign-out";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, openWindowNow, testActor } from "../../support/eoi";
import { signedInHelper, testOrganisation } from "../../support/helpers";
import { routeContext, STAFF_TEST_PASSWORD, signedInStaff, staffRequest } from "../../support/staff";

setupTestDatabase("security-sessions");

// Session fixation (ASVS 3.2.1), logout (3.3.1), idle and absolute timeouts (3.3.2): through the
// real sign-in routes, with a session cookie an attacker could have planted beforehand.

const hour = 3_600_000;
const cookiePair = (setCookie: string) => setCookie.split(";")[0] as string;
const sessionCookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map(cookiePair)
    .find((c) => c.startsWith("session="));
const hashOf = (id: string) => createHash("sha256").update(id).digest("base64url");

/** A valid session the attacker holds (their own), whose cookie they then plant in the victim's browser. */
async function plantedSession(): Promise<{ cookie: string; id: string }> {
  const session = await getSession(new Request("http://localhost/"));
  session.set("subject", "anonymous");
  session.set("planted", true);
  const cookie = cookiePair(await commitSession(session, 30));
  return { cookie, id: (await getSession(requestWith(cookie))).id };
}

const requestWith = (cookie: string) => new Request("http://localhost/", { headers: { Cookie: cookie } });
const stillValid = async (cookie: string) => (await getSession(requestWith(cookie))).get("planted") === true;

async function thrownOr<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("session fixation", () => {
  it("staff: the password step and the second factor each give a new session id", async () => {
    const staff = await signedInStaff("caseworker");
    const planted = await plantedSession();
    const args = (request: Request) => ({ request, params: {}, context: routeContext });

    const afterPassword = (await signIn.action(
      args(
        staffRequest({ cookie: planted.cookie }, "/staff/sign-in", {
          email: staff.email,
          password: STAFF_TEST_PASSWORD,
        }),
      ),
    )) as Response;
    expect(afterPassword.headers.get("Location")).toBe("/staff/sign-in/code");
    const pending = sessionCookieOf(afterPassword) as string;
    expect(pending).toBeDefined();
    expect(pending).not.toBe(planted.cookie);
    expect(await stillValid(planted.cookie)).toBe(false);

    const code = new TOTP({ secret: Secret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP") }).generate();
    const done = (await signInCode.action(
      args(staffRequest({ cookie: pending }, "/staff/sign-in/code", { totpCode: code })),
    )) as Response;
    expect(done.status).toBe(302);
    const final = sessionCookieOf(done) as string;
    expect(final).not.toBe(pending);
    expect((await getSession(requestWith(pending))).get("staffPendingId")).toBeUndefined();
    expect(await currentStaff(requestWith(final))).toMatchObject({ id: staff.id });
    // The attacker's cookie gives nothing.
    expect(await currentStaff(requestWith(planted.cookie))).toBeNull();
  });

  it("applicants: confirming the code gives a new session id, and the planted one is gone", async () => {
    const planted = await plantedSession();
    const contact = { email: `fixation.${Date.now()}@example.org` };
    const preDraft = cookiePair(
      await (await readPreDraft(requestWith(""))).save({ answers: { pages: {} }, contact }),
    );
    // The code is requested first (as the contact page does), then read from the outbox.
    const { issueCode } = await import("~/domain/auth/otp.service.server");
    await issueCode("verify_contact", contact, "fr");
    const [message] = await db()
      .select()
      .from(notifications)
      .where(eq(notifications.template, "otp"))
      .orderBy(desc(notifications.createdAt))
      .limit(1);
    const { code } = decryptJson<{ code: string }>(message?.paramsEnc as string);
    // The code is kept as a keyed hash only; the outbox keeps it encrypted (ASVS 2.7.5).
    expect(JSON.stringify(await db().select().from(otpCodes))).not.toContain(code);
    expect(JSON.stringify(message)).not.toContain(code);

    const request = staffRequest({ cookie: `${planted.cookie}; ${preDraft}` }, "/fr/apply/verify", { code });
    const response = (await verify.action({
      request,
      params: { lang: "fr" },
      context: routeContext,
    } as never)) as Response | { init: { status: number } };
    expect(response instanceof Response && response.headers.get("Location")).toBe("/fr/apply/tasks");
    const fresh = sessionCookieOf(response as Response) as string;
    expect(fresh).not.toBe(planted.cookie);
    expect(await stillValid(planted.cookie)).toBe(false);
    expect(
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.id, hashOf(planted.id))),
    ).toEqual([]);
    // The new session works on the new draft, for 30 idle minutes.
    const { id } = await getSession(requestWith(fresh));
    const [row] = await db()
      .select()
      .from(sessions)
      .where(eq(sessions.id, hashOf(id)));
    expect(row?.data).toMatchObject({ eoiId: expect.any(String), signedInAt: expect.any(Number) });
    expect(row?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(row?.expiresAt.getTime()).toBeLessThan(Date.now() + 31 * 60_000);
  });

  it("helpers: the password step and the second factor each give a new session id", async () => {
    const helper = await signedInHelper(await testOrganisation());
    const planted = await plantedSession();
    const pending = cookiePair(await startPendingHelperSignIn(requestWith(planted.cookie), helper.id));
    expect(pending).not.toBe(planted.cookie);
    expect(await stillValid(planted.cookie)).toBe(false);
    const done = await completeHelperSignIn(requestWith(pending), helper.id, "fr");
    const final = sessionCookieOf(done) as string;
    expect(final).not.toBe(pending);
    expect((await getSession(requestWith(pending))).get("helperPendingId")).toBeUndefined();
    expect(await currentHelper(requestWith(final))).toMatchObject({ id: helper.id });
  });
});

describe("security events", () => {
  it("a wrong password and a lockout are audited with the client's address, never the password", async () => {
    const staff = await signedInStaff("caseworker");
    const attempt = (password: string) =>
      signIn.action({
        request: staffRequest(null, "/staff/sign-in", { email: staff.email, password }),
        params: {},
        context: { ...routeContext, clientIp: "192.0.2.44", requestId: "req-audit" },
      } as never);
    for (let i = 0; i < 5; i++) await attempt(`wrong password number ${i}`);
    const rows = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, staff.id), eq(auditLog.ip, "192.0.2.44")));
    expect(rows.map((r) => r.action).sort()).toEqual([
      "staff.locked",
      "staff.password_failed",
      "staff.password_failed",
      "staff.password_failed",
      "staff.password_failed",
    ]);
    expect(rows.every((r) => r.requestId === "req-audit")).toBe(true);
    expect(JSON.stringify(rows)).not.toContain("wrong password");
  });
});

describe("session ends", () => {
  it("staff sign-out deletes the session row: the old cookie no longer signs in", async () => {
    const staff = await signedInStaff("caseworker");
    expect(await currentStaff(requestWith(staff.cookie))).not.toBeNull();
    const response = (await signOut.action({
      request: staffRequest(staff, "/staff/sign-out", {}),
      params: {},
      context: routeContext,
    } as never)) as Response;
    expect(response.headers.get("Location")).toBe("/staff/sign-in?signedOut=1");
    expect(response.headers.getSetCookie().join()).toMatch(/session=; .*Expires=Thu, 01 Jan 1970/);
    expect(await currentStaff(requestWith(staff.cookie))).toBeNull();
  });

  it("applicant sign-out deletes the session row and the pre-draft cookie: the draft and status pages ask to sign in again", async () => {
    await openWindowNow();
    const eoiId = await completeDraft();
    const sent = await completeDraft();
    if (!(await submitEoi(sent, testActor)).ok) throw new Error("not submitted");
    // Signed in to a draft and, in the same browser, to the status pages of a sent application.
    const session = await getSession(new Request("http://localhost/"));
    for (const [key, value] of Object.entries({ subject: `eoi:${eoiId}`, eoiId, statusEoiId: sent }))
      session.set(key, value);
    session.set("signedInAt", Date.now());
    const cookie = cookiePair(await commitSession(session, 30));
    const preDraft = await (await readPreDraft(new Request("http://localhost/"))).save({
      contact: { email: "left.behind@example.org" },
    });
    const browser = { cookie: `${cookie}; ${cookiePair(preDraft)}` };
    const answer = (r: unknown) =>
      r instanceof Response ? { status: r.status, location: r.headers.get("Location") } : { status: 200 };
    const open = async (cookieHeader: { cookie: string }) => ({
      tasks: await thrownOr(async () =>
        tasks.loader({
          request: staffRequest(cookieHeader, "/ar/apply/tasks"),
          params: { lang: "ar" },
          context: routeContext,
        } as never),
      ),
      status: await thrownOr(async () =>
        application.loader({
          request: staffRequest(cookieHeader, "/ar/status/application"),
          params: { lang: "ar" },
          context: routeContext,
        } as never),
      ),
      layout: (await layout.loader({
        request: staffRequest(cookieHeader, "/ar/apply/tasks"),
        params: { lang: "ar" },
        context: routeContext,
      } as never)) as { applicantSignedIn: boolean },
    });
    const before = await open(browser);
    expect(answer(before.tasks)).toMatchObject({ status: 200 });
    expect(answer(before.status)).toMatchObject({ status: 200 });
    expect(before.layout.applicantSignedIn).toBe(true);

    const response = (await applicantSignOut.action({
      request: staffRequest(browser, "/ar/sign-out", {}),
      params: { lang: "ar" },
      context: routeContext,
    } as never)) as Response;
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/ar/signed-out");
    const cleared = response.headers.getSetCookie();
    expect(cleared).toEqual([
      expect.stringMatching(/^session=; .*Expires=Thu, 01 Jan 1970/),
      expect.stringMatching(/^apply=; .*Expires=Thu, 01 Jan 1970/),
    ]);
    expect(
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.subject, `eoi:${eoiId}`)),
    ).toEqual([]);

    // The old cookie, replayed: nothing opens any more, and no "Sign out" is offered.
    const after = await open({ cookie });
    expect(answer(after.tasks)).toEqual({ status: 302, location: "/ar/apply/resume" });
    expect(answer(after.status)).toEqual({ status: 302, location: "/ar/status" });
    expect(after.layout.applicantSignedIn).toBe(false);
    // Signing out is a POST: a link cannot do it for someone.
    const get = (await applicantSignOut.loader({
      request: staffRequest(browser, "/ar/sign-out"),
      params: { lang: "ar" },
      context: routeContext,
    } as never)) as Response;
    expect(get.headers.get("Location")).toBe("/ar");
  });

  /** A session signed in `hoursAgo`, kept active since (its row has not expired). */
  async function signedInAgo(keys: Record<string, unknown>, hoursAgo: number): Promise<string> {
    const session = await getSession(new Request("http://localhost/"));
    for (const [key, value] of Object.entries(keys)) {
      session.set(key, value === "AGO" ? Date.now() - hoursAgo * hour : value);
    }
    return cookiePair(await commitSession(session, 30));
  }

  it(`staff, helpers and applicants must sign in again after ${MAX_SIGNED_IN_HOURS} hours, however active`, async () => {
    // Accounts made a day ago ("sign out everywhere" would otherwise end older sessions anyway).
    const dayAgo = new Date(Date.now() - 24 * hour);
    const staff = await signedInStaff("caseworker");
    await db().update(staffUsers).set({ sessionsValidAfter: dayAgo }).where(eq(staffUsers.id, staff.id));
    const staffKeys = { subject: `staff:${staff.id}`, staffId: staff.id, signedInAt: "AGO" };
    expect(
      await currentStaff(requestWith(await signedInAgo(staffKeys, MAX_SIGNED_IN_HOURS - 1))),
    ).not.toBeNull();
    expect(
      await currentStaff(requestWith(await signedInAgo(staffKeys, MAX_SIGNED_IN_HOURS + 0.1))),
    ).toBeNull();

    const helper = await signedInHelper(await testOrganisation());
    await db().update(helperUsers).set({ sessionsValidAfter: dayAgo }).where(eq(helperUsers.id, helper.id));
    const helperKeys = { subject: `helper:${helper.id}`, helperId: helper.id, helperSignedInAt: "AGO" };
    expect(
      await currentHelper(requestWith(await signedInAgo(helperKeys, MAX_SIGNED_IN_HOURS - 1))),
    ).not.toBeNull();
    expect(
      await currentHelper(requestWith(await signedInAgo(helperKeys, MAX_SIGNED_IN_HOURS + 0.1))),
    ).toBeNull();

    const eoiId = await completeDraft();
    const draftOf = async (hoursAgo: number) =>
      thrownOr(async () => {
        const cookie = await signedInAgo({ eoiId, signedInAt: "AGO" }, hoursAgo);
        return requireDraft(
          new Request("http://localhost/fr/apply/tasks", { headers: { Cookie: cookie } }),
          routeContext,
          "fr",
        );
      });
    expect(await draftOf(MAX_SIGNED_IN_HOURS - 1)).toMatchObject({ draft: { id: eoiId } });
    const expired = await draftOf(MAX_SIGNED_IN_HOURS + 0.1);
    expect(expired instanceof Response && expired.headers.get("Location")).toBe("/fr/apply/resume");
  });
});
