import type { AppLoadContext } from "@remix-run/node";
import { and, asc, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  auditLog,
  caseClaims,
  caseNotes,
  eois,
  notifications,
  returnCases,
  statusHistory,
  uploads,
} from "#db/schema";
import { blindIndex, decryptJson, encryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import {
  addNote,
  CaseNotFoundError,
  ClaimRequiredError,
  claimCase,
  DecisionNotAllowedError,
  decide,
  FamilyMemberClaimedError,
  FamilyNotReadyError,
  loadCase,
  loadDecision,
  releaseCase,
} from "~/domain/cases/cases.service.server";
import { submitEoi } from "~/domain/eoi/eoi.service.server";
import { saveUpload } from "~/domain/eoi/upload.service.server";
import { documentKey, identityKey } from "~/domain/identity/identity.rules";
import { loadAccount } from "~/domain/status/account.service.server";
import type { EoiStatus } from "~/domain/status/status.rules";
import { changeStatus } from "~/domain/status/status.service.server";
import { formatDate } from "~/i18n/format";
import { png } from "../../e2e/applicant";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, openWindowNow, type Person, testActor } from "../../support/eoi";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";

setupTestDatabase("cases");

const system = { type: "system" as const };
const context = routeContext as AppLoadContext;
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

let alice: TestStaff;
let bob: TestStaff;

beforeAll(async () => {
  await openWindowNow();
  alice = await signedInStaff("caseworker");
  bob = await signedInStaff("caseworker", "fr");
});

async function submitted(person: Person = {}, lang = "fr"): Promise<{ id: string; reference: string }> {
  const id = await completeDraft(person, lang);
  const result = await submitEoi(id, testActor);
  if (!result.ok) throw new Error(result.error);
  return { id, reference: result.reference };
}

/** A submitted application whose applicant confirmed presence in France. */
async function verified(person: Person = {}, lang = "fr") {
  const eoi = await submitted(person, lang);
  await db().transaction((tx) => changeStatus(tx, eoi.id, "location_verified", system));
  return eoi;
}

async function moveTo(id: string, ...steps: EoiStatus[]) {
  for (const step of steps)
    await db().transaction((tx) => changeStatus(tx, id, step, { type: "staff", id: "setup" }));
}

const statusOf = async (id: string) =>
  (await db().select({ status: eois.status }).from(eois).where(eq(eois.id, id)))[0]?.status;

const historyOf = async (id: string) =>
  db()
    .select()
    .from(statusHistory)
    .where(eq(statusHistory.eoiId, id))
    .then((rows) => rows.map((h) => ({ to: h.toStatus, reason: h.reasonCode, by: h.actorId })));

const auditOf = async (id: string, action?: string) =>
  db()
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.subjectType, "eoi"),
        eq(auditLog.subjectId, id),
        action ? eq(auditLog.action, action) : undefined,
      ),
    )
    .orderBy(asc(auditLog.id));

const sentTo = async (id: string, template: string) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.eoiId, id), eq(notifications.template, template)));

describe("claims", () => {
  it("lets one caseworker claim a case, refuses a second naming the holder, and audits it", async () => {
    const { id } = await submitted();
    const first = await claimCase(id, alice.actor);
    expect(first.ok).toBe(true);
    const second = await claimCase(id, bob.actor);
    expect(second).toMatchObject({ ok: false, heldBy: "Test caseworker" });
    const [claim] = await db().select().from(caseClaims).where(eq(caseClaims.eoiId, id));
    expect(claim?.staffId).toBe(alice.id);
    // 30 minutes, give or take the test's own run time.
    expect(Math.abs((claim?.expiresAt.getTime() ?? 0) - minutes(30).getTime())).toBeLessThan(60_000);
    const audit = await auditOf(id, "case.claimed");
    expect(audit.map((a) => a.actorId)).toEqual([alice.id]);
  });

  it("renews the holder's claim and lets another take it over once it has expired", async () => {
    const { id } = await submitted();
    await claimCase(id, alice.actor);
    const later = minutes(20);
    expect(await claimCase(id, alice.actor, later)).toMatchObject({ ok: true });
    // Alice's renewal at +20 min holds until +50: Bob is still refused at +40 ...
    expect((await claimCase(id, bob.actor, minutes(40))).ok).toBe(false);
    // ... and takes it over at +51.
    const takeover = await claimCase(id, bob.actor, minutes(51));
    expect(takeover).toMatchObject({ ok: true, tookOverFrom: alice.id });
    expect((await claimCase(id, alice.actor, minutes(52))).ok).toBe(false);
    const audit = await auditOf(id, "case.claimed");
    expect(audit.map((a) => [a.actorId, a.details])).toEqual([
      [alice.id, expect.not.objectContaining({ renewed: true })],
      [alice.id, expect.objectContaining({ renewed: true })],
      [bob.id, expect.objectContaining({ tookOverFrom: alice.id })],
    ]);
  });

  it("gives exactly one of two simultaneous claims", async () => {
    const { id } = await submitted();
    const results = await Promise.all([claimCase(id, alice.actor), claimCase(id, bob.actor)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("is released only by its holder, and the release is audited", async () => {
    const { id } = await submitted();
    await claimCase(id, alice.actor);
    expect(await releaseCase(id, bob.actor)).toBe(false);
    expect(await releaseCase(id, alice.actor)).toBe(true);
    expect(await db().select().from(caseClaims).where(eq(caseClaims.eoiId, id))).toHaveLength(0);
    expect(await auditOf(id, "case.released")).toHaveLength(1);
    expect((await claimCase(id, bob.actor)).ok).toBe(true);
  });

  it("does not exist for drafts or unknown ids", async () => {
    const draft = await completeDraft();
    await expect(claimCase(draft, alice.actor)).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(claimCase("not-a-uuid", alice.actor)).rejects.toBeInstanceOf(CaseNotFoundError);
  });
});

describe("notes", () => {
  it("need the claim, are stored encrypted and audited without their text", async () => {
    const { id } = await submitted();
    await expect(addNote(id, "Checked the passport.", alice.actor)).rejects.toBeInstanceOf(
      ClaimRequiredError,
    );
    await claimCase(id, alice.actor);
    await expect(addNote(id, "Not mine", bob.actor)).rejects.toMatchObject({ heldBy: "Test caseworker" });
    const noteId = await addNote(id, "Checked the passport.", alice.actor);
    const [row] = await db().select().from(caseNotes).where(eq(caseNotes.id, noteId));
    expect(row?.bodyEnc).not.toContain("passport");
    const [audit] = await auditOf(id, "case.note_added");
    expect(audit?.details).toEqual({ noteId });
    // An expired claim is no claim.
    await expect(addNote(id, "Too late", alice.actor, minutes(31))).rejects.toBeInstanceOf(
      ClaimRequiredError,
    );
  });
});

describe("decisions", () => {
  it("are refused without the claim (or with someone else's), and nothing is written", async () => {
    const { id } = await verified();
    const input = { decision: "invalid" as const, reason: "duplicate" };
    await expect(decide(id, input, alice.actor)).rejects.toBeInstanceOf(ClaimRequiredError);
    await claimCase(id, bob.actor);
    await expect(decide(id, input, alice.actor)).rejects.toMatchObject({ heldBy: "Test caseworker" });
    await expect(decide(id, input, bob.actor, minutes(31))).rejects.toBeInstanceOf(ClaimRequiredError);
    expect(await statusOf(id)).toBe("location_verified");
  });

  it.each([
    ["invalid", "not_in_france", [] as EoiStatus[], ["invalid"]],
    ["not_eligible", "french_permission", [], ["under_review", "not_eligible"]],
    ["not_selected", "no_capacity", ["location_verified"], ["under_review", "not_selected"]],
    ["refused", "suitability_criminality", ["location_verified", "under_review"], ["refused"]],
    [
      "refused",
      "biometrics_not_provided",
      ["location_verified", "under_review", "selected", "appointment_booked"],
      ["refused"],
    ],
    [
      "approved",
      "all_checks_passed",
      ["location_verified", "under_review", "selected", "appointment_booked", "biometrics_enrolled"],
      ["approved"],
    ],
  ] as const)(
    "%s (%s) writes the history with its reason, the notification and the audit",
    async (decision, reason, setup, path) => {
      const { id } = await submitted();
      if (setup[0] === "location_verified") {
        await db().transaction((tx) => changeStatus(tx, id, "location_verified", system));
        await moveTo(id, ...setup.slice(1));
      }
      const before = (await historyOf(id)).length;
      await claimCase(id, alice.actor);
      expect(await decide(id, { decision, reason }, alice.actor)).toEqual([id]);
      expect(await statusOf(id)).toBe(decision);
      const history = (await historyOf(id)).slice(before);
      expect(history).toEqual(
        path.map((to) => ({ to, reason: to === decision ? reason : null, by: alice.id })),
      );
      const sent = await sentTo(id, `status.${decision}`);
      expect(sent.map((n) => n.channel).sort()).toEqual(["email", "sms"]);
      expect(decryptJson<Record<string, string>>(sent[0]?.paramsEnc ?? "")).toMatchObject({ reason });
      const audit = (await auditOf(id)).map((a) => a.action);
      expect(audit).toEqual(expect.arrayContaining([...path.map((s) => `status.${s}`), "case.decided"]));
    },
  );

  it("invites to stage two: sets the booking deadline and tells the applicant the date, in their language", async () => {
    const { id } = await verified({}, "en");
    await claimCase(id, alice.actor);
    const now = new Date();
    await decide(
      id,
      { decision: "selected", reason: "priority_nationality", bookingDays: 21 },
      alice.actor,
      now,
    );
    const [row] = await db().select({ deadline: eois.bookingDeadline }).from(eois).where(eq(eois.id, id));
    const deadline = row?.deadline as Date;
    const days = (deadline.getTime() - now.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(21);
    expect(days).toBeLessThanOrEqual(22);
    const [message] = await sentTo(id, "status.selected");
    expect(decryptJson<Record<string, string>>(message?.paramsEnc ?? "")).toMatchObject({
      reason: "priority_nationality",
      bookBy: formatDate(deadline, "en"),
    });
    expect(message?.lang).toBe("en");
    // The applicant's timeline: the review, then the invitation with its date to book by.
    const account = await loadAccount(id);
    expect(account?.timeline.map((e) => e.status)).toEqual([
      "draft",
      "submitted",
      "location_verified",
      "under_review",
      "selected",
    ]);
    expect(account?.bookingDeadline).toBe(deadline.toISOString());
    const [decided] = await auditOf(id, "case.decided");
    expect(decided?.details).toMatchObject({ decision: "selected", bookingDays: 21 });
  });

  it("takes 14 days by default and refuses a period outside 7–28", async () => {
    const { id } = await verified();
    await claimCase(id, alice.actor);
    await expect(
      decide(id, { decision: "selected", reason: "grant_rate", bookingDays: 40 }, alice.actor),
    ).rejects.toBeInstanceOf(DecisionNotAllowedError);
    const now = new Date();
    await decide(id, { decision: "selected", reason: "grant_rate" }, alice.actor, now);
    const [row] = await db().select({ deadline: eois.bookingDeadline }).from(eois).where(eq(eois.id, id));
    const days = ((row?.deadline?.getTime() ?? 0) - now.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(14);
    expect(days).toBeLessThanOrEqual(15);
  });

  it("refuses illegal decisions and wrong reasons, writing nothing", async () => {
    const { id } = await submitted();
    await claimCase(id, alice.actor);
    const before = await historyOf(id);
    // Approval before biometrics; selection without presence in France confirmed.
    await expect(
      decide(id, { decision: "approved", reason: "all_checks_passed" }, alice.actor),
    ).rejects.toBeInstanceOf(DecisionNotAllowedError);
    await expect(
      decide(id, { decision: "selected", reason: "grant_rate" }, alice.actor),
    ).rejects.toBeInstanceOf(DecisionNotAllowedError);
    await expect(
      decide(id, { decision: "invalid", reason: "no_capacity" }, alice.actor),
    ).rejects.toBeInstanceOf(DecisionNotAllowedError);
    expect(await historyOf(id)).toEqual(before);
    // A final decision is final.
    await decide(id, { decision: "invalid", reason: "duplicate" }, alice.actor);
    await expect(
      decide(id, { decision: "not_eligible", reason: "french_permission" }, alice.actor),
    ).rejects.toBeInstanceOf(DecisionNotAllowedError);
  });
});

describe("a family is decided together (Part A §5)", () => {
  async function family() {
    const main = await verified({ familyRole: "main", givenNames: "Main", familyName: "Family" });
    const [row] = await db().select({ groupId: eois.familyGroupId }).from(eois).where(eq(eois.id, main.id));
    const { familyGroups } = await import("#db/schema");
    const [group] = await db()
      .select({ reference: familyGroups.familyReference })
      .from(familyGroups)
      .where(eq(familyGroups.id, row?.groupId as string));
    const member = (p: Person) =>
      submitted({ familyRole: "member", familyReference: group?.reference ?? "", ...p });
    const partner = await member({ givenNames: "Partner", familyName: "Family" });
    await db().transaction((tx) => changeStatus(tx, partner.id, "location_verified", system));
    const late = await member({ givenNames: "Late", familyName: "Family" });
    const gone = await member({ givenNames: "Gone", familyName: "Family" });
    await db().transaction((tx) => changeStatus(tx, gone.id, "withdrawn", testActor));
    return { main, partner, late, gone };
  }

  it("is blocked while an open member has not confirmed presence, and nobody changes", async () => {
    const { main, partner, late } = await family();
    await claimCase(main.id, alice.actor);
    const view = await loadDecision(main.id, alice.actor);
    expect(
      view.family
        .filter((m) => m.open)
        .map((m) => m.id)
        .sort(),
    ).toEqual([partner.id, late.id].sort());
    expect(view.family.find((m) => m.id === late.id)?.blocks).toEqual(["selected"]);
    const error = await decide(main.id, { decision: "selected", reason: "family_in_uk" }, alice.actor).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FamilyNotReadyError);
    expect((error as FamilyNotReadyError).references).toEqual([late.reference]);
    expect([await statusOf(main.id), await statusOf(partner.id), await statusOf(late.id)]).toEqual([
      "location_verified",
      "location_verified",
      "submitted",
    ]);
  });

  it("selects every open member in one go, leaving decided members alone, and tells each of them", async () => {
    const { main, partner, late, gone } = await family();
    // The member without presence in France is decided on their own first (individual decision).
    await claimCase(late.id, bob.actor);
    await decide(late.id, { decision: "invalid", reason: "not_in_france" }, bob.actor);
    expect(await statusOf(main.id)).toBe("location_verified");
    // A member's case claimed by someone else blocks the family decision.
    await claimCase(partner.id, bob.actor);
    await claimCase(main.id, alice.actor);
    await expect(
      decide(main.id, { decision: "selected", reason: "family_in_uk" }, alice.actor),
    ).rejects.toBeInstanceOf(FamilyMemberClaimedError);
    await releaseCase(partner.id, bob.actor);

    const decided = await decide(main.id, { decision: "selected", reason: "family_in_uk" }, alice.actor);
    expect(decided.sort()).toEqual([main.id, partner.id].sort());
    expect([
      await statusOf(main.id),
      await statusOf(partner.id),
      await statusOf(late.id),
      await statusOf(gone.id),
    ]).toEqual(["selected", "selected", "invalid", "withdrawn"]);
    expect((await historyOf(partner.id)).at(-1)).toEqual({
      to: "selected",
      reason: "family_in_uk",
      by: alice.id,
    });
    const deadlines = await db()
      .select({ deadline: eois.bookingDeadline })
      .from(eois)
      .where(inArray(eois.id, [main.id, partner.id]));
    expect(new Set(deadlines.map((d) => d.deadline?.toISOString())).size).toBe(1);
    expect(await sentTo(partner.id, "status.selected")).toHaveLength(2);
    const [memberAudit] = await auditOf(partner.id, "case.decided");
    expect(memberAudit?.details).toMatchObject({ decision: "selected", decidedWith: main.id });
    const [mainAudit] = await auditOf(main.id, "case.decided");
    expect(mainAudit?.details).toMatchObject({ family: [partner.id] });
  });

  it("keeps individual decisions individual", async () => {
    const { main, partner } = await family();
    await claimCase(main.id, alice.actor);
    expect(
      await decide(main.id, { decision: "not_eligible", reason: "french_permission" }, alice.actor),
    ).toEqual([main.id]);
    expect(await statusOf(partner.id)).toBe("location_verified");
  });
});

describe("the case view", () => {
  it("shows answers, flags with their evidence, history and notes, and audits the view", async () => {
    const person = {
      givenNames: "Yonas",
      familyName: "Tesfaye",
      dateOfBirth: "1988-02-03",
      nationality: "ER",
    };
    const [ret] = await db()
      .insert(returnCases)
      .values({
        personRef: "RET-CASES-1",
        identityEnc: encryptJson({ fullName: "Yonas Tesfaye", dateOfBirth: "1988-02-03", nationality: "ER" }),
        nationality: "ER",
        identityHash: blindIndex("identity", identityKey("Yonas Tesfaye", "1988-02-03", "ER")),
        documentHash: blindIndex("document", documentKey("ER", "RET000")),
        stage: "transferred",
        smallBoatArrivalAt: new Date("2026-01-01"),
        transferredAt: new Date("2026-01-20"),
      })
      .returning();
    const first = await submitted(person);
    const second = await submitted(person);
    await claimCase(second.id, alice.actor);
    await addNote(second.id, "Same person as the earlier application?", alice.actor);

    const view = await loadCase(second.id, alice.actor);
    expect(view).toMatchObject({
      reference: second.reference,
      name: "Yonas Tesfaye",
      status: "submitted",
      presenceConfirmed: false,
      claim: { mine: true, staffName: "Test caseworker" },
      decisions: ["invalid", "not_eligible", "not_selected", "refused"],
    });
    expect(view.answers.pages?.names).toEqual({ givenNames: "Yonas", familyName: "Tesfaye" });
    expect(view.flags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "possible_duplicate",
          match: "identity",
          evidence: expect.objectContaining({
            type: "eoi",
            id: first.id,
            reference: first.reference,
            name: "Yonas Tesfaye",
          }),
        }),
        expect.objectContaining({
          kind: "previously_returned",
          evidence: expect.objectContaining({
            type: "return_case",
            id: ret?.id,
            personRef: "RET-CASES-1",
            stage: "transferred",
          }),
        }),
      ]),
    );
    expect(view.history.map((h) => h.to)).toEqual(["submitted"]);
    expect(view.notes).toEqual([
      expect.objectContaining({ author: "Test caseworker", body: "Same person as the earlier application?" }),
    ]);
    expect(view.family).toBeNull();
    const viewed = await auditOf(second.id, "case.viewed");
    expect(viewed.map((a) => [a.actorId, a.details])).toEqual([[alice.id, { page: "case" }]]);

    // Another caseworker sees who holds it; drafts and unknown ids are not cases.
    expect((await loadCase(second.id, bob.actor)).claim).toMatchObject({ mine: false });
    await expect(loadCase(await completeDraft(), alice.actor)).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(loadCase("nope", alice.actor)).rejects.toBeInstanceOf(CaseNotFoundError);
  });
});

describe("routes", () => {
  const caseRoute = () => import("~/routes/staff/cases/case");
  const decideRoute = () => import("~/routes/staff/cases/decide");
  const fileRoute = () => import("~/routes/staff/cases/file");
  const args = (request: Request, params: Record<string, string>) => ({ request, params, context });
  const thrown = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (e: unknown) => e as Response,
    );

  it("guard the case: only caseworkers see it; others get 403, strangers the sign-in page", async () => {
    const { loader } = await caseRoute();
    const { id } = await submitted();
    for (const role of ["auditor", "admin", "centre_officer", "matching_officer"] as const) {
      const staff = await signedInStaff(role);
      const response = await thrown(loader(args(staffRequest(staff, `/staff/cases/${id}`), { id })));
      expect(response?.status, role).toBe(403);
    }
    const stranger = await thrown(loader(args(staffRequest(null, `/staff/cases/${id}`), { id })));
    expect(stranger?.status).toBe(302);
    expect(stranger?.headers.get("Location")).toMatch(/^\/staff\/sign-in/);
    const notFound = await thrown(loader(args(staffRequest(alice, "/staff/cases/x"), { id: "x" })));
    expect(notFound?.status).toBe(404);
    const view = await loader(args(staffRequest(alice, `/staff/cases/${id}?done=claimed`), { id }));
    expect(view).toMatchObject({ id, done: "claimed" });
    const decideLoader = (await decideRoute()).loader;
    const auditor = await signedInStaff("auditor");
    expect(
      (await thrown(decideLoader(args(staffRequest(auditor, `/staff/cases/${id}/decide`), { id }))))?.status,
    ).toBe(403);
  });

  it("claim, note and decide through the forms, each answered with a 303 back to the case", async () => {
    const { action } = await caseRoute();
    const decideAction = (await decideRoute()).action;
    const { id } = await verified();
    const post = (staff: TestStaff, path: string, form: Record<string, string>) =>
      args(staffRequest(staff, path, form), { id });

    // Deciding before claiming: the form comes back with the error on the decision.
    const early = (await decideAction(
      post(alice, `/staff/cases/${id}/decide`, {
        decision: "selected",
        selectedReason: "priority_nationality",
        bookingDays: "14",
        confirmDecision: "yes",
      }),
    )) as unknown as { data: { errors: Record<string, string> }; init: { status: number } };
    expect(early.init.status).toBe(422);
    expect(early.data.errors).toEqual({ decision: "case:fields.decision.errors.claimRequired" });

    const claimed = (await action(post(alice, `/staff/cases/${id}`, { intent: "claim" }))) as Response;
    expect([claimed.status, claimed.headers.get("Location")]).toEqual([
      303,
      `/staff/cases/${id}?done=claimed`,
    ]);
    const refused = (await action(post(bob, `/staff/cases/${id}`, { intent: "claim" }))) as unknown as {
      data: { heldBy: string };
      init: { status: number };
    };
    expect([refused.init.status, refused.data.heldBy]).toEqual([409, "Test caseworker"]);

    const empty = (await action(
      post(alice, `/staff/cases/${id}`, { intent: "note", note: " " }),
    )) as unknown as {
      data: { errors: Record<string, string> };
    };
    expect(empty.data.errors).toEqual({ note: "case:fields.note.errors.required" });
    const noted = (await action(
      post(alice, `/staff/cases/${id}`, { intent: "note", note: "Documents match." }),
    )) as Response;
    expect(noted.status).toBe(303);

    const invalidForm = (await decideAction(
      post(alice, `/staff/cases/${id}/decide`, { decision: "selected", bookingDays: "3" }),
    )) as unknown as { data: { errors: Record<string, string> } };
    expect(invalidForm.data.errors).toEqual({
      selectedReason: "case:fields.selectedReason.errors.required",
      bookingDays: "case:fields.bookingDays.errors.invalid",
      confirmDecision: "case:fields.confirmDecision.errors.required",
    });
    const done = (await decideAction(
      post(alice, `/staff/cases/${id}/decide`, {
        decision: "selected",
        selectedReason: "priority_nationality",
        bookingDays: "14",
        confirmDecision: "yes",
      }),
    )) as Response;
    expect([done.status, done.headers.get("Location")]).toEqual([303, `/staff/cases/${id}?done=decided`]);
    expect(await statusOf(id)).toBe("selected");
    // Now nothing but a refusal is possible, and the form says so if the page was stale.
    const again = (await decideAction(
      post(alice, `/staff/cases/${id}/decide`, {
        decision: "not_selected",
        notSelectedReason: "no_capacity",
        confirmDecision: "yes",
      }),
    )) as unknown as { data: { errors: Record<string, string> } };
    expect(again.data.errors).toEqual({ decision: "case:fields.decision.errors.notAllowed" });

    // Every step is in the audit log with the case as subject, for an auditor to find.
    const actions = (await auditOf(id)).filter((a) => a.actorId === alice.id).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "case.claimed",
        "case.note_added",
        "status.under_review",
        "status.selected",
        "case.decided",
      ]),
    );
  });

  it("serve a case's document to caseworkers only, audited, and nothing of another case", async () => {
    const { loader } = await fileRoute();
    const draft = await completeDraft();
    const saved = await saveUpload(
      draft,
      "photo",
      { bytes: new Uint8Array(png(600, 750)), type: "image/png" },
      testActor,
    );
    if (!saved.ok) throw new Error(saved.reason);
    const result = await submitEoi(draft, testActor);
    expect(result.ok).toBe(true);
    const other = await submitted();
    const path = (id: string, uploadId: string) => `/staff/cases/${id}/files/${uploadId}`;

    const response = (await loader(
      args(staffRequest(alice, path(draft, saved.id)), { id: draft, uploadId: saved.id }),
    )) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("image/png");
    expect(response.headers.get("Content-Disposition")).toBe("inline");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    const viewed = await auditOf(draft, "upload.viewed");
    expect(viewed.map((a) => [a.actorId, a.details])).toEqual([[alice.id, { uploadId: saved.id }]]);

    const elsewhere = await thrown(
      loader(args(staffRequest(alice, path(other.id, saved.id)), { id: other.id, uploadId: saved.id })),
    );
    expect(elsewhere?.status).toBe(404);
    const garbage = await thrown(
      loader(args(staffRequest(alice, path(draft, "x")), { id: draft, uploadId: "x" })),
    );
    expect(garbage?.status).toBe(404);
    const auditor = await signedInStaff("auditor");
    const forbidden = await thrown(
      loader(args(staffRequest(auditor, path(draft, saved.id)), { id: draft, uploadId: saved.id })),
    );
    expect(forbidden?.status).toBe(403);
    expect(await auditOf(other.id, "upload.viewed")).toHaveLength(0);
    // The upload row is the one the view names.
    expect((await db().select().from(uploads).where(eq(uploads.id, saved.id)))[0]?.eoiId).toBe(draft);
  });
});
