import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, type StaffRole, staffRoles } from "#db/schema";
import { db } from "~/.server/db.server";
import { submitEoi } from "~/domain/eoi/eoi.service.server";
import { can, type Permission } from "~/domain/staff/staff.rules";
import * as accountNew from "~/routes/staff/account-new";
import * as accounts from "~/routes/staff/accounts";
import * as auditExport from "~/routes/staff/audit/export";
import * as auditSearch from "~/routes/staff/audit/search";
import * as caseView from "~/routes/staff/cases/case";
import * as decide from "~/routes/staff/cases/decide";
import * as file from "~/routes/staff/cases/file";
import * as queue from "~/routes/staff/cases/queue";
import * as centrePage from "~/routes/staff/centres/centre";
import * as centreDay from "~/routes/staff/centres/day";
import * as centreList from "~/routes/staff/centres/list";
import * as matchPage from "~/routes/staff/matching/match";
import * as matchingQueue from "~/routes/staff/matching/queue";
import * as organisationsPage from "~/routes/staff/organisations";
import * as parityDashboard from "~/routes/staff/parity/dashboard";
import * as parityExport from "~/routes/staff/parity/export";
import * as paritySettings from "~/routes/staff/parity/settings";
import * as returnsImport from "~/routes/staff/returns/import";
import * as importProgress from "~/routes/staff/returns/import-progress";
import * as returnsRegister from "~/routes/staff/returns/register";
import * as returnPage from "~/routes/staff/returns/return";
import * as windowEdit from "~/routes/staff/windows/edit";
import * as windows from "~/routes/staff/windows/list";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, openWindowNow, testActor } from "../../support/eoi";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";
import { createCentre } from "../appointments/support";

setupTestDatabase("staff-permissions");

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;

/**
 * Every back-office loader and action with the permission it needs. A new route must be added
 * here: the table is what proves that each role is refused what it may not do.
 */
const endpoints: {
  name: string;
  handler: Handler;
  path: (ids: Ids) => string;
  params?: (ids: Ids) => Record<string, string>;
  form?: Record<string, string>;
  permission: Permission;
}[] = [
  {
    name: "list accounts",
    handler: accounts.loader as Handler,
    path: () => "/staff/accounts",
    permission: "staff.manage",
  },
  {
    name: "disable an account",
    handler: accounts.action as Handler,
    path: () => "/staff/accounts",
    form: { disable: "x" },
    permission: "staff.manage",
  },
  {
    name: "new account form",
    handler: accountNew.loader as Handler,
    path: () => "/staff/accounts/new",
    permission: "staff.manage",
  },
  {
    name: "create an account",
    handler: accountNew.action as Handler,
    path: () => "/staff/accounts/new",
    form: {},
    permission: "staff.manage",
  },
  {
    name: "list organisations",
    handler: organisationsPage.loader as Handler,
    path: () => "/staff/organisations",
    permission: "organisations.manage",
  },
  {
    name: "register an organisation",
    handler: organisationsPage.action as Handler,
    path: () => "/staff/organisations",
    form: {},
    permission: "organisations.manage",
  },
  {
    name: "case queue",
    handler: queue.loader as Handler,
    path: () => "/staff/cases",
    permission: "cases.view",
  },
  {
    name: "search the case queue",
    handler: queue.action as Handler,
    path: () => "/staff/cases",
    form: { q: "Amina Haddad" },
    permission: "cases.view",
  },
  {
    name: "view a case",
    handler: caseView.loader as Handler,
    path: (i) => `/staff/cases/${i.eoi}`,
    params: (i) => ({ id: i.eoi }),
    permission: "cases.view",
  },
  {
    name: "claim a case",
    handler: caseView.action as Handler,
    path: (i) => `/staff/cases/${i.eoi}`,
    params: (i) => ({ id: i.eoi }),
    form: { intent: "claim" },
    permission: "cases.claim",
  },
  {
    name: "add a note",
    handler: caseView.action as Handler,
    path: (i) => `/staff/cases/${i.eoi}`,
    params: (i) => ({ id: i.eoi }),
    form: { intent: "note", note: "x" },
    permission: "cases.note",
  },
  {
    name: "decision form",
    handler: decide.loader as Handler,
    path: (i) => `/staff/cases/${i.eoi}/decide`,
    params: (i) => ({ id: i.eoi }),
    permission: "cases.decide",
  },
  {
    name: "record a decision",
    handler: decide.action as Handler,
    path: (i) => `/staff/cases/${i.eoi}/decide`,
    params: (i) => ({ id: i.eoi }),
    form: {},
    permission: "cases.decide",
  },
  {
    name: "view a document",
    handler: file.loader as Handler,
    path: (i) => `/staff/cases/${i.eoi}/files/${i.upload}`,
    params: (i) => ({ id: i.eoi, uploadId: i.upload }),
    permission: "documents.view",
  },
  {
    name: "list windows",
    handler: windows.loader as Handler,
    path: () => "/staff/windows",
    permission: "windows.view",
  },
  {
    name: "change a window from the list",
    handler: windows.action as Handler,
    path: () => "/staff/windows",
    form: {},
    permission: "windows.manage",
  },
  {
    name: "window form",
    handler: windowEdit.loader as Handler,
    path: () => "/staff/windows/new",
    permission: "windows.manage",
  },
  {
    name: "save a window",
    handler: windowEdit.action as Handler,
    path: () => "/staff/windows/new",
    form: {},
    permission: "windows.manage",
  },
  {
    name: "the audit log",
    handler: auditSearch.loader as Handler,
    path: () => "/staff/audit",
    permission: "audit.view",
  },
  {
    name: "search the audit log",
    handler: auditSearch.action as Handler,
    path: () => "/staff/audit",
    form: { staffEmail: "someone@staff.test" },
    permission: "audit.view",
  },
  {
    name: "export the audit log",
    handler: auditExport.loader as Handler,
    path: () => "/staff/audit/export",
    permission: "audit.export",
  },
  {
    name: "list centres",
    handler: centreList.loader as Handler,
    path: () => "/staff/centres",
    permission: "centres.view",
  },
  {
    name: "view a centre",
    handler: centrePage.loader as Handler,
    path: (i) => `/staff/centres/${i.centre}`,
    params: (i) => ({ code: i.centre }),
    permission: "centres.view",
  },
  {
    name: "change a centre",
    handler: centrePage.action as Handler,
    path: (i) => `/staff/centres/${i.centre}`,
    params: (i) => ({ code: i.centre }),
    form: {},
    permission: "centres.manage",
  },
  {
    name: "a centre's day of appointments",
    handler: centreDay.loader as Handler,
    path: (i) => `/staff/centres/${i.centre}/day`,
    params: (i) => ({ code: i.centre }),
    permission: "appointments.record",
  },
  {
    name: "record an appointment",
    handler: centreDay.action as Handler,
    path: (i) => `/staff/centres/${i.centre}/day`,
    params: (i) => ({ code: i.centre }),
    form: {},
    permission: "appointments.record",
  },
  {
    name: "the returns register",
    handler: returnsRegister.loader as Handler,
    path: () => "/staff/returns",
    permission: "returns.manage",
  },
  {
    name: "search the returns register",
    handler: returnsRegister.action as Handler,
    path: () => "/staff/returns",
    form: { ref: "R-1" },
    permission: "returns.manage",
  },
  {
    name: "a return",
    handler: returnPage.loader as Handler,
    path: (i) => `/staff/returns/${i.other}`,
    params: (i) => ({ id: i.other }),
    permission: "returns.manage",
  },
  {
    name: "move a return to its next stage",
    handler: returnPage.action as Handler,
    path: (i) => `/staff/returns/${i.other}`,
    params: (i) => ({ id: i.other }),
    form: {},
    permission: "returns.manage",
  },
  {
    name: "the returns import form",
    handler: returnsImport.loader as Handler,
    path: () => "/staff/returns/import",
    permission: "returns.manage",
  },
  {
    name: "upload a returns file",
    handler: returnsImport.action as Handler,
    path: () => "/staff/returns/import",
    form: {},
    permission: "returns.manage",
  },
  {
    name: "a returns import",
    handler: importProgress.loader as Handler,
    path: (i) => `/staff/returns/import/${i.other}`,
    params: (i) => ({ id: i.other }),
    permission: "returns.manage",
  },
  {
    name: "confirm a returns import",
    handler: importProgress.action as Handler,
    path: (i) => `/staff/returns/import/${i.other}`,
    params: (i) => ({ id: i.other }),
    form: { intent: "confirm" },
    permission: "returns.manage",
  },
  {
    name: "the matching queue",
    handler: matchingQueue.loader as Handler,
    path: () => "/staff/matching",
    permission: "matching.view",
  },
  {
    name: "match the next people",
    handler: matchingQueue.action as Handler,
    path: () => "/staff/matching",
    form: { intent: "match-next", count: "1" },
    permission: "matching.run",
  },
  {
    name: "a match",
    handler: matchPage.loader as Handler,
    path: (i) => `/staff/matching/matches/${i.other}`,
    params: (i) => ({ id: i.other }),
    permission: "matching.view",
  },
  {
    name: "undo a match",
    handler: matchPage.action as Handler,
    path: (i) => `/staff/matching/matches/${i.other}`,
    params: (i) => ({ id: i.other }),
    form: { intent: "unmatch", unmatchReason: "other", unmatchNote: "x" },
    permission: "matching.run",
  },
  {
    name: "record travel",
    handler: matchPage.action as Handler,
    path: (i) => `/staff/matching/matches/${i.other}`,
    params: (i) => ({ id: i.other }),
    form: { intent: "arrival" },
    permission: "travel.record",
  },
  {
    name: "the parity dashboard",
    handler: parityDashboard.loader as Handler,
    path: () => "/staff/parity",
    permission: "parity.view",
  },
  {
    name: "export the parity report",
    handler: parityExport.loader as Handler,
    path: () => "/staff/parity/export",
    permission: "parity.view",
  },
  {
    name: "the parity settings",
    handler: paritySettings.loader as Handler,
    path: () => "/staff/parity/settings",
    permission: "parity.manage",
  },
  {
    name: "change the parity settings",
    handler: paritySettings.action as Handler,
    path: () => "/staff/parity/settings",
    form: {},
    permission: "parity.manage",
  },
];

interface Ids {
  eoi: string;
  upload: string;
  centre: string;
  /** An id nothing has: a page of it is "not found" to those allowed, and refused to the others. */
  other: string;
}

const context = routeContext;
const staff = {} as Record<StaffRole, TestStaff>;
let ids: Ids;

/** The access refusals audited for a staff member, oldest first. */
const denials = async (staffId: string) =>
  (
    await db()
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.actorId, staffId), eq(auditLog.action, "staff.access_denied")))
      .orderBy(asc(auditLog.id))
  ).map((row) => row.details);

async function statusOf(call: () => unknown): Promise<number> {
  try {
    const result = (await call()) as { status?: number; init?: { status?: number } } | null;
    return result instanceof Response ? result.status : (result?.init?.status ?? 200);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    // A handler that got past the guard may fail on the deliberately empty form; that is not a refusal.
    return 500;
  }
}

beforeAll(async () => {
  for (const role of staffRoles) staff[role] = await signedInStaff(role);
  await openWindowNow();
  const eoi = await completeDraft();
  await submitEoi(eoi, testActor);
  ids = { eoi, upload: crypto.randomUUID(), centre: "PERM", other: crypto.randomUUID() };
  await createCentre(db(), ids.centre);
});

describe("back-office permissions, route by route", () => {
  const cases = endpoints.flatMap((endpoint) =>
    staffRoles.map((role) => ({ ...endpoint, role, allowed: can(role, endpoint.permission) })),
  );

  it.each(cases)(
    "$name as $role: allowed $allowed",
    async ({ handler, path, params, form, role, allowed }) => {
      const request = staffRequest(staff[role], path(ids), form);
      const before = await denials(staff[role].id);
      const status = await statusOf(() => handler({ request, params: params?.(ids) ?? {}, context }));
      if (allowed) expect(status).not.toBe(403);
      else expect(status).toBe(403);
      // Each refusal is in the audit log: who, the permission refused (the route's first check, which
      // may be a broader one than the action's), where (ASVS 7.2.2).
      const after = await denials(staff[role].id);
      expect(after.slice(before.length)).toEqual(
        allowed
          ? []
          : [
              {
                permission: expect.any(String),
                method: request.method,
                path: expect.stringMatching(/^\/staff/),
              },
            ],
      );
    },
  );

  it("sends anyone not signed in to the sign-in page", async () => {
    for (const { handler, path, params, form } of endpoints) {
      const request = staffRequest(null, path(ids), form);
      expect(await statusOf(() => handler({ request, params: params?.(ids) ?? {}, context }))).toBe(302);
    }
  });
});
