import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, eois, matches, returnCases, schemeSettings } from "#db/schema";
import { db } from "~/.server/db.server";
import { matchNext } from "~/domain/matching/matching.service.server";
import { addDays } from "~/domain/returns/returns.rules";
import { identityHashes, sealIdentity } from "~/domain/returns/returns.service.server";
import { parisDay, parisMidnight } from "~/domain/windows/windows.rules";
import * as registerPage from "~/routes/staff/returns/register";
import * as returnPage from "~/routes/staff/returns/return";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow } from "../../support/eoi";
import { signedInStaff, staffRequest, type TestStaff } from "../../support/staff";
import { approvedEois, setPolicy } from "../matching/support";
import { call, context, daysAgo } from "./support";

setupTestDatabase("returns_register");

let officer: TestStaff;
let admin: TestStaff;
let caseworker: TestStaff;
let windowId: string;

beforeAll(async () => {
  officer = await signedInStaff("matching_officer");
  admin = await signedInStaff("admin", "fr");
  caseworker = await signedInStaff("caseworker");
  windowId = await openWindowNow();
});

beforeEach(async () => {
  await db().execute(sql`alter table matches disable trigger matches_no_delete`);
  await db().execute(sql`delete from matches`);
  await db().execute(sql`alter table matches enable trigger matches_no_delete`);
  await db().execute(sql`delete from return_cases`);
  // Applicants matched by an earlier test would otherwise be waiting again.
  await db().execute(sql`update eois set status = 'withdrawn' where status = 'approved'`);
  await db().execute(
    sql`update scheme_settings set parity_policy = 'strict', parity_tolerance = 0, admissions_ahead = 0`,
  );
});

const person = {
  fullName: "Samir Haddad",
  dateOfBirth: "1988-11-03",
  nationality: "SY",
  documentNumber: "N0123456",
};

/** A return as the register holds it, `arrivedDaysAgo` days after a small-boat arrival. */
async function addReturn(
  stage: (typeof returnCases.$inferInsert)["stage"],
  arrivedDaysAgo: number,
  ref = `R-${randomUUID().slice(0, 8)}`,
): Promise<string> {
  const arrival = daysAgo(arrivedDaysAgo);
  const [row] = await db()
    .insert(returnCases)
    .values({
      personRef: ref,
      identityEnc: sealIdentity(person),
      ...identityHashes(person),
      nationality: person.nationality,
      stage,
      smallBoatArrivalAt: parisMidnight(arrival),
      ...(stage !== "arrived" && { readmissionRequestedAt: parisMidnight(addDays(arrival, 1)) }),
      ...(stage === "transferred" && { transferredAt: parisMidnight(addDays(arrival, 2)) }),
    })
    .returning({ id: returnCases.id });
  return row?.id as string;
}

const register = (query = "", who = officer) =>
  registerPage.loader({ request: staffRequest(who, `/staff/returns${query}`), params: {}, context });
/** The filter form, posted: where it sends the officer (the person reference never in it). */
const filter = async (form: Record<string, string>, who = officer) => {
  const response = (await registerPage.action({
    request: staffRequest(who, "/staff/returns", form),
    params: {},
    context,
  })) as Response;
  expect(response.status).toBe(303);
  return response.headers.get("Location") as string;
};
const view = (id: string, who = officer) =>
  returnPage.loader({ request: staffRequest(who, `/staff/returns/${id}`), params: { id }, context });

const dateInputs = (day: string) => {
  const [year, month, date] = day.split("-") as [string, string, string];
  return {
    "stageDate-day": String(Number(date)),
    "stageDate-month": String(Number(month)),
    "stageDate-year": year,
  };
};
const change = (id: string, form: Record<string, string | undefined>, who = officer) =>
  returnPage.action({
    request: staffRequest(who, `/staff/returns/${id}`, form as Record<string, string>),
    params: { id },
    context,
  });
type Invalid = { init: { status: number }; data: { errors: Record<string, string> } };

describe("the register", () => {
  it("lists returns without names, with counts per stage, the next limit and its warning", async () => {
    const overdue = await addReturn("arrived", 16, "R-OVERDUE");
    await addReturn("arrived", 2, "R-NEW");
    await addReturn("transferred", 40, "R-DONE");
    await addReturn("readmission_requested", 80, "R-LATE");

    const page = await register();
    expect(JSON.stringify(page)).not.toContain("Samir");
    expect(page.perStage.find((s) => s.stage === "arrived")?.count).toBe("2");
    expect(page.perStage.find((s) => s.stage === "transferred")?.count).toBe("1");
    expect(page.attention).toBe("2");
    expect(page.rows.map((r) => r.personRef)).toEqual(["R-NEW", "R-OVERDUE", "R-DONE", "R-LATE"]);
    expect(page.rows.find((r) => r.id === overdue)).toMatchObject({
      nationality: "Syria",
      stage: "arrived",
      limit: { kind: "request", state: "overdue" },
    });
    expect(page.rows.find((r) => r.personRef === "R-NEW")?.limit?.state).toBe("ok");
    expect(page.rows.find((r) => r.personRef === "R-DONE")?.limit).toBeNull();
    expect(page.rows.find((r) => r.personRef === "R-LATE")?.limit).toMatchObject({
      kind: "end",
      state: "due_soon",
    });

    expect((await register("?attention=yes")).rows.map((r) => r.personRef)).toEqual(["R-OVERDUE", "R-LATE"]);
    expect((await register("?stage=transferred")).rows.map((r) => r.personRef)).toEqual(["R-DONE"]);
    const found = await filter({ ref: " R-LATE ", stage: "" });
    expect(found).toMatch(/^\/staff\/returns\?search=[\w-]{20,}$/);
    const searched = await register(found.slice("/staff/returns".length));
    expect(searched.rows.map((r) => r.personRef)).toEqual(["R-LATE"]);
    expect(searched.values.ref).toBe("R-LATE");
  });

  it("keeps the person reference out of every URL, and never reads it from one", async () => {
    for (let i = 0; i < 55; i++) await addReturn("arrived", 1, i === 0 ? "R-SEARCHED" : undefined);
    // An old bookmark with the reference in it: ignored.
    expect((await register("?ref=R-SEARCHED")).rows).toHaveLength(50);
    const location = await filter({ ref: "R-SEARCHED", stage: "arrived", attention: "yes" });
    expect(location).not.toContain("R-SEARCHED");
    expect(location).toMatch(/^\/staff\/returns\?stage=arrived&attention=yes&search=[\w-]{20,}$/);
    // Filters that name nobody are shared as they are.
    expect(await filter({ ref: "", stage: "arrived" })).toBe("/staff/returns?stage=arrived");
    // A colleague given the link is asked to search again, and shown no returns.
    const shared = await register(location.slice("/staff/returns".length), admin);
    expect(shared).toMatchObject({ searchGone: true, rows: [], next: null });
    expect(shared.values.ref).toBe("");
  });

  it("pages through 50 returns at a time", async () => {
    for (let i = 0; i < 55; i++) await addReturn("arrived", 1);
    const first = await register("?stage=arrived");
    expect(first.rows).toHaveLength(50);
    expect(first).toMatchObject({ total: "55", previous: null, next: "/staff/returns?stage=arrived&page=2" });
    const second = await register("?stage=arrived&page=2");
    expect(second.rows).toHaveLength(5);
    expect(second).toMatchObject({ previous: "/staff/returns?stage=arrived", next: null });
  });

  it("is only for those who keep the register", async () => {
    expect(((await call(() => register("", caseworker))) as Response).status).toBe(403);
    const id = await addReturn("arrived", 1);
    expect(((await call(() => view(id, caseworker))) as Response).status).toBe(403);
    const refused = (await call(() => change(id, { stage: "cancelled", note: "x" }, caseworker))) as Response;
    expect(refused.status).toBe(403);
    const anonymous = (await call(() =>
      registerPage.loader({ request: staffRequest(null, "/staff/returns"), params: {}, context }),
    )) as Response;
    expect(anonymous.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff%2Freturns");
  });
});

describe("a return's page", () => {
  it("shows the person's identity, and audits each view", async () => {
    const id = await addReturn("arrived", 12);
    const page = await view(id, admin);
    expect(page).toMatchObject({
      identity: { fullName: "Samir Haddad", nationality: "Syrie", documentNumber: "N0123456" },
      stage: "arrived",
      next: ["readmission_requested", "deferred", "cancelled"],
      matchedTo: null,
      warnings: [{ kind: "request", state: "due_soon" }],
    });
    const audited = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "returns.viewed"), eq(auditLog.subjectId, id)));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorId: admin.id, subjectType: "return_case", details: {} });
  });

  it("is not found for an unknown or malformed id", async () => {
    expect(((await call(() => view(randomUUID()))) as Response).status).toBe(404);
    expect(((await call(() => view("R-1"))) as Response).status).toBe(404);
  });

  it("moves the return to its next stage on the day given, with the note, and audits it", async () => {
    const id = await addReturn("arrived", 5);
    const day = daysAgo(1);
    const response = (await change(id, {
      stage: "readmission_requested",
      ...dateInputs(day),
      note: "",
    })) as Response;
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/staff/returns/${id}?done=stage_changed`);
    const [row] = await db().select().from(returnCases).where(eq(returnCases.id, id));
    expect(row).toMatchObject({
      stage: "readmission_requested",
      readmissionRequestedAt: parisMidnight(day),
      stageNote: null,
    });
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "returns.stage_changed"), eq(auditLog.subjectId, id)));
    expect(audited).toMatchObject({
      actorId: officer.id,
      details: { from: "arrived", to: "readmission_requested", on: day },
    });

    expect(
      (await change(id, { stage: "deferred", ...dateInputs(day), note: "Judicial review" })) as Response,
    ).toMatchObject({ status: 303 });
    const [deferred] = await db().select().from(returnCases).where(eq(returnCases.id, id));
    expect(deferred).toMatchObject({ stage: "deferred", stageNote: "Judicial review" });
  });

  it("answers a form with errors with 422 and a message key per field", async () => {
    const id = await addReturn("readmission_requested", 5);
    const tomorrow = addDays(parisDay(new Date()), 1);
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ ...dateInputs(daysAgo(1)), note: "" }, { stage: "returns:fields.stage.errors.required" }],
      [
        { stage: "france_accepted", ...dateInputs(tomorrow) },
        { stageDate: "returns:fields.stageDate.errors.future" },
      ],
      [
        { stage: "france_accepted", ...dateInputs(daysAgo(9)) },
        { stageDate: "returns:fields.stageDate.errors.beforeArrival" },
      ],
      [
        { stage: "france_refused", ...dateInputs(daysAgo(1)), note: "" },
        { note: "returns:fields.note.errors.required" },
      ],
      [
        { stage: "transferred", ...dateInputs(daysAgo(1)) },
        { stage: "returns:fields.stage.errors.notAllowed" },
      ],
    ];
    for (const [form, errors] of cases) {
      const answer = (await change(id, form)) as Invalid;
      expect(answer.init.status, JSON.stringify(form)).toBe(422);
      expect(answer.data.errors).toEqual(errors);
    }
    const [row] = await db().select().from(returnCases).where(eq(returnCases.id, id));
    expect(row?.stage).toBe("readmission_requested");
    const changed = await db().select().from(auditLog).where(eq(auditLog.action, "returns.stage_changed"));
    expect(changed.filter((a) => a.subjectId === id)).toEqual([]);
  });

  it("shows whom a matched return is matched to, and refuses to change it", async () => {
    const id = await addReturn("transferred", 30);
    const [applicant] = await approvedEois(db(), 1, { windowId });
    await matchNext(1, officer.actor);
    const [reference] = await db()
      .select({ reference: eois.reference })
      .from(eois)
      .where(eq(eois.id, applicant as string));
    const page = await view(id);
    expect(page).toMatchObject({ matchedTo: reference?.reference, next: [] });
    const answer = (await change(id, {
      stage: "cancelled",
      ...dateInputs(daysAgo(1)),
      note: "Error",
    })) as Invalid;
    expect(answer.data.errors).toEqual({ stage: "returns:fields.stage.errors.matched" });
  });

  it("backs an admission that ran ahead of returns when the return is transferred", async () => {
    await setPolicy(db(), "tolerance", { tolerance: 1 });
    const [applicant] = await approvedEois(db(), 1, { windowId });
    await matchNext(1, officer.actor);
    const id = await addReturn("removal_directions", 20);
    expect((await change(id, { stage: "transferred", ...dateInputs(daysAgo(0)) })) as Response).toMatchObject(
      {
        status: 303,
      },
    );
    const [match] = await db()
      .select()
      .from(matches)
      .where(eq(matches.eoiId, applicant as string));
    expect(match?.returnCaseId).toBe(id);
    const [settings] = await db().select().from(schemeSettings);
    expect(settings?.admissionsAhead).toBe(0);
  });
});
