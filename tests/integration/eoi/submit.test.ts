import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  applicationWindows,
  eoiFlags,
  eois,
  familyGroups,
  notifications,
  returnCases,
  statusHistory,
} from "#db/schema";
import { blindIndex, encryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { loadEoi, submitEoi } from "~/domain/eoi/eoi.service.server";
import {
  generateFamilyReference,
  generateReference,
  isValidFamilyReference,
  isValidReference,
} from "~/domain/eoi/reference";
import { documentKey, identityKey } from "~/domain/identity/identity.rules";
import { windowAnswers } from "~/domain/windows/windows.rules";
import { updateWindow } from "~/domain/windows/windows.service.server";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, openWindowNow, testActor } from "../../support/eoi";

setupTestDatabase("eoi_submit");

describe("submitting an expression of interest", () => {
  let windowId: string;
  beforeAll(async () => {
    windowId = await openWindowNow();
  });

  it("creates one EOI with one reference when the same submission arrives many times at once", async () => {
    const id = await completeDraft();
    const results = await Promise.all(Array.from({ length: 12 }, () => submitEoi(id, testActor)));
    const references = new Set(results.map((r) => (r.ok ? r.reference : r.error)));
    expect(references.size).toBe(1);
    const [reference] = references;
    expect(isValidReference(reference as string)).toBe(true);

    const history = await db()
      .select()
      .from(statusHistory)
      .where(and(eq(statusHistory.eoiId, id), eq(statusHistory.toStatus, "submitted")));
    expect(history).toHaveLength(1);
    const sent = await db().select().from(notifications).where(eq(notifications.eoiId, id));
    // One confirmation and one presence link, each by email and by SMS.
    expect(sent.filter((n) => n.template === "submitted")).toHaveLength(2);
    expect(sent.filter((n) => n.template === "presence")).toHaveLength(2);
    const eoi = await loadEoi(id);
    expect(eoi?.status).toBe("submitted");
    expect(eoi?.reference).toBe(reference);
  });

  it("gives every EOI a unique, check-character-valid reference", async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => completeDraft()));
    const results = await Promise.all(ids.map((id) => submitEoi(id, testActor)));
    const references = results.map((r) => (r.ok ? r.reference : ""));
    expect(references.every(isValidReference)).toBe(true);
    expect(new Set(references).size).toBe(references.length);
  });

  it("flags a possible duplicate on both EOIs, with the other as evidence", async () => {
    const person = {
      givenNames: "Yonas",
      familyName: "Tesfaye",
      dateOfBirth: "1988-02-03",
      nationality: "ER",
    };
    const first = await completeDraft(person);
    // Same person, names typed differently: accents, case and order do not matter.
    const second = await completeDraft({ ...person, givenNames: "TESFAYE", familyName: "yónas" });
    await submitEoi(first, testActor);
    await submitEoi(second, testActor);
    const flags = await db().select().from(eoiFlags).where(eq(eoiFlags.kind, "possible_duplicate"));
    expect(flags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eoiId: second, evidenceId: first }),
        expect.objectContaining({ eoiId: first, evidenceId: second }),
      ]),
    );
  });

  it("flags a duplicate document number even under another name", async () => {
    const a = await completeDraft({ documentNumber: "ER123456", nationality: "ER" });
    const b = await completeDraft({
      documentNumber: "er 123 456",
      nationality: "ER",
      givenNames: "Other",
      familyName: "Name",
    });
    await submitEoi(a, testActor);
    await submitEoi(b, testActor);
    const [flag] = await db()
      .select()
      .from(eoiFlags)
      .where(and(eq(eoiFlags.eoiId, b), eq(eoiFlags.kind, "possible_duplicate")));
    expect(flag).toMatchObject({ evidenceId: a, details: { match: "document" } });
  });

  it("flags someone found in the returns register", async () => {
    const person = { givenNames: "Karim", familyName: "Nouri", dateOfBirth: "1995-07-07", nationality: "AF" };
    const [ret] = await db()
      .insert(returnCases)
      .values({
        personRef: "RET-TEST-1",
        identityEnc: encryptJson(person),
        nationality: "AF",
        identityHash: blindIndex("identity", identityKey("Karim Nouri", "1995-07-07", "AF")),
        documentHash: blindIndex("document", documentKey("AF", "ZZ999")),
        stage: "transferred",
        smallBoatArrivalAt: new Date("2026-01-01"),
        transferredAt: new Date("2026-01-20"),
      })
      .returning();
    const id = await completeDraft(person);
    const result = await submitEoi(id, testActor);
    // A flag never blocks the submission.
    expect(result.ok).toBe(true);
    const [flag] = await db()
      .select()
      .from(eoiFlags)
      .where(and(eq(eoiFlags.eoiId, id), eq(eoiFlags.kind, "previously_returned")));
    expect(flag?.evidenceId).toBe(ret?.id);
  });

  it("links a family: the main applicant gets a family reference and a member joins with it", async () => {
    const main = await completeDraft({ familyRole: "main" });
    const mainResult = await submitEoi(main, testActor);
    expect(mainResult.ok && isValidFamilyReference(mainResult.familyReference ?? "")).toBe(true);
    const familyReference = mainResult.ok ? (mainResult.familyReference as string) : "";
    const member = await completeDraft({ familyRole: "member", familyReference });
    expect(await submitEoi(member, testActor)).toMatchObject({ ok: true, familyReference });
    const [group] = await db()
      .select()
      .from(familyGroups)
      .where(eq(familyGroups.familyReference, familyReference));
    const members = await db()
      .select({ id: eois.id, role: eois.familyRole })
      .from(eois)
      .where(eq(eois.familyGroupId, group?.id as string));
    expect(members).toHaveLength(2);
    expect(group?.windowId).toBe(windowId);
  });

  it("refuses an unknown family reference and keeps the draft", async () => {
    // Well formed (its check character is right) but issued to nobody.
    const member = await completeDraft({ familyRole: "member", familyReference: generateFamilyReference() });
    expect(await submitEoi(member, testActor)).toEqual({ ok: false, error: "family-not-found" });
    expect((await loadEoi(member))?.status).toBe("draft");
  });

  it("refuses a family reference from another window", async () => {
    const main = await completeDraft({ familyRole: "main" });
    const result = await submitEoi(main, testActor);
    const familyReference = result.ok ? (result.familyReference as string) : "";
    // The family's window closes; a new one opens; the member applies in the new one.
    await db()
      .update(applicationWindows)
      .set({ closesAt: new Date(Date.now() - 1000) })
      .where(eq(applicationWindows.id, windowId));
    const laterWindow = await openWindowNow(0, "Later window");
    const member = await completeDraft({ familyRole: "member", familyReference });
    expect(await submitEoi(member, testActor)).toEqual({ ok: false, error: "family-window-mismatch" });
    windowId = laterWindow;
  });
});

describe("a window with a cap", () => {
  it("stops at the cap, even with submissions racing, keeps the drafts, and still lets family members in", async () => {
    await db()
      .update(applicationWindows)
      .set({ closesAt: new Date(Date.now() - 1000) });
    const capped = await openWindowNow(0, "Capped window");
    const [{ n: before } = { n: 0 }] = await db()
      .select({ n: count() })
      .from(eois)
      .where(eq(eois.windowId, capped));
    await db()
      .update(applicationWindows)
      .set({ cap: before + 2 })
      .where(eq(applicationWindows.id, capped));
    const main = await completeDraft({ familyRole: "main" });
    const mainResult = await submitEoi(main, testActor);
    expect(mainResult.ok).toBe(true);
    const racing = await Promise.all([completeDraft(), completeDraft(), completeDraft()]);
    const results = await Promise.all(racing.map((id) => submitEoi(id, testActor)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, error: "window-full", opensAt: undefined },
      { ok: false, error: "window-full", opensAt: undefined },
    ]);
    const refused = racing.filter((_, i) => !results[i]?.ok);
    for (const id of refused) expect((await loadEoi(id))?.status).toBe("draft");
    // The main applicant's partner joins the family's place in the window.
    const familyReference = mainResult.ok ? (mainResult.familyReference as string) : "";
    const member = await completeDraft({ familyRole: "member", familyReference });
    expect(await submitEoi(member, testActor)).toMatchObject({ ok: true });
    // The window's counter holds every submission and nothing of the refused ones.
    const [window] = await db()
      .select({ submittedCount: applicationWindows.submittedCount })
      .from(applicationWindows)
      .where(eq(applicationWindows.id, capped));
    expect(window?.submittedCount).toBe(before + 3);
  });
});

describe("a cap set on an open window", () => {
  it("starts from the true count, a submission in flight included, and then holds", async () => {
    await db()
      .update(applicationWindows)
      .set({ closesAt: new Date(Date.now() - 120_000) });
    // Opened after the others closed: windows may not overlap.
    const [opened] = await db()
      .insert(applicationWindows)
      .values({
        name: "Uncapped window",
        opensAt: new Date(Date.now() - 60_000),
        closesAt: new Date(Date.now() + 86_400_000),
      })
      .returning({ id: applicationWindows.id });
    const id = opened?.id as string;
    for (let i = 0; i < 2; i++) expect((await submitEoi(await completeDraft(), testActor)).ok).toBe(true);
    const [window] = await db().select().from(applicationWindows).where(eq(applicationWindows.id, id));
    // A submission in flight: its EOI written and its share of the window held, not yet committed.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = () => {};
    const isHolding = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const inFlight = db().transaction(async (tx) => {
      await tx.insert(eois).values({
        status: "submitted",
        lang: "fr",
        answersEnc: "not read here",
        reference: generateReference(),
        windowId: id,
        submittedAt: new Date(),
      });
      await tx.select().from(applicationWindows).where(eq(applicationWindows.id, id)).for("share");
      holding();
      await held;
    });
    await isHolding;
    const admin = { type: "staff" as const, id: "window-admin" };
    const capped = updateWindow(
      id,
      windowAnswers({ ...(window as typeof applicationWindows.$inferSelect), cap: 4 }),
      admin,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await inFlight;
    expect(await capped).toEqual({ ok: true, id });
    const counter = async () =>
      (await db().select().from(applicationWindows).where(eq(applicationWindows.id, id)))[0]?.submittedCount;
    expect(await counter()).toBe(3);
    // One place left of four.
    const racing = await Promise.all([completeDraft(), completeDraft(), completeDraft()]);
    const results = await Promise.all(racing.map((draft) => submitEoi(draft, testActor)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await counter()).toBe(4);
  });
});

describe("outside an application window", () => {
  it("refuses to submit, says when the next window opens, and keeps the draft", async () => {
    await db()
      .update(applicationWindows)
      .set({ closesAt: new Date(Date.now() - 1000) });
    const opens = new Date(Date.now() + 5 * 86_400_000);
    await db()
      .insert(applicationWindows)
      .values({ name: "Next", opensAt: opens, closesAt: new Date(opens.getTime() + 86_400_000) });
    const id = await completeDraft();
    expect(await submitEoi(id, testActor)).toEqual({ ok: false, error: "window-closed", opensAt: opens });
    const draft = await loadEoi(id);
    expect(draft?.status).toBe("draft");
    expect(draft?.answers.pages?.names?.givenNames).toBe("Amina");
  });
});
