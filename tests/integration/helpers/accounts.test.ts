import { and, desc, eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { auditLog, helperUsers, notifications, organisations, sessions } from "#db/schema";
import { decrypt, decryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { currentHelper } from "~/.server/helper-auth.server";
import {
  acceptInvite,
  inviteHelper,
  listOrganisations,
  listTeam,
  reinstateHelper,
  suspendHelper,
} from "~/domain/helpers/accounts.server";
import { renderMessage } from "~/domain/notifications/render.server";
import * as code from "~/routes/lang/helpers/code";
import * as invite from "~/routes/lang/helpers/invite";
import * as setUp from "~/routes/lang/helpers/set-up";
import * as signIn from "~/routes/lang/helpers/sign-in";
import * as signOut from "~/routes/lang/helpers/sign-out";
import * as team from "~/routes/lang/helpers/team";
import * as staffOrganisations from "~/routes/staff/organisations";
import { setupTestDatabase } from "../../support/db";
import {
  HELPER_TEST_PASSWORD,
  HELPER_TEST_TOTP,
  helperCookie,
  signedInHelper,
  testOrganisation,
} from "../../support/helpers";
import { routeContext, signedInStaff, staffRequest } from "../../support/staff";

setupTestDatabase("helper-accounts");

const context = routeContext;
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context });
const password = "a long enough password";
const totp = (secret: string, at = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });

type FormAnswer = { init: { status: number }; data: { errors: Record<string, string>; values?: object } };

/** Keeps the cookies a browser would keep between requests. */
class Jar {
  cookies = new Map<string, string>();
  take<T>(response: T): T {
    if (!(response instanceof Response)) return response;
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
    return staffRequest({ cookie: this.cookie }, path, form);
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

/** The latest invitation emailed to this address: its outbox row, parameters and token. */
async function lastInvite(email: string) {
  const rows = await db()
    .select()
    .from(notifications)
    .where(eq(notifications.template, "helper_invite"))
    .orderBy(desc(notifications.createdAt));
  const row = rows.find((r) => decrypt(r.recipientEnc) === email);
  if (!row) throw new Error(`no invitation to ${email}`);
  const params = decryptJson<Record<string, string>>(row.paramsEnc);
  return { row, params, token: params.path?.split("/").at(-1) as string };
}

const auditActions = async (subjectId: string) =>
  (await db().select().from(auditLog).where(eq(auditLog.subjectId, subjectId))).map((a) => a.action);

async function registerViaBackOffice(form: Record<string, string>) {
  const admin = await signedInStaff("admin");
  return (await staffOrganisations.action(
    args(staffRequest(admin, "/staff/organisations", form)),
  )) as unknown;
}

const organisationForm = {
  organisationName: "Aide Calais",
  city: "Calais",
  coordinatorName: "Amina Haddad",
  coordinatorEmail: "Amina@AideCalais.test",
  coordinatorLang: "ar",
};

describe("registering an organisation", () => {
  it("invites its coordinator by email, in their language, with a single-use link", async () => {
    const done = (await registerViaBackOffice(organisationForm)) as Response;
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/staff/organisations?done=registered");

    const [coordinator] = await db()
      .select()
      .from(helperUsers)
      .where(eq(helperUsers.email, "amina@aidecalais.test"));
    expect(coordinator).toMatchObject({ role: "coordinator", lang: "ar", passwordHash: null });
    const { row, params, token } = await lastInvite("amina@aidecalais.test");
    expect(row).toMatchObject({ channel: "email", lang: "ar" });
    expect(params).toMatchObject({ name: "Amina Haddad", organisation: "Aide Calais", days: "7" });
    expect(params.path).toBe(`/ar/helpers/invite/${token}`);
    // Only the token's hash is kept on the account.
    expect(coordinator?.inviteTokenHash).toBeTruthy();
    expect(coordinator?.inviteTokenHash).not.toBe(token);
    expect(coordinator?.inviteExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(await auditActions(coordinator?.id as string)).toEqual(["helper.invited"]);
    expect(await auditActions(coordinator?.organisationId as string)).toEqual(["organisation.registered"]);

    for (const lang of ["fr", "en", "ar"]) {
      for (const channel of ["email", "sms"] as const) {
        const message = await renderMessage("helper_invite", lang, channel, params);
        const text = `${message.subject}\n${message.body}`;
        for (const value of ["Amina Haddad", "Aide Calais", `/ar/helpers/invite/${token}`])
          expect(text).toContain(value);
        expect(text).not.toMatch(/\{\{|\}\}|helper_invite\./);
      }
    }

    const [listed] = (await listOrganisations()).filter((o) => o.name === "Aide Calais");
    expect(listed).toMatchObject({ city: "Calais", helpers: 1, coordinators: ["Amina Haddad"] });
  });

  it("says which field is already taken: the organisation's name or the coordinator's email", async () => {
    const sameName = (await registerViaBackOffice({
      ...organisationForm,
      coordinatorEmail: "other@aidecalais.test",
    })) as FormAnswer;
    expect(sameName.init.status).toBe(422);
    expect(sameName.data.errors).toEqual({ organisationName: "staff:fields.organisationName.errors.taken" });
    const sameEmail = (await registerViaBackOffice({
      ...organisationForm,
      organisationName: "Another NGO",
    })) as FormAnswer;
    expect(sameEmail.data.errors).toEqual({ coordinatorEmail: "staff:fields.coordinatorEmail.errors.taken" });
    // Nothing half-registered is left behind.
    expect(await db().select().from(organisations).where(eq(organisations.name, "Another NGO"))).toEqual([]);
    const empty = (await registerViaBackOffice({})) as FormAnswer;
    expect(Object.keys(empty.data.errors)).toEqual([
      "organisationName",
      "city",
      "coordinatorName",
      "coordinatorEmail",
      "coordinatorLang",
    ]);
  });
});

describe("accepting an invitation", () => {
  it("sets the password, then the authenticator, and signs in; the link then stops working", async () => {
    await registerViaBackOffice({
      ...organisationForm,
      organisationName: "Utopia Test",
      coordinatorEmail: "karim@utopia.test",
      coordinatorName: "Karim Benali",
      coordinatorLang: "fr",
    });
    const { token } = await lastInvite("karim@utopia.test");
    const path = `/fr/helpers/invite/${token}`;
    const params = { lang: "fr", token };
    const page = (await invite.loader(args(staffRequest(null, path), params))) as {
      invite: Record<string, string>;
    };
    expect(page.invite).toEqual({
      name: "Karim Benali",
      email: "karim@utopia.test",
      organisation: "Utopia Test",
    });

    const jar = new Jar();
    const mismatch = (await invite.action(
      args(jar.request(path, { newPassword: password, confirmPassword: "something else" }), params),
    )) as FormAnswer;
    expect(mismatch.init.status).toBe(422);
    expect(mismatch.data.errors).toEqual({
      confirmPassword: "helpers:fields.confirmPassword.errors.mismatch",
    });
    expect(mismatch.data.values).toEqual({});
    const short = (await invite.action(
      args(jar.request(path, { newPassword: "short", confirmPassword: "short" }), params),
    )) as FormAnswer;
    expect(short.data.errors).toEqual({ newPassword: "helpers:fields.newPassword.errors.invalid" });

    const accepted = jar.take(
      (await invite.action(
        args(jar.request(path, { newPassword: password, confirmPassword: password }), params),
      )) as Response,
    );
    expect(accepted.headers.get("Location")).toBe("/fr/helpers/set-up");
    // Half signed in is not signed in.
    expect(await currentHelper(jar.request("/fr/helpers/cases"))).toBeNull();

    const setUpPage = (await setUp.loader(
      args(jar.request("/fr/helpers/set-up"), { lang: "fr" }),
    )) as unknown as {
      data: { secret: string; qr: string };
      init: { headers: Record<string, string> };
    };
    jar.take(new Response(null, { headers: setUpPage.init.headers }));
    expect(setUpPage.data.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = setUpPage.data.secret.replace(/\s/g, "");
    const wrong = (await setUp.action(
      args(jar.request("/fr/helpers/set-up", { totpCode: "000000" }), { lang: "fr" }),
    )) as FormAnswer;
    expect(wrong.data.errors).toEqual({ totpCode: "helpers:code.wrong" });
    const signedIn = jar.take(
      (await setUp.action(
        args(jar.request("/fr/helpers/set-up", { totpCode: totp(secret) }), { lang: "fr" }),
      )) as Response,
    );
    expect(signedIn.headers.get("Location")).toBe("/fr/helpers/cases");
    expect(await currentHelper(jar.request("/fr/helpers/cases"))).toMatchObject({
      email: "karim@utopia.test",
      role: "coordinator",
      organisationName: "Utopia Test",
    });

    const [row] = await db().select().from(helperUsers).where(eq(helperUsers.email, "karim@utopia.test"));
    expect(row).toMatchObject({ inviteTokenHash: null, inviteExpiresAt: null });
    expect(row?.passwordHash).not.toContain(password);
    expect(await auditActions(row?.id as string)).toEqual(
      expect.arrayContaining(["helper.invite_accepted", "helper.totp_set_up", "helper.signed_in"]),
    );

    // The link works once.
    const again = (await invite.loader(args(staffRequest(null, path), params))) as unknown as FormAnswer;
    expect(again.init.status).toBe(404);
    const reuse = (await invite.action(
      args(
        staffRequest(null, path, {
          newPassword: "another long password",
          confirmPassword: "another long password",
        }),
        params,
      ),
    )) as unknown as FormAnswer;
    expect(reuse.init.status).toBe(404);
    expect(await acceptInvite(token, "another long password", { type: "helper" })).toBeNull();
  });

  it("refuses an expired link and one never issued", async () => {
    const organisationId = await testOrganisation();
    const helperId = await inviteHelper(
      organisationId,
      { name: "Late Person", email: "late@ngo.test", lang: "en" },
      { type: "system" },
    );
    const { token } = await lastInvite("late@ngo.test");
    await db()
      .update(helperUsers)
      .set({ inviteExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(helperUsers.id, helperId));
    const expired = (await invite.loader(
      args(staffRequest(null, `/en/helpers/invite/${token}`), { lang: "en", token }),
    )) as unknown as FormAnswer;
    expect(expired.init.status).toBe(404);
    expect(await acceptInvite(token, password, { type: "helper" })).toBeNull();
    const madeUp = (await invite.loader(
      args(staffRequest(null, "/en/helpers/invite/nothing"), { lang: "en", token: "nothing" }),
    )) as unknown as FormAnswer;
    expect(madeUp.init.status).toBe(404);
  });
});

describe("helper sign-in", () => {
  const signInWith = (jar: Jar, email: string, pass: string) =>
    signIn.action(args(jar.request("/en/helpers", { email, password: pass }), { lang: "en" }));

  it("asks for the password, then the code, and gives a session the helper pages accept", async () => {
    const helper = await signedInHelper(await testOrganisation());
    const jar = new Jar();
    const afterPassword = jar.take(
      (await signInWith(jar, helper.email.toUpperCase(), HELPER_TEST_PASSWORD)) as Response,
    );
    expect(afterPassword.headers.get("Location")).toBe("/en/helpers/code");
    expect(await code.loader(args(jar.request("/en/helpers/code"), { lang: "en" }))).toBeNull();
    const wrong = (await code.action(
      args(jar.request("/en/helpers/code", { totpCode: "123456" }), { lang: "en" }),
    )) as FormAnswer;
    expect(wrong.init.status).toBe(422);
    expect(wrong.data.errors).toEqual({ totpCode: "helpers:code.wrong" });
    const done = jar.take(
      (await code.action(
        args(jar.request("/en/helpers/code", { totpCode: totp(HELPER_TEST_TOTP) }), { lang: "en" }),
      )) as Response,
    );
    expect(done.headers.get("Location")).toBe("/en/helpers/cases");
    expect(await currentHelper(jar.request("/en/helpers/cases"))).toMatchObject({ id: helper.id });
    // Signed in already: the sign-in page goes on to the caseload.
    const again = await run(() => signIn.loader(args(jar.request("/en/helpers"), { lang: "en" })));
    expect((again as Response).headers.get("Location")).toBe("/en/helpers/cases");

    // Signing out deletes the session itself, not just the browser's cookie.
    const signedInCookie = jar.cookie;
    const out = (await signOut.action(
      args(jar.request("/en/helpers/sign-out", {}), { lang: "en" }),
    )) as Response;
    expect(out.headers.get("Location")).toBe("/en/helpers");
    expect(await currentHelper(staffRequest({ cookie: signedInCookie }, "/en/helpers/cases"))).toBeNull();
  });

  it("refuses the code page without a password first", async () => {
    const response = await run(() =>
      code.loader(args(staffRequest(null, "/ar/helpers/code"), { lang: "ar" })),
    );
    expect((response as Response).headers.get("Location")).toBe("/ar/helpers");
  });

  it("gives the same answer to a wrong password and an unknown email, and locks after five wrong ones", async () => {
    const helper = await signedInHelper(await testOrganisation());
    const attempt = async (email: string, pass: string) =>
      (await signInWith(new Jar(), email, pass)) as unknown as FormAnswer;
    const unknown = await attempt("nobody@ngo.test", "whatever password");
    const wrong = await attempt(helper.email, "not the password");
    expect(unknown.data.errors).toEqual({ password: "helpers:signIn.wrong" });
    expect(wrong.data.errors).toEqual({ password: "helpers:signIn.wrong" });
    expect(wrong.data.values).toEqual({ email: helper.email });
    for (let i = 0; i < 4; i++) await attempt(helper.email, "not the password");
    const locked = await attempt(helper.email, HELPER_TEST_PASSWORD);
    expect(locked.data.errors).toEqual({ password: "helpers:signIn.locked" });
    expect((await listTeam(helper.organisationId)).map((m) => m.state)).toEqual(["locked"]);
  });

  it("refuses someone invited who has not chosen a password yet", async () => {
    const organisationId = await testOrganisation();
    await inviteHelper(
      organisationId,
      { name: "New One", email: "new.one@ngo.test", lang: "fr" },
      { type: "system" },
    );
    const guess = (await signInWith(
      new Jar(),
      "new.one@ngo.test",
      "any password at all",
    )) as unknown as FormAnswer;
    expect(guess.data.errors).toEqual({ password: "helpers:signIn.wrong" });
  });
});

describe("a coordinator's team", () => {
  const teamPost = (cookie: string, form: Record<string, string>) =>
    run(() => team.action(args(staffRequest({ cookie }, "/fr/helpers/team", form), { lang: "fr" })));

  it("invites helpers into the coordinator's own organisation, and can send a fresh link", async () => {
    const organisationId = await testOrganisation("Salam Test");
    const coordinator = await signedInHelper(organisationId, "coordinator");
    const form = { intent: "invite", name: "Sara Dupont", email: "Sara@Salam.test", lang: "en" };
    const done = (await teamPost(coordinator.cookie, form)) as Response;
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/fr/helpers/team?done=invited");
    const first = await lastInvite("sara@salam.test");
    expect(first.params).toMatchObject({
      name: "Sara Dupont",
      organisation: "Salam Test",
      path: `/en/helpers/invite/${first.token}`,
    });
    const [sara] = await db().select().from(helperUsers).where(eq(helperUsers.email, "sara@salam.test"));
    expect(sara).toMatchObject({ organisationId, role: "helper", lang: "en" });
    expect(await auditActions(sara?.id as string)).toEqual(["helper.invited"]);

    // Not accepted yet: inviting again sends a new link, and the old one stops working.
    await teamPost(coordinator.cookie, form);
    const second = await lastInvite("sara@salam.test");
    expect(second.token).not.toBe(first.token);
    expect(await acceptInvite(first.token, password, { type: "helper" })).toBeNull();
    expect(await acceptInvite(second.token, password, { type: "helper" })).toBe(sara?.id);

    // Accepted, or in another organisation: the address is taken.
    const taken = (await teamPost(coordinator.cookie, form)) as FormAnswer;
    expect(taken.init.status).toBe(422);
    expect(taken.data.errors).toEqual({ email: "helpers:fields.email.errors.taken" });
    const elsewhere = await signedInHelper(await testOrganisation(), "coordinator");
    await teamPost(elsewhere.cookie, { ...form, email: "pending@elsewhere.test" });
    const other = (await teamPost(coordinator.cookie, {
      ...form,
      email: "pending@elsewhere.test",
    })) as FormAnswer;
    expect(other.data.errors).toEqual({ email: "helpers:fields.email.errors.taken" });

    const invalid = (await teamPost(coordinator.cookie, {
      intent: "invite",
      name: "",
      email: "nope",
      lang: "xx",
    })) as FormAnswer;
    expect(invalid.data.errors).toEqual({
      name: "helpers:fields.name.errors.required",
      email: "helpers:fields.email.errors.invalid",
      lang: "helpers:fields.lang.errors.required",
    });

    const page = (await team.loader(args(staffRequest(coordinator, "/fr/helpers/team"), { lang: "fr" }))) as {
      team: { email: string; state: string }[];
    };
    expect(page.team.map((m) => [m.email, m.state])).toEqual([
      ["sara@salam.test", "awaitingMfa"],
      [coordinator.email, "active"],
    ]);
    expect(JSON.stringify(page)).not.toMatch(/passwordHash|totpSecret|inviteToken/);
  });

  it("is for coordinators only: a helper is refused with 403", async () => {
    const helper = await signedInHelper(await testOrganisation());
    const page = await run(() => team.loader(args(staffRequest(helper, "/fr/helpers/team"), { lang: "fr" })));
    expect((page as Response).status).toBe(403);
    const post = await teamPost(helper.cookie, { intent: "suspend", helperId: helper.id });
    expect((post as Response).status).toBe(403);
    // Both refusals are audited (ASVS 7.2.2).
    const denied = await db()
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.actorId, helper.id), eq(auditLog.action, "helper.access_denied")));
    expect(denied.map((d) => d.details)).toEqual([
      { permission: "coordinator", method: "GET", path: "/fr/helpers/team" },
      { permission: "coordinator", method: "POST", path: "/fr/helpers/team" },
    ]);
    const anonymous = await run(() =>
      team.loader(args(staffRequest(null, "/fr/helpers/team"), { lang: "fr" })),
    );
    expect((anonymous as Response).headers.get("Location")).toBe("/fr/helpers");
  });

  it("cannot suspend or reinstate another organisation's helper, nor the coordinator themself", async () => {
    const coordinatorA = await signedInHelper(await testOrganisation(), "coordinator");
    const helperB = await signedInHelper(await testOrganisation());
    for (const intent of ["suspend", "reinstate"]) {
      const answer = await teamPost(coordinatorA.cookie, { intent, helperId: helperB.id });
      expect((answer as Response).status).toBe(404);
    }
    expect(await suspendHelper(coordinatorA, helperB.id, coordinatorA.actor)).toBe("notFound");
    expect(await reinstateHelper(coordinatorA, "not-a-uuid", coordinatorA.actor)).toBe("notFound");
    expect(await suspendHelper(coordinatorA, coordinatorA.id, coordinatorA.actor)).toBe("self");
    expect(
      ((await teamPost(coordinatorA.cookie, { intent: "suspend", helperId: coordinatorA.id })) as Response)
        .status,
    ).toBe(400);
    expect(await currentHelper(staffRequest(helperB, "/fr/helpers/cases"))).not.toBeNull();
    expect(await currentHelper(staffRequest(coordinatorA, "/fr/helpers/cases"))).not.toBeNull();
  });

  it("ends a suspended helper's access at once, and reinstating needs a new sign-in", async () => {
    const organisationId = await testOrganisation();
    const coordinator = await signedInHelper(organisationId, "coordinator");
    const helper = await signedInHelper(organisationId);
    const secondDevice = await helperCookie(helper.id);
    expect(await currentHelper(staffRequest(helper, "/fr/helpers/cases"))).not.toBeNull();

    const done = (await teamPost(coordinator.cookie, { intent: "suspend", helperId: helper.id })) as Response;
    expect(done.headers.get("Location")).toBe("/fr/helpers/team?done=suspended");
    expect(await currentHelper(staffRequest(helper, "/fr/helpers/cases"))).toBeNull();
    expect(await currentHelper(staffRequest({ cookie: secondDevice }, "/fr/helpers/cases"))).toBeNull();
    expect(
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.subject, `helper:${helper.id}`)),
    ).toEqual([]);
    const refused = (await signIn.action(
      args(staffRequest(null, "/fr/helpers", { email: helper.email, password: HELPER_TEST_PASSWORD }), {
        lang: "fr",
      }),
    )) as unknown as FormAnswer;
    expect(refused.data.errors).toEqual({ password: "helpers:signIn.wrong" });
    expect((await listTeam(organisationId)).find((m) => m.id === helper.id)?.state).toBe("suspended");

    const back = (await teamPost(coordinator.cookie, {
      intent: "reinstate",
      helperId: helper.id,
    })) as Response;
    expect(back.headers.get("Location")).toBe("/fr/helpers/team?done=reinstated");
    // The old session stays void; signing in again works.
    expect(await currentHelper(staffRequest(helper, "/fr/helpers/cases"))).toBeNull();
    const jar = new Jar();
    const afterPassword = (await signIn.action(
      args(jar.request("/fr/helpers", { email: helper.email, password: HELPER_TEST_PASSWORD }), {
        lang: "fr",
      }),
    )) as Response;
    expect(afterPassword.headers.get("Location")).toBe("/fr/helpers/code");
    expect(
      (
        await db()
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.subjectId, helper.id), eq(auditLog.actorId, coordinator.id)))
      ).map((a) => a.action),
    ).toEqual(["helper.suspended", "helper.reinstated"]);
  });
});
