import type { AppLoadContext } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, eois } from "#db/schema";
import { db } from "~/.server/db.server";
import { claimCase, decide } from "~/domain/cases/cases.service.server";
import { createDraft, submitEoi } from "~/domain/eoi/eoi.service.server";
import type { EoiStatus } from "~/domain/status/status.rules";
import { changeStatus } from "~/domain/status/status.service.server";
import * as decidePage from "~/routes/staff/cases/decide";
import { setupTestDatabase } from "../../support/db";
import { completeAnswers, openWindowNow, testActor } from "../../support/eoi";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";

setupTestDatabase("matching-priority");

let caseworker: TestStaff;
let counter = 0;

beforeAll(async () => {
  await openWindowNow();
  caseworker = await signedInStaff("caseworker");
});

/** A case at "biometrics enrolled" (ready for approval), with these answers to the UK questions. */
async function enrolled(uk: { ukFamily?: string; livedInUk?: string; visitedUk?: string } = {}) {
  counter += 1;
  const answers = completeAnswers();
  answers.pages = {
    ...answers.pages,
    "uk-family":
      uk.ukFamily === "yes"
        ? { ukFamily: "yes", ukFamilyDetails: "My brother lives in Leeds" }
        : { ukFamily: "no" },
    "lived-in-uk": { livedInUk: uk.livedInUk ?? "no" },
    "visited-uk": { visitedUk: uk.visitedUk ?? "no" },
  };
  const id = await createDraft({
    lang: "en",
    contact: { email: `priority${counter}@example.org` },
    answers,
    actor: testActor,
  });
  const submitted = await submitEoi(id, testActor);
  if (!submitted.ok) throw new Error(submitted.error);
  await db().transaction((tx) => changeStatus(tx, id, "location_verified", { type: "system" }));
  const steps: EoiStatus[] = ["under_review", "selected", "appointment_booked", "biometrics_enrolled"];
  for (const step of steps)
    await db().transaction((tx) => changeStatus(tx, id, step, { type: "staff", id: "setup" }));
  await claimCase(id, caseworker.actor);
  return id;
}

/** Approves through the decision page, as the caseworker's browser posts it. */
async function approve(id: string, vulnerable: boolean): Promise<Response> {
  const form = {
    decision: "approved",
    approvedReason: "all_checks_passed",
    ...(vulnerable ? { vulnerable: "yes" } : {}),
    confirmDecision: "yes",
  };
  return (await decidePage.action({
    request: staffRequest(caseworker, `/staff/cases/${id}/decide`, form),
    params: { id },
    context: routeContext as AppLoadContext,
  })) as Response;
}

const bandOf = async (id: string) =>
  (await db().select({ band: eois.matchPriority }).from(eois).where(eq(eois.id, id)))[0]?.band;

describe("the matching priority is set at approval (decision 015)", () => {
  it.each([
    ["band 0: vulnerable, whatever the answers", { ukFamily: "yes" }, true, 0],
    ["band 1: family in the UK", { ukFamily: "yes", livedInUk: "yes" }, false, 1],
    ["band 2: lived in the UK", { livedInUk: "yes" }, false, 2],
    ["band 2: visited the UK", { visitedUk: "yes" }, false, 2],
    ["band 3: no tie to the UK", {}, false, 3],
  ] as const)("%s", async (_, uk, vulnerable, band) => {
    const id = await enrolled(uk);
    const response = await approve(id, vulnerable);
    expect(response.status).toBe(303);
    expect(await bandOf(id)).toBe(band);
    const [decided] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "case.decided")));
    expect(decided?.details).toMatchObject({ decision: "approved", matchPriority: band, vulnerable });
  });

  it("takes the vulnerability box only with an approval", async () => {
    const id = await enrolled({ ukFamily: "yes" });
    await decide(id, { decision: "refused", reason: "security_checks", vulnerable: true }, caseworker.actor);
    expect(await bandOf(id)).toBe(3);
    const [decided] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "case.decided")));
    expect(decided?.details).not.toHaveProperty("matchPriority");
  });
});
