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
import * as verify from "~/routes/lang/apply/verify";
import * as signIn from "~/routes/staff/sign-in";
import * as signInCode from "~/routes/staff/sign-in-code";
import * as signOut from "~/routes/staff/sign-out";
import { setupTestDatabase } from "../../support/db";
import { completeDraft } from "../../support/eoi";
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
