import { and, desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, matches, statusHistory } from "#db/schema";
import { rowsOf } from "~/.server/db.server";
import { ParityChart, ParityTable } from "~/components/staff/parity-chart";
import type { Actor } from "~/domain/audit/audit.server";
import { announceMatches } from "~/domain/matching/announce.server";
import { matchNext, recordArrival, unmatch } from "~/domain/matching/matching.service.server";
import { parisWeekStart } from "~/domain/parity/parity.rules";
import { weeklyReport } from "~/domain/parity/parity.server";
import { addDays, parisDay } from "~/domain/windows/windows.rules";
import * as dashboard from "~/routes/staff/parity/dashboard";
import * as parityExport from "~/routes/staff/parity/export";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow } from "../../support/eoi";
import { render } from "../../support/i18n";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";
import { approvedEois, registerReturns, setPolicy } from "../matching/support";

const database = setupTestDatabase("parity-report");

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

/** The text of every cell of the first table, row by row (header row first). */
function tableCells(html: string): string[][] {
  const table = html.slice(html.indexOf("<table"), html.indexOf("</table>"));
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? "").replace(/<[^>]+>/g, ""),
    ),
  );
}

/** Weeks from the week of `from` to the current one, counted with the app's own week rule. */
const weeksSince = (from: string) => {
  let count = 0;
  for (let week = from; week <= parisWeekStart(new Date()); week = addDays(week, 7)) count++;
  return count;
};

let officer: TestStaff;
let actor: Actor;

/*
 * Three weeks around the change to summer time (Sunday 29 March 2026):
 * - six applicants approved on 10 March;
 * - three returns completed on 17 March, one on Sunday 29 March at 23:30 Paris time (21:30 UTC),
 *   one at 00:30 on Monday 30 March (still Sunday in UTC); one return only accepted by France;
 * - two matched on 18 March; three on 25 March, one of whom is then unmatched;
 * - one of the first two arrives on 31 March;
 * - today, one more is matched and not yet announced (still "approved" in the status history).
 */
beforeAll(async () => {
  officer = await signedInStaff("matching_officer");
  actor = officer.actor;
  const windowId = await openWindowNow();
  const people = await approvedEois(database.db, 6, {
    windowId,
    submittedFrom: new Date("2026-03-01T09:00:00Z"),
  });
  await database.db.insert(statusHistory).values(
    people.map((eoiId) => ({
      eoiId,
      fromStatus: "biometrics_enrolled" as const,
      toStatus: "approved" as const,
      actorType: "staff",
      at: new Date("2026-03-10T09:00:00Z"),
    })),
  );
  await registerReturns(database.db, 3, { transferredFrom: new Date("2026-03-17T08:00:00Z") });
  await registerReturns(database.db, 2, { transferredFrom: new Date("2026-03-29T21:30:00Z") });
  await registerReturns(database.db, 1, { stage: "france_accepted" });

  // As the matching page does, each run is announced straight away.
  const first = await matchNext(2, actor, new Date("2026-03-18T10:00:00Z"));
  await announceMatches();
  const second = await matchNext(3, actor, new Date("2026-03-25T10:00:00Z"));
  await announceMatches();
  expect([first.matched, second.matched]).toEqual([2, 3]);
  const [undone] = await database.db.select().from(matches).where(eq(matches.runId, second.runId)).limit(1);
  await unmatch(undone?.id as string, "matched_in_error", actor, { now: new Date("2026-03-26T10:00:00Z") });
  const [arriving] = await database.db.select().from(matches).where(eq(matches.runId, first.runId)).limit(1);
  await recordArrival(arriving?.id as string, actor, new Date("2026-03-31T10:00:00Z"));
  expect((await matchNext(1, actor)).matched).toBe(1);
});

describe("the weekly report", () => {
  it("counts each Paris week's completed returns, admissions still matched, arrivals, totals, balance and backlog", async () => {
    const rows = await weeklyReport(database.db, new Date("2026-04-01T10:00:00Z"));
    expect(rows).toEqual([
      {
        weekStart: "2026-03-16",
        returns: 3,
        admissions: 2,
        arrivals: 0,
        totalReturns: 3,
        totalAdmissions: 2,
        balance: 1,
        backlog: 4,
        cap: null,
      },
      {
        // The unmatched admission no longer counts; the return at 23:30 on Sunday does.
        weekStart: "2026-03-23",
        returns: 1,
        admissions: 2,
        arrivals: 0,
        totalReturns: 4,
        totalAdmissions: 4,
        balance: 0,
        backlog: 1,
        cap: null,
      },
      {
        weekStart: "2026-03-30",
        returns: 1,
        admissions: 0,
        arrivals: 1,
        totalReturns: 5,
        totalAdmissions: 4,
        balance: 1,
        backlog: 1,
        cap: null,
      },
    ]);
  });

  it("lists every week up to the current one, quiet weeks as zeros, with the current week's cap", async () => {
    await setPolicy(database.db, "strict", { weeklyCap: 50 });
    try {
      const rows = await weeklyReport(database.db);
      expect(rows).toHaveLength(weeksSince("2026-03-16"));
      const quiet = rows.slice(3, -1);
      expect(quiet.every((r) => r.returns === 0 && r.admissions === 0 && r.balance === 1)).toBe(true);
      // The unmatched applicant went back to "approved" today (2 waiting), and today's match,
      // not announced yet, took one of them.
      expect(rows.at(-1)).toMatchObject({
        weekStart: parisWeekStart(new Date()),
        admissions: 1,
        balance: 0,
        backlog: 1,
        cap: 50,
      });
      expect(rows.slice(0, -1).every((r) => r.cap === null)).toBe(true);
    } finally {
      await setPolicy(database.db, "strict");
    }
  });

  it("starts the report at the current week when nothing has happened yet", async () => {
    const rows = await weeklyReport(database.db, new Date("2026-03-04T10:00:00Z"));
    expect(rows).toEqual([expect.objectContaining({ weekStart: "2026-03-02", returns: 0, backlog: 0 })]);
  });

  it("uses the same weeks as the database's admission_week(), across both changes of time", async () => {
    const instants = [
      "2026-03-29T21:30:00Z",
      "2026-03-29T22:00:00Z",
      "2026-03-29T22:30:00Z",
      "2026-10-25T22:59:59Z",
      "2026-10-25T23:00:00Z",
      "2026-12-31T23:30:00Z",
    ];
    for (const at of instants) {
      const [row] = await rowsOf<{ week: string }>(
        database.db,
        sql`select to_char(admission_week(${at}::timestamptz), 'YYYY-MM-DD') as week`,
      );
      expect(row?.week, at).toBe(parisWeekStart(new Date(at)));
    }
  });
});

describe("the dashboard", () => {
  it("names the policy and gives today's figures and every week", async () => {
    const view = await dashboard.loader(args(staffRequest(officer, "/staff/parity")));
    expect(view).toMatchObject({
      policy: "strict",
      tolerance: 0,
      weeklyCap: null,
      totalReturns: 5,
      totalAdmissions: 5,
      balance: 0,
      freeReturns: 0,
      ahead: 0,
      admittedThisWeek: 1,
      waiting: 1,
      canManage: false,
      saved: false,
    });
    expect(view.weeks).toHaveLength(weeksSince("2026-03-16"));
    expect(view.weeks[0]).toMatchObject({
      weekStart: "2026-03-16",
      label: "March 16, 2026",
      shortLabel: "Mar 16",
      returns: 3,
      admissions: 2,
    });
  });

  it("draws the chart as an image and gives the same figures in the table", async () => {
    const auditor = await signedInStaff("auditor", "fr");
    const view = await dashboard.loader(args(staffRequest(auditor, "/staff/parity")));
    expect(view.weeks[0]?.label).toBe("16 mars 2026");
    const html = render(
      <>
        <ParityChart weeks={view.weeks} />
        <ParityTable weeks={view.weeks} />
      </>,
      "fr",
    );
    expect(html).toMatch(
      /<svg viewBox="0 0 720 360" width="100%" role="img" aria-labelledby="parity-chart-title parity-chart-desc"/,
    );
    expect(html).toContain("Au total : 5 retours effectués, 5 admissions, un solde de 0.");
    const [head, ...rows] = tableCells(html);
    expect(head?.[0]).toBe("Semaine du");
    expect(rows).toHaveLength(view.weeks.length);
    expect(rows.slice(0, 3)).toEqual([
      ["16 mars 2026", "3", "2", "0", "3", "2", "+1", "4", "Aucun"],
      ["23 mars 2026", "1", "2", "0", "4", "4", "0", "1", "Aucun"],
      ["30 mars 2026", "1", "0", "1", "5", "4", "+1", "1", "Aucun"],
    ]);
  });

  it("offers the settings to admins only, and is refused to caseworkers and to nobody signed in", async () => {
    const admin = await signedInStaff("admin");
    const view = await dashboard.loader(args(staffRequest(admin, "/staff/parity?done=saved")));
    expect(view).toMatchObject({ canManage: true, saved: true });
    const caseworker = await signedInStaff("caseworker");
    expect(await run(() => dashboard.loader(args(staffRequest(caseworker, "/staff/parity"))))).toMatchObject({
      status: 403,
    });
    const anonymous = (await run(() =>
      dashboard.loader(args(staffRequest(null, "/staff/parity"))),
    )) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff%2Fparity");
  });
});

describe("the CSV export", () => {
  it("downloads the table with headings in the staff member's language and records the export", async () => {
    const auditor = await signedInStaff("auditor", "fr");
    const response = (await parityExport.loader(
      args(staffRequest(auditor, "/staff/parity/export")),
    )) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="parity-${parisDay(new Date())}.csv"`,
    );
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    // A byte-order mark first, so spreadsheet programs read UTF-8 (text() drops it, as browsers do).
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n");
    expect(lines[0]).toBe(
      "Semaine du,Retours effectués,Admissions,Arrivées,Retours effectués à ce jour,Admissions à ce jour,Solde,Demandeurs en attente en fin de semaine,Plafond hebdomadaire",
    );
    expect(lines.slice(1, 4)).toEqual([
      "2026-03-16,3,2,0,3,2,1,4,",
      "2026-03-23,1,2,0,4,4,0,1,",
      "2026-03-30,1,0,1,5,4,1,1,",
    ]);
    expect(lines).toHaveLength(weeksSince("2026-03-16") + 2);
    expect(lines.at(-1)).toBe("");

    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "parity.exported"), eq(auditLog.actorId, auditor.id)))
      .orderBy(desc(auditLog.id));
    expect(entry?.details).toMatchObject({ weeks: weeksSince("2026-03-16"), from: "2026-03-16" });
  });

  it("is refused to caseworkers", async () => {
    const caseworker = await signedInStaff("caseworker");
    expect(
      await run(() => parityExport.loader(args(staffRequest(caseworker, "/staff/parity/export")))),
    ).toMatchObject({ status: 403 });
  });
});
