import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, schemeSettings } from "#db/schema";
import { rowsOf } from "~/.server/db.server";
import { matchNext } from "~/domain/matching/matching.service.server";
import * as dashboard from "~/routes/staff/parity/dashboard";
import * as settings from "~/routes/staff/parity/settings";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow } from "../../support/eoi";
import { createTestI18n } from "../../support/i18n";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";
import { approvedEois, resetMatching, setPolicy } from "../matching/support";

const database = setupTestDatabase("parity-settings");

const args = (request: Request) => ({ request, params: {}, context: routeContext });

/** What a handler returned or threw (guards throw Responses). */
async function run<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Refused = {
  init: { status: number };
  data: { errors: Record<string, string>; values: Record<string, string>; params?: Record<string, number> };
};

let admin: TestStaff;

const save = async (form: Record<string, string>) =>
  (await settings.action(args(staffRequest(admin, "/staff/parity/settings", form)))) as unknown as
    | Response
    | Refused;

async function current() {
  const [row] = await database.db.select().from(schemeSettings);
  return { policy: row?.parityPolicy, tolerance: row?.parityTolerance, weeklyCap: row?.weeklyCap };
}

/** The settings changes this test's admin made (the audit log is append-only, so filtered by actor). */
const changes = () =>
  database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "parity.settings_changed"), eq(auditLog.actorId, admin.id)));

/** Three admissions this week with no completed return behind them (tolerance 5 allows it). */
async function threeAhead() {
  await setPolicy(database.db, "tolerance", { tolerance: 5 });
  await approvedEois(database.db, 3, { windowId: await openWindowNow() });
  expect((await matchNext(3, admin.actor)).ahead).toBe(3);
}

beforeEach(async () => {
  // Each test starts with no admissions, under the default strict policy with no weekly cap.
  await resetMatching(database.db);
  admin = await signedInStaff("admin");
});

describe("parity settings", () => {
  it("start from the settings in force", async () => {
    await setPolicy(database.db, "tolerance", { tolerance: 12, weeklyCap: 50 });
    expect(await settings.loader(args(staffRequest(admin, "/staff/parity/settings")))).toEqual({
      values: { parityPolicy: "tolerance", parityTolerance: "12", weeklyCap: "50" },
      ahead: 0,
      admittedThisWeek: 0,
    });
  });

  it("are changed, audited with before and after, and the dashboard says so", async () => {
    const response = (await save({
      parityPolicy: "tolerance",
      parityTolerance: "10",
      weeklyCap: "50",
    })) as Response;
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/parity?done=saved");
    expect(await current()).toEqual({ policy: "tolerance", tolerance: 10, weeklyCap: 50 });
    const [entry] = await changes();
    expect(entry).toMatchObject({
      actorType: "staff",
      actorId: admin.id,
      details: {
        before: { policy: "strict", tolerance: 0, weeklyCap: null },
        after: { policy: "tolerance", tolerance: 10, weeklyCap: 50 },
      },
    });
    const view = await dashboard.loader(args(staffRequest(admin, "/staff/parity?done=saved")));
    expect(view).toMatchObject({ saved: true, policy: "tolerance", tolerance: 10, weeklyCap: 50 });

    // Back to strict with no cap: the tolerance is not kept, an empty cap means none.
    expect(
      ((await save({ parityPolicy: "strict", parityTolerance: "10", weeklyCap: "" })) as Response).status,
    ).toBe(303);
    expect(await current()).toEqual({ policy: "strict", tolerance: 0, weeklyCap: null });
  });

  it("answer 422 with the field's error and what was typed, and change nothing", async () => {
    const refused = (await save({
      parityPolicy: "tolerance",
      parityTolerance: "0",
      weeklyCap: "-3",
    })) as Refused;
    expect(refused.init.status).toBe(422);
    expect(refused.data.errors).toEqual({
      parityTolerance: "parity:fields.parityTolerance.errors.invalid",
      weeklyCap: "parity:fields.weeklyCap.errors.invalid",
    });
    expect(refused.data.values).toEqual({ parityPolicy: "tolerance", parityTolerance: "0", weeklyCap: "-3" });
    expect(((await save({})) as Refused).data.errors).toEqual({
      parityPolicy: "parity:fields.parityPolicy.errors.required",
    });
    expect(await current()).toEqual({ policy: "strict", tolerance: 0, weeklyCap: null });
    expect(await changes()).toEqual([]);
  });

  it("explain, with the numbers, a policy the admissions already made would break", async () => {
    await threeAhead();
    const strict = (await save({ parityPolicy: "strict" })) as Refused;
    expect(strict.init.status).toBe(422);
    expect(strict.data).toMatchObject({
      errors: { parityPolicy: "parity:fields.parityPolicy.errors.aheadOfReturns" },
      params: { ahead: 3 },
      values: { parityPolicy: "strict" },
    });
    const t = createTestI18n("en").getFixedT("en");
    expect(t(strict.data.errors.parityPolicy as string, strict.data.params)).toBe(
      "Admissions are 3 ahead of completed returns, so the strict policy cannot apply yet. Choose a tolerance of at least 3, or reporting only, until more returns are completed",
    );

    const tooSmall = (await save({ parityPolicy: "tolerance", parityTolerance: "2" })) as Refused;
    expect(tooSmall.data).toMatchObject({
      errors: { parityTolerance: "parity:fields.parityTolerance.errors.belowAhead" },
      params: { ahead: 3 },
    });
    expect(await current()).toEqual({ policy: "tolerance", tolerance: 5, weeklyCap: null });
    expect(await changes()).toEqual([]);

    // Enough tolerance, or reporting only, is accepted.
    expect(((await save({ parityPolicy: "tolerance", parityTolerance: "3" })) as Response).status).toBe(303);
    expect(((await save({ parityPolicy: "reporting-only" })) as Response).status).toBe(303);
  });

  it("explain, with the numbers, a weekly cap below this week's admissions", async () => {
    await threeAhead();
    const refused = (await save({
      parityPolicy: "tolerance",
      parityTolerance: "5",
      weeklyCap: "2",
    })) as Refused;
    expect(refused.init.status).toBe(422);
    expect(refused.data).toMatchObject({
      errors: { weeklyCap: "parity:fields.weeklyCap.errors.belowAdmitted" },
      params: { admitted: 3 },
    });
    const t = createTestI18n("fr").getFixedT("fr");
    expect(t(refused.data.errors.weeklyCap as string, { admitted: "3" })).toBe(
      "3 personnes ont déjà été appariées cette semaine : le plafond ne peut pas être inférieur à 3",
    );
    expect(await current()).toEqual({ policy: "tolerance", tolerance: 5, weeklyCap: null });

    expect(
      ((await save({ parityPolicy: "tolerance", parityTolerance: "5", weeklyCap: "3" })) as Response).status,
    ).toBe(303);
    expect(await current()).toEqual({ policy: "tolerance", tolerance: 5, weeklyCap: 3 });
    // The database trigger gave this week's counter the new cap.
    expect(await rowsOf(database.db, sql`select admitted, cap from admission_weeks`)).toEqual([
      { admitted: 3, cap: 3 },
    ]);
  });

  it("are for admins only", async () => {
    const before = (
      await database.db.select().from(auditLog).where(eq(auditLog.action, "parity.settings_changed"))
    ).length;
    for (const role of ["matching_officer", "auditor", "caseworker"] as const) {
      const staff = await signedInStaff(role);
      expect(
        await run(() => settings.loader(args(staffRequest(staff, "/staff/parity/settings")))),
        role,
      ).toMatchObject({ status: 403 });
      expect(
        await run(() =>
          settings.action(
            args(staffRequest(staff, "/staff/parity/settings", { parityPolicy: "reporting-only" })),
          ),
        ),
        role,
      ).toMatchObject({ status: 403 });
    }
    expect(await current()).toEqual({ policy: "strict", tolerance: 0, weeklyCap: null });
    expect(
      await database.db.select().from(auditLog).where(eq(auditLog.action, "parity.settings_changed")),
    ).toHaveLength(before);
  });
});
