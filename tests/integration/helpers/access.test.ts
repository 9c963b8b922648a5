import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, eois, helperConsents, helperUsers, notifications, presenceChecks } from "#db/schema";
import { blindIndex, decrypt, decryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import type { PendingConsent } from "~/.server/helper-auth.server";
import { commitSession, getSession } from "~/.server/session.server";
import { addDays, wallClock } from "~/domain/appointments/appointments.rules";
import { generateSlots } from "~/domain/appointments/appointments.service.server";
import { createDraft } from "~/domain/eoi/eoi.service.server";
import { caseload, handOver } from "~/domain/helpers/caseload.server";
import { consentText, revokeConsent } from "~/domain/helpers/consent.server";
import * as check from "~/routes/lang/apply/check";
import * as children from "~/routes/lang/apply/children";
import * as confirmation from "~/routes/lang/apply/confirmation";
import * as contactPage from "~/routes/lang/apply/contact";
import * as declaration from "~/routes/lang/apply/declaration";
import * as question from "~/routes/lang/apply/question";
import * as tasks from "~/routes/lang/apply/tasks";
import * as upload from "~/routes/lang/apply/upload";
import * as verify from "~/routes/lang/apply/verify";
import * as booked from "~/routes/lang/appointments/booked";
import * as calendar from "~/routes/lang/appointments/calendar";
import * as cancel from "~/routes/lang/appointments/cancel";
import * as confirm from "~/routes/lang/appointments/confirm";
import * as appointmentsIndex from "~/routes/lang/appointments/index";
import * as slotsPage from "~/routes/lang/appointments/slots";
import * as casePage from "~/routes/lang/helpers/cases/case";
import * as caseloadPage from "~/routes/lang/helpers/cases/caseload";
import * as consentPage from "~/routes/lang/helpers/cases/consent";
import * as layout from "~/routes/lang/layout";
import * as presence from "~/routes/lang/presence";
import * as application from "~/routes/lang/status/application";
import * as statusContact from "~/routes/lang/status/contact";
import * as withdraw from "~/routes/lang/status/withdraw";
import { setupTestDatabase } from "../../support/db";
import { completeAnswers, openWindowNow } from "../../support/eoi";
import { helperCookie, signedInHelper, type TestHelper, testOrganisation } from "../../support/helpers";
import { routeContext, staffRequest } from "../../support/staff";
import { addDailyPattern, createCentre } from "../appointments/support";

setupTestDatabase("helpers-access");

// Loaders and actions return data(...) (init + data), plain data, a Response, or throw one.
// biome-ignore lint/suspicious/noExplicitAny: route results are checked by the assertions
type Result = any;
async function run(fn: () => Promise<unknown>): Promise<Result> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const statusOf = (r: Result): number => (r instanceof Response ? r.status : (r?.init?.status ?? 200));
const location = (r: Result) => (r instanceof Response ? r.headers.get("Location") : null);
const dataOf = async (r: Result) => (r instanceof Response ? r.json() : (r?.data ?? r));
const args = (request: Request, params: Record<string, string> = {}) =>
  ({ request, params: { lang: "fr", ...params }, context: routeContext }) as never;
const get = (cookie: string, path: string) => staffRequest({ cookie }, path);
const post = (cookie: string, path: string, form: Record<string, string> = {}) =>
  staffRequest({ cookie }, path, form);

/** Keeps the cookies a browser would keep between requests. */
class Jar {
  cookies = new Map<string, string>();
  constructor(cookie: string) {
    this.take(cookie);
  }
  take(setCookie: string) {
    const [pair = ""] = setCookie.split(";");
    const at = pair.indexOf("=");
    const value = pair.slice(at + 1);
    if (value && !/Expires=Thu, 01 Jan 1970/i.test(setCookie)) this.cookies.set(pair.slice(0, at), value);
    else this.cookies.delete(pair.slice(0, at));
  }
  keep(result: Result) {
    if (result instanceof Response) for (const header of result.headers.getSetCookie()) this.take(header);
    return result;
  }
  get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

const day = 86_400_000;
let orgA: string;
let orgAName: string;
let orgB: string;
let helperA: TestHelper;
let colleague: TestHelper;
let otherOrg: TestHelper;
let paris: string;

/** An application a helper of `helper`'s organisation started, with the applicant's consent. */
async function assistedDraft(helper: TestHelper, applicantName: string, lang = "ar"): Promise<string> {
  const consent: PendingConsent = {
    applicantName,
    method: "in_person",
    lang,
    textShown: (await consentText(lang, orgAName)).join("\n\n"),
    givenAt: new Date().toISOString(),
  };
  return createDraft({
    lang,
    contact: { email: `${crypto.randomUUID().slice(0, 8)}@example.org`, mobile: "+33612345678" },
    answers: completeAnswers(),
    actor: helper.actor,
    assistance: { helper, consent },
  });
}

/** The applicant's own status session (no helper), as requireStatusSession expects. */
async function applicantCookie(eoiId: string): Promise<string> {
  const session = await getSession(new Request("http://localhost/fr/status"));
  session.set("statusEoiId", eoiId);
  return (await commitSession(session, 15)).split(";")[0] as string;
}

const consentOf = async (eoiId: string) =>
  (await db().select().from(helperConsents).where(eq(helperConsents.eoiId, eoiId)))[0];

beforeAll(async () => {
  await openWindowNow();
  orgAName = `Calais Aide ${crypto.randomUUID().slice(0, 6)}`;
  orgA = await testOrganisation(orgAName);
  orgB = await testOrganisation();
  helperA = await signedInHelper(orgA);
  colleague = await signedInHelper(orgA);
  otherOrg = await signedInHelper(orgB, "coordinator");
  paris = await createCentre(db(), "PAR");
  await addDailyPattern(db(), paris);
  const today = wallClock(new Date()).day;
  await generateSlots(paris, addDays(today, 1), addDays(today, 7), { type: "staff", id: "centre-admin" });
});

describe("an assisted application", () => {
  it("records the consent shown in the applicant's language; the code goes to the applicant, in it", async () => {
    const jar = new Jar(await helperCookie(helperA.id));
    const choose = await run(() => consentPage.loader(args(get(jar.cookie, "/fr/helpers/cases/new"))));
    expect(choose).toMatchObject({ step: "language", error: false, consent: null });
    const none = await run(() =>
      consentPage.loader(args(get(jar.cookie, "/fr/helpers/cases/new?step=language"))),
    );
    expect(none).toMatchObject({ step: "language", error: true });
    const path = "/fr/helpers/cases/new?applicantLang=ar";
    const shown = await run(() => consentPage.loader(args(get(jar.cookie, path))));
    expect(shown.consent).toMatchObject({ lang: "ar", dir: "rtl" });
    expect(shown.consent.paragraphs[0]).toContain(orgAName);

    // Without JavaScript the contact page is reached only once consent is on record.
    const early = await run(() => contactPage.loader(args(get(jar.cookie, "/fr/apply/contact"))));
    expect(location(early)).toBe("/fr/helpers/cases/new");

    const missing = await run(() =>
      consentPage.action(args(post(jar.cookie, path, { applicantLang: "ar" }))),
    );
    expect(statusOf(missing)).toBe(422);
    expect(Object.keys(missing.data.errors)).toEqual(["applicantName", "consentMethod", "consentConfirmed"]);
    const answers = {
      applicantName: "Amina Haddad",
      consentMethod: "phone_interpreter",
      consentConfirmed: "yes",
    };
    const badLang = await run(() =>
      consentPage.action(args(post(jar.cookie, path, { ...answers, applicantLang: "xx" }))),
    );
    expect(statusOf(badLang)).toBe(400);
    const recorded = jar.keep(
      await run(() => consentPage.action(args(post(jar.cookie, path, { ...answers, applicantLang: "ar" })))),
    );
    expect(location(recorded)).toBe("/fr/apply");

    const email = `amina.${crypto.randomUUID().slice(0, 8)}@example.org`;
    const sent = jar.keep(
      await run(() => contactPage.action(args(post(jar.cookie, "/fr/apply/contact", { email, mobile: "" })))),
    );
    expect(location(sent)).toBe("/fr/apply/verify");
    const [message] = (
      await db().select().from(notifications).where(eq(notifications.template, "otp"))
    ).filter((n) => decrypt(n.recipientEnc) === email);
    expect(message?.lang).toBe("ar");
    const { code } = decryptJson<{ code: string }>(message?.paramsEnc ?? "");
    const verified = jar.keep(
      await run(() => verify.action(args(post(jar.cookie, "/fr/apply/verify", { code })))),
    );
    expect(location(verified)).toBe("/fr/apply/tasks");

    const [eoi] = await db()
      .select()
      .from(eois)
      .where(eq(eois.emailHash, blindIndex("email", email)));
    expect(eoi).toMatchObject({ lang: "ar", helperOrganisationId: orgA, status: "draft" });
    const consent = await consentOf(eoi?.id as string);
    expect(consent).toMatchObject({
      organisationId: orgA,
      recordedBy: helperA.id,
      assignedHelperId: helperA.id,
      method: "phone_interpreter",
      lang: "ar",
      textShown: (await consentText("ar", orgAName)).join("\n\n"),
      revokedAt: null,
    });
    expect(consent?.applicantNameEnc).not.toContain("Amina");
    expect(decrypt(consent?.applicantNameEnc ?? "")).toBe("Amina Haddad");
    const [recordedRow] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "helper.consent_recorded"), eq(auditLog.subjectId, eoi?.id as string)));
    expect(recordedRow).toMatchObject({ actorType: "helper", actorId: helperA.id, onBehalfOf: eoi?.id });

    // The helper's session now works on the new draft, and the bar says for whom.
    expect(statusOf(await run(() => tasks.loader(args(get(jar.cookie, "/fr/apply/tasks")))))).toBe(200);
    const bar = (await layout.loader(args(get(jar.cookie, "/fr/apply/tasks")))).helperBar;
    expect(bar).toMatchObject({ name: "Test helper", organisation: orgAName });
    expect(bar?.acting).toMatchObject({ applicant: "Amina Haddad", reference: null });
  });

  it("shows no helper bar to anyone else", async () => {
    const bar = await layout.loader(args(get(await applicantCookie(crypto.randomUUID()), "/fr/status")));
    expect(bar.helperBar).toBeNull();
  });
});

// Two cases of organisation A, built by its helper: a draft, and one taken through the shared
// pages to a booked appointment (saved, submitted, booked: each step audited as the helper's).
let draftId: string;
let bookedId: string;

describe("a helper acting through the applicant's own pages", () => {
  it("saves, submits and books, each action in the audit log with the helper's identity", async () => {
    draftId = await assistedDraft(helperA, "Samir Draft");
    bookedId = await assistedDraft(helperA, "Yonas Booked");
    const cookie = await helperCookie(helperA.id);
    const open = (intent: string) =>
      run(() =>
        casePage.action(args(post(cookie, `/fr/helpers/cases/${bookedId}`, { intent }), { id: bookedId })),
      );

    expect(location(await open("continue"))).toBe("/fr/apply/tasks");
    const saved = await run(() =>
      question.action(
        args(post(cookie, "/fr/apply/q/names", { givenNames: "Yonas", familyName: "Tesfaye" }), {
          slug: "names",
        }),
      ),
    );
    expect(location(saved)).toMatch(/^\/fr\/apply\//);
    const sent = await run(() =>
      declaration.action(args(post(cookie, "/fr/apply/declaration", { declaration: "yes" }))),
    );
    expect(location(sent)).toBe("/fr/apply/confirmation");

    // A caseworker selects the applicant for stage two.
    await db()
      .update(eois)
      .set({ status: "selected", bookingDeadline: new Date(Date.now() + 5 * day) })
      .where(eq(eois.id, bookedId));
    expect(location(await open("appointments"))).toBe("/fr/appointments");
    const list = await run(() =>
      slotsPage.loader(args(get(cookie, "/fr/appointments/centre/PAR"), { centre: "PAR" })),
    );
    const slot = list.data.days[0].slots[0].id as string;
    const done = await run(() => confirm.action(args(post(cookie, "/fr/appointments/confirm", { slot }))));
    expect(location(done)).toBe("/fr/appointments/booked");

    const trail = await db().select().from(auditLog).where(eq(auditLog.subjectId, bookedId));
    for (const action of [
      "helper.case_opened",
      "eoi.answers_saved",
      "status.submitted",
      "appointment.booked",
    ]) {
      expect(
        trail.find((r) => r.action === action),
        action,
      ).toMatchObject({
        actorType: "helper",
        actorId: helperA.id,
        onBehalfOf: bookedId,
      });
    }
  });

  it("never confirms presence for the applicant, even with their link", async () => {
    const [message] = (
      await db().select().from(notifications).where(eq(notifications.eoiId, bookedId))
    ).filter((n) => n.template === "presence");
    const token = decryptJson<{ path: string }>(message?.paramsEnc ?? "")
      .path.split("/")
      .pop() as string;
    const cookie = await helperCookie(helperA.id);
    const page = await run(() => presence.loader(args(get(cookie, `/fr/presence/${token}`), { token })));
    expect(statusOf(page)).toBe(403);
    expect(page.data.helperRefusal.title).toBeTruthy();
    const tried = await run(() =>
      presence.action(args(post(cookie, `/fr/presence/${token}`, { intent: "none" }), { token })),
    );
    expect(statusOf(tried)).toBe(403);
    const [checkRow] = await db().select().from(presenceChecks).where(eq(presenceChecks.eoiId, bookedId));
    expect(checkRow?.completedAt).toBeNull();
    // The applicant's own browser still can.
    const own = await run(() => presence.loader(args(get("", `/fr/presence/${token}`), { token })));
    expect(own.helperRefusal).toBeNull();
  });
});

interface Row {
  name: string;
  call: (cookie: string) => Promise<Result>;
  /** What the organisation's own helper gets: proof that the row reaches past the guard. */
  own: (result: Result) => Promise<void> | void;
}

const caseRoute = (id: () => string, form?: Record<string, string>) => (cookie: string) =>
  run(() =>
    form
      ? casePage.action(args(post(cookie, `/fr/helpers/cases/${id()}`, form), { id: id() }))
      : casePage.loader(args(get(cookie, `/fr/helpers/cases/${id()}`), { id: id() })),
  );
const is = (status: number) => (r: Result) => {
  expect(statusOf(r)).toBe(status);
};
const goesTo = (path: string) => (r: Result) => {
  expect(location(r)).toBe(path);
};

/** Every helper case route and action, and every shared page a helper reaches through a case. */
const rows: Row[] = [
  {
    name: "helpers/cases/:id GET (draft)",
    call: caseRoute(() => draftId),
    own: (r) => expect(r.applicantName).toBe("Samir Draft"),
  },
  {
    name: "helpers/cases/:id GET (booked)",
    call: caseRoute(() => bookedId),
    own: (r) => expect(r.intents).toEqual(["status", "appointments", "hand-over"]),
  },
  {
    name: "helpers/cases/:id POST continue",
    call: caseRoute(() => draftId, { intent: "continue" }),
    own: goesTo("/fr/apply/tasks"),
  },
  {
    name: "helpers/cases/:id POST status",
    call: caseRoute(() => bookedId, { intent: "status" }),
    own: goesTo("/fr/status/application"),
  },
  {
    name: "helpers/cases/:id POST appointments",
    call: caseRoute(() => bookedId, { intent: "appointments" }),
    own: goesTo("/fr/appointments"),
  },
  {
    name: "helpers/cases/:id POST hand-over",
    call: caseRoute(() => draftId, { intent: "hand-over" }),
    own: is(422),
  },
  {
    name: "helpers/cases/:id POST an intent its status does not allow",
    call: caseRoute(() => bookedId, { intent: "continue" }),
    own: is(400),
  },
  {
    name: "apply/tasks GET",
    call: (c) => run(() => tasks.loader(args(get(c, "/fr/apply/tasks")))),
    own: async (r) => expect((await dataOf(r)).sections.length).toBeGreaterThan(0),
  },
  {
    name: "apply/q/:slug GET",
    call: (c) => run(() => question.loader(args(get(c, "/fr/apply/q/names"), { slug: "names" }))),
    own: async (r) => expect((await dataOf(r)).values.givenNames).toBe("Amina"),
  },
  {
    name: "apply/q/:slug POST",
    call: (c) =>
      run(() =>
        question.action(
          args(post(c, "/fr/apply/q/names", { givenNames: "Amina", familyName: "Haddad" }), {
            slug: "names",
          }),
        ),
      ),
    own: (r) => expect(location(r)).toMatch(/^\/fr\/apply\//),
  },
  {
    name: "apply/children GET",
    call: (c) => run(() => children.loader(args(get(c, "/fr/apply/children")))),
    own: is(200),
  },
  {
    name: "apply/children POST",
    call: (c) => run(() => children.action(args(post(c, "/fr/apply/children", {})))),
    own: is(422),
  },
  {
    name: "apply/upload-document GET",
    call: (c) => run(() => upload.loader(args(get(c, "/fr/apply/upload-document")))),
    own: is(200),
  },
  {
    name: "apply/check GET",
    call: (c) => run(() => check.loader(args(get(c, "/fr/apply/check")))),
    own: is(200),
  },
  {
    name: "apply/declaration GET",
    call: (c) => run(() => declaration.loader(args(get(c, "/fr/apply/declaration")))),
    own: is(200),
  },
  {
    name: "apply/declaration POST",
    call: (c) => run(() => declaration.action(args(post(c, "/fr/apply/declaration", {})))),
    own: is(422),
  },
  {
    name: "apply/confirmation GET",
    call: (c) => run(() => confirmation.loader(args(get(c, "/fr/apply/confirmation")))),
    own: goesTo("/fr/apply/tasks"),
  },
  {
    name: "status/application GET",
    call: (c) => run(() => application.loader(args(get(c, "/fr/status/application")))),
    own: (r) => {
      expect(r.data).toMatchObject({
        status: "appointment_booked",
        casePage: `/fr/helpers/cases/${bookedId}`,
      });
      expect(r.data.helpedBy.name).toBe(orgAName);
    },
  },
  {
    name: "status/application POST",
    call: (c) =>
      run(() => application.action(args(post(c, "/fr/status/application", { intent: "presence-link" })))),
    own: (r) => expect(r).toEqual({ linkSent: false }),
  },
  {
    name: "status/application POST revoke-helper (the applicant's alone)",
    call: (c) =>
      run(() => application.action(args(post(c, "/fr/status/application", { intent: "revoke-helper" })))),
    own: is(403),
  },
  {
    name: "status/withdraw GET",
    call: (c) => run(() => withdraw.loader(args(get(c, "/fr/status/withdraw")))),
    own: is(200),
  },
  {
    name: "status/withdraw POST",
    call: (c) => run(() => withdraw.action(args(post(c, "/fr/status/withdraw", {})))),
    own: is(422),
  },
  {
    name: "status/contact GET (refused to helpers, with the reason)",
    call: (c) => run(() => statusContact.loader(args(get(c, "/fr/status/contact")))),
    own: (r) => {
      expect(statusOf(r)).toBe(403);
      expect(r.data.helperRefused).toBe(true);
    },
  },
  {
    name: "status/contact POST (refused to helpers)",
    call: (c) =>
      run(() => statusContact.action(args(post(c, "/fr/status/contact", { email: "x@example.org" })))),
    own: is(403),
  },
  {
    name: "appointments GET",
    call: (c) => run(() => appointmentsIndex.loader(args(get(c, "/fr/appointments")))),
    own: is(200),
  },
  {
    name: "appointments POST",
    call: (c) => run(() => appointmentsIndex.action(args(post(c, "/fr/appointments", {})))),
    own: is(422),
  },
  {
    name: "appointments/centre/:centre GET",
    call: (c) => run(() => slotsPage.loader(args(get(c, "/fr/appointments/centre/PAR"), { centre: "PAR" }))),
    own: (r) => expect(r.data.days.length).toBeGreaterThan(0),
  },
  {
    name: "appointments/centre/:centre POST",
    call: (c) =>
      run(() => slotsPage.action(args(post(c, "/fr/appointments/centre/PAR", {}), { centre: "PAR" }))),
    own: is(422),
  },
  {
    name: "appointments/confirm POST",
    call: (c) => run(() => confirm.action(args(post(c, "/fr/appointments/confirm", {})))),
    own: goesTo("/fr/appointments"),
  },
  {
    name: "appointments/booked GET",
    call: (c) => run(() => booked.loader(args(get(c, "/fr/appointments/booked")))),
    own: is(200),
  },
  {
    name: "appointments/cancel GET",
    call: (c) => run(() => cancel.loader(args(get(c, "/fr/appointments/cancel")))),
    own: is(200),
  },
  {
    name: "appointments/cancel POST",
    call: (c) => run(() => cancel.action(args(post(c, "/fr/appointments/cancel", {})))),
    own: is(422),
  },
  {
    name: "appointments/calendar.ics GET",
    call: (c) => run(() => calendar.loader(args(get(c, "/fr/appointments/calendar.ics")))),
    own: (r) => expect(r.headers.get("Content-Type")).toMatch(/^text\/calendar/),
  },
];

/** A session working on both cases: the draft on the application pages, the booked one on the others. */
const openOn = (helper: TestHelper) => helperCookie(helper.id, { eoiId: draftId, statusEoiId: bookedId });
const listed = async (organisationId: string) => (await caseload(organisationId)).map((c) => c.eoiId);

describe("object-level access", () => {
  it("lists the cases in their organisation's caseload only", async () => {
    expect(await listed(orgA)).toEqual(expect.arrayContaining([draftId, bookedId]));
    expect(await listed(orgB)).toEqual([]);
    const page = await run(() => caseloadPage.loader(args(get(otherOrg.cookie, "/fr/helpers/cases"))));
    expect(page.cases).toEqual([]);
    const own = await run(() => caseloadPage.loader(args(get(helperA.cookie, "/fr/helpers/cases"))));
    const row = own.cases.find((c: { id: string }) => c.id === bookedId);
    expect(row).toMatchObject({
      applicantName: "Yonas Booked",
      status: "appointment_booked",
      next: "attend",
    });
    expect(row.deadline).toBeTruthy();
  });

  it.each(rows)("$name: another organisation's helper gets 404, this one's gets through", async (row) => {
    expect(statusOf(await row.call(await openOn(otherOrg)))).toBe(404);
    const own = await row.call(await openOn(helperA));
    expect(statusOf(own)).not.toBe(404);
    await row.own(own);
  });

  it("answers 404 for a case id that is not a case", async () => {
    const page = await run(() =>
      casePage.loader(args(get(helperA.cookie, "/fr/helpers/cases/not-a-case"), { id: "not-a-case" })),
    );
    expect(statusOf(page)).toBe(404);
  });
});

describe("handing a case over", () => {
  it("gives the lead to an active colleague of the same organisation, audited", async () => {
    const page = await run(() =>
      casePage.loader(args(get(helperA.cookie, `/fr/helpers/cases/${draftId}`), { id: draftId })),
    );
    expect(page.colleagues.map((c: { id: string }) => c.id)).toEqual([colleague.id]);
    const handed = await run(() =>
      casePage.action(
        args(
          post(helperA.cookie, `/fr/helpers/cases/${draftId}`, {
            intent: "hand-over",
            colleague: colleague.id,
          }),
          {
            id: draftId,
          },
        ),
      ),
    );
    expect(location(handed)).toBe(`/fr/helpers/cases/${draftId}?done=handed-over`);
    expect((await consentOf(draftId))?.assignedHelperId).toBe(colleague.id);
    const [row] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "helper.case_handed_over"), eq(auditLog.subjectId, draftId)));
    expect(row).toMatchObject({ actorType: "helper", actorId: helperA.id, onBehalfOf: draftId });
    expect(row?.details).toEqual({ from: helperA.id, to: colleague.id });
  });

  it("refuses a helper of another organisation, a suspended one and one not yet signed up", async () => {
    const suspended = await signedInHelper(orgA);
    await db().update(helperUsers).set({ suspendedAt: new Date() }).where(eq(helperUsers.id, suspended.id));
    const invited = await signedInHelper(orgA);
    await db().update(helperUsers).set({ passwordHash: null }).where(eq(helperUsers.id, invited.id));
    for (const to of [otherOrg.id, suspended.id, invited.id]) {
      expect(await handOver(orgA, draftId, to, helperA.actor), to).toBe(false);
      const refused = await run(() =>
        casePage.action(
          args(post(helperA.cookie, `/fr/helpers/cases/${draftId}`, { intent: "hand-over", colleague: to }), {
            id: draftId,
          }),
        ),
      );
      expect(statusOf(refused)).toBe(422);
    }
    expect((await consentOf(draftId))?.assignedHelperId).toBe(colleague.id);
    // Nor can anything else write it: the lead belongs to the consent's organisation.
    await expect(
      db()
        .update(helperConsents)
        .set({ assignedHelperId: otherOrg.id })
        .where(eq(helperConsents.eoiId, draftId)),
    ).rejects.toThrow();
  });
});

describe("revoking consent", () => {
  it("lets the applicant see who helps them and stop it from their status page", async () => {
    const applicant = await applicantCookie(bookedId);
    const page = await run(() => application.loader(args(get(applicant, "/fr/status/application"))));
    expect(page.data).toMatchObject({ helpedBy: { name: orgAName }, casePage: null });
    // The helper's session is open on the case when the applicant revokes.
    const open = await openOn(helperA);
    expect(statusOf(await run(() => booked.loader(args(get(open, "/fr/appointments/booked")))))).toBe(200);

    const revoked = await run(() =>
      application.action(args(post(applicant, "/fr/status/application", { intent: "revoke-helper" }))),
    );
    expect(revoked).toEqual({ revoked: true });
    expect(await consentOf(bookedId)).toMatchObject({ revokedBy: "applicant", revokedAt: expect.any(Date) });
    const [eoi] = await db().select().from(eois).where(eq(eois.id, bookedId));
    expect(eoi?.helperOrganisationId).toBeNull();
    const [row] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "helper.consent_revoked"), eq(auditLog.subjectId, bookedId)));
    expect(row).toMatchObject({ actorType: "applicant", actorId: bookedId });
    const after = await run(() => application.loader(args(get(applicant, "/fr/status/application"))));
    expect(after.data.helpedBy).toBeNull();

    // The draft's applicant revokes too (a draft has no status page yet: straight to the service).
    expect(await revokeConsent(draftId, { type: "applicant", id: draftId })).toBe(orgAName);
    expect(await revokeConsent(draftId, { type: "applicant", id: draftId })).toBeNull();

    // At once: the same, already open session now gets 404 everywhere.
    for (const row of rows) expect(statusOf(await row.call(open)), row.name).toBe(404);
    expect(await listed(orgA)).not.toContain(bookedId);
    expect(await listed(orgA)).not.toContain(draftId);
    const bar = (await layout.loader(args(get(open, "/fr/helpers/cases")))).helperBar;
    expect(bar?.acting).toBeNull();
  });
});
