import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { staffUsers } from "./people";

/**
 * One admission matched to one completed return (domain.md Part A §1). A match is never deleted:
 * unmatching stamps it, so the register keeps who was matched to whom and why it was undone.
 *
 * The database holds the invariants whatever writes to it (migration 0006):
 * - a return and an applicant are each in at most one active match (partial unique indexes);
 * - only a transferred return can be matched, and a matched return cannot leave that stage;
 * - admissions with no return yet (`return_case_id` null) are counted into
 *   `scheme_settings.admissions_ahead` by triggers, where a check bounds them by the policy;
 * - admissions per week are counted into `admission_weeks`, where a check bounds them by the cap.
 * The references to eois, return_cases and staff_users are checked by statement-level triggers,
 * set-based, rather than foreign keys: a foreign key checks and locks each referenced row one by
 * one, which made matching 100,000 people three times slower (decision 015).
 */
export const matches = pgTable(
  "matches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eoiId: uuid("eoi_id").notNull(),
    returnCaseId: uuid("return_case_id"),
    /** The "match" action that made it (every run is audited with this id). */
    runId: uuid("run_id").notNull(),
    matchedAt: timestamp("matched_at", { withTimezone: true }).notNull().defaultNow(),
    matchedBy: uuid("matched_by"),
    /** When the return was attached, if the admission ran ahead of returns. */
    backedAt: timestamp("backed_at", { withTimezone: true }),
    /**
     * When the match reached the applicant's record: status "matched", its history and audit rows
     * and the notification (app/domain/matching/announce.server.ts).
     */
    announcedAt: timestamp("announced_at", { withTimezone: true }),
    travelDate: date("travel_date"),
    arrivedAt: timestamp("arrived_at", { withTimezone: true }),
    unmatchedAt: timestamp("unmatched_at", { withTimezone: true }),
    unmatchedBy: uuid("unmatched_by").references(() => staffUsers.id),
    unmatchReason: text("unmatch_reason"),
  },
  (t) => [
    check("matches_unmatch_check", sql`(${t.unmatchedAt} is null) = (${t.unmatchReason} is null)`),
    check("matches_arrival_check", sql`${t.arrivedAt} is null or ${t.unmatchedAt} is null`),
    uniqueIndex("matches_eoi_active_uniq").on(t.eoiId).where(sql`${t.unmatchedAt} is null`),
    uniqueIndex("matches_return_active_uniq").on(t.returnCaseId).where(sql`${t.unmatchedAt} is null`),
    index("matches_ahead_idx")
      .on(t.matchedAt, t.id)
      .where(sql`${t.unmatchedAt} is null and ${t.returnCaseId} is null`),
    index("matches_unannounced_idx").on(t.matchedAt).where(sql`${t.announcedAt} is null`),
  ],
);

/** Admissions per week (Monday, Paris), kept by triggers on `matches`; the cap is copied in. */
export const admissionWeeks = pgTable(
  "admission_weeks",
  {
    weekStart: date("week_start").primaryKey(),
    admitted: integer("admitted").notNull().default(0),
    cap: integer("cap"),
  },
  (t) => [
    check(
      "admission_weeks_cap_check",
      sql`${t.admitted} >= 0 and (${t.cap} is null or ${t.admitted} <= ${t.cap})`,
    ),
  ],
);
