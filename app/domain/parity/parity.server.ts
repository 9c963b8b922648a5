import { eq, sql } from "drizzle-orm";
import {
  admissionWeeks,
  eois,
  matches,
  returnCases,
  schemeSettings,
  statusHistory,
} from "../../../db/schema";
import { db, type Executor, rowsOf } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import type { ParityPolicy } from "../matching/matching.rules";
import { matchingCapacity } from "../matching/matching.service.server";
import { parisWeekStart, type WeekRow, withRunningBalance } from "./parity.rules";
import type { ParitySettings } from "./parity.schema";

/**
 * Every Paris week from the first completed return or admission up to the week of `now`, most
 * recent last, weeks without events included (generate_series). One statement, whatever the
 * number of weeks: events grouped by week, and the approvals' ins and outs grouped by week,
 * summed up to each week's end for the backlog.
 */
export async function weeklyReport(executor: Executor, now = new Date()): Promise<WeekRow[]> {
  const thisWeek = parisWeekStart(now);
  const rows = await rowsOf<{
    week_start: string;
    returns: number;
    admissions: number;
    arrivals: number;
    backlog: number;
    cap: number | null;
  }>(
    executor,
    sql`with events as (
        select admission_week(transferred_at) as week, 1 as returns, 0 as admissions, 0 as arrivals
        from ${returnCases} where stage = 'transferred'
        union all
        -- An unmatched match no longer counts as an admission.
        select admission_week(matched_at), 0, 1, 0 from ${matches} where unmatched_at is null
        union all
        select admission_week(arrived_at), 0, 0, 1 from ${matches} where arrived_at is not null
      ), per_week as (
        select week, sum(returns)::int as returns, sum(admissions)::int as admissions,
               sum(arrivals)::int as arrivals
        from events group by week
      ), approvals as (
        select admission_week(at) as week, case when to_status = 'approved' then 1 else -1 end as delta
        from ${statusHistory} where to_status = 'approved' or from_status = 'approved'
        union all
        -- A match reaches the applicant's status history when it is announced (announce.server.ts,
        -- dated at the match); until then the applicant is matched but still "approved" there.
        select admission_week(matched_at), -1 from ${matches}
        where announced_at is null and unmatched_at is null
      ), approval_weeks as (
        select week, sum(delta)::int as delta from approvals group by week
      ), weeks as (
        select generate_series(
          least(coalesce((select min(week) from per_week), ${thisWeek}::date), ${thisWeek}::date)::timestamp,
          ${thisWeek}::date::timestamp,
          interval '7 days')::date as week
      )
      select to_char(w.week, 'YYYY-MM-DD') as week_start,
             coalesce(p.returns, 0) as returns,
             coalesce(p.admissions, 0) as admissions,
             coalesce(p.arrivals, 0) as arrivals,
             (select coalesce(sum(a.delta), 0)::int from approval_weeks a where a.week <= w.week) as backlog,
             -- The current week has no row until its first admission; its cap is the setting's.
             case when w.week = ${thisWeek}::date then coalesce(aw.cap, s.weekly_cap) else aw.cap end as cap
      from weeks w
      left join per_week p on p.week = w.week
      left join ${admissionWeeks} aw on aw.week_start = w.week
      join ${schemeSettings} s on s.id = 1
      order by w.week`,
  );
  return withRunningBalance(
    rows.map((r) => ({
      weekStart: r.week_start,
      returns: r.returns,
      admissions: r.admissions,
      arrivals: r.arrivals,
      backlog: r.backlog,
      cap: r.cap,
    })),
  );
}

/** The dashboard: the policy in force, today's figures and the weekly report. */
export async function parityDashboard(now = new Date()) {
  const capacity = await matchingCapacity(now);
  const executor = db();
  const weeks = await weeklyReport(executor, now);
  // Approved and not matched yet, as the matching queue counts them.
  const [waiting] = await rowsOf<{ count: number }>(
    executor,
    sql`select count(*)::int as count from ${eois} e where e.status = 'approved'
        and not exists (select 1 from ${matches} m where m.eoi_id = e.id and m.unmatched_at is null)`,
  );
  const latest = weeks.at(-1);
  return {
    policy: capacity.policy,
    tolerance: capacity.tolerance,
    weeklyCap: capacity.weeklyCap,
    admittedThisWeek: capacity.admittedThisWeek,
    freeReturns: capacity.freeReturns,
    ahead: capacity.ahead,
    waiting: waiting?.count ?? 0,
    totalReturns: latest?.totalReturns ?? 0,
    totalAdmissions: latest?.totalAdmissions ?? 0,
    balance: latest?.balance ?? 0,
    weeks,
  };
}

/** The weekly report for a CSV download, recorded in the audit log. */
export async function exportParity(actor: Actor, now = new Date()): Promise<WeekRow[]> {
  return db().transaction(async (tx) => {
    const weeks = await weeklyReport(tx, now);
    await audit(tx, actor, "parity.exported", undefined, {
      weeks: weeks.length,
      from: weeks[0]?.weekStart,
      to: weeks.at(-1)?.weekStart,
    });
    return weeks;
  });
}

/**
 * The most admitted in this week or a later one: a new cap applies from this week on, so it may
 * not go below that (the database trigger and admission_weeks_cap_check use the same weeks).
 */
const admittedFromThisWeek = sql`(select coalesce(max(admitted), 0)::int from ${admissionWeeks}
  where week_start >= admission_week(now()))`;

/** What the settings form starts from, and the counts a change must respect. */
export async function paritySettings() {
  const [row] = await rowsOf<{
    policy: ParityPolicy;
    tolerance: number;
    weekly_cap: number | null;
    ahead: number;
    admitted: number;
  }>(
    db(),
    sql`select parity_policy as policy, parity_tolerance as tolerance, weekly_cap, admissions_ahead as ahead,
        ${admittedFromThisWeek} as admitted
        from ${schemeSettings} where id = 1`,
  );
  if (!row) throw new Error("scheme_settings row missing");
  return {
    settings: { policy: row.policy, tolerance: row.tolerance, weeklyCap: row.weekly_cap } as ParitySettings,
    ahead: row.ahead,
    admittedThisWeek: row.admitted,
  };
}

export type SettingsResult =
  | { ok: true }
  /** Admissions are already further ahead of completed returns than the policy allows. */
  | { ok: false; refused: "policy"; ahead: number; allowed: number }
  /** This week has already admitted more than the cap. */
  | { ok: false; refused: "cap"; admitted: number };

/** postgres.js names the violated constraint `constraint_name`, PGlite `constraint`; drizzle wraps both. */
function violatedCheck(error: unknown): string | undefined {
  type DbError = { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  for (let e = error as DbError | undefined; e; e = e.cause as DbError | undefined) {
    if (e.code === "23514") return e.constraint_name ?? e.constraint;
  }
  return undefined;
}

/**
 * Changes the policy and the weekly cap, audited with before and after. The database decides
 * (scheme_settings_parity_check, admission_weeks_cap_check, both kept true by triggers on
 * matches): a refusal comes back with the counts that caused it, read after the rollback.
 */
export async function updateParitySettings(next: ParitySettings, actor: Actor): Promise<SettingsResult> {
  try {
    await db().transaction(async (tx) => {
      const [before] = await tx
        .select({
          policy: schemeSettings.parityPolicy,
          tolerance: schemeSettings.parityTolerance,
          weeklyCap: schemeSettings.weeklyCap,
        })
        .from(schemeSettings)
        .where(eq(schemeSettings.id, 1))
        .for("update");
      await tx
        .update(schemeSettings)
        .set({
          parityPolicy: next.policy,
          parityTolerance: next.tolerance,
          weeklyCap: next.weeklyCap,
          updatedAt: new Date(),
        })
        .where(eq(schemeSettings.id, 1));
      await audit(tx, actor, "parity.settings_changed", undefined, { before, after: next });
    });
    return { ok: true };
  } catch (error) {
    const check = violatedCheck(error);
    if (check !== "scheme_settings_parity_check" && check !== "admission_weeks_cap_check") throw error;
    const current = await paritySettings();
    return check === "scheme_settings_parity_check"
      ? { ok: false, refused: "policy", ahead: current.ahead, allowed: next.tolerance }
      : { ok: false, refused: "cap", admitted: current.admittedThisWeek };
  }
}
