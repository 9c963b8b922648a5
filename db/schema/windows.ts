import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Application windows (domain.md Part A §4): EOIs count only when submitted inside an open one. */
export const applicationWindows = pgTable(
  "application_windows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    opensAt: timestamp("opens_at", { withTimezone: true }).notNull(),
    closesAt: timestamp("closes_at", { withTimezone: true }).notNull(),
    /** Cap on EOIs considered in this window; null means no cap. */
    cap: integer("cap"),
    /**
     * EOIs submitted in this window, counted as they are submitted: the cap is checked against
     * this counter, updated last in each submission, so the row is locked only until its commit.
     */
    submittedCount: integer("submitted_count").notNull().default(0),
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    pauseReason: text("pause_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("application_windows_dates_check", sql`${t.closesAt} > ${t.opensAt}`),
    check("application_windows_cap_check", sql`${t.cap} is null or ${t.cap} > 0`),
  ],
);

/** Scheme-wide settings, one row (id = 1). */
export const schemeSettings = pgTable(
  "scheme_settings",
  {
    id: integer("id").primaryKey().default(1),
    suspended: boolean("suspended").notNull().default(false),
    parityPolicy: text("parity_policy", { enum: ["strict", "tolerance", "reporting-only"] })
      .notNull()
      .default("strict"),
    parityTolerance: integer("parity_tolerance").notNull().default(0),
    /**
     * Admissions matched with no completed return behind them yet ("tolerance N" lets admissions
     * run ahead by N). Kept by triggers on `matches` (migration 0006), so the check below holds
     * for every writer, not only this application.
     */
    admissionsAhead: integer("admissions_ahead").notNull().default(0),
    /** Admissions allowed per week (Monday to Sunday, Paris); null means no weekly cap. */
    weeklyCap: integer("weekly_cap"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("scheme_settings_singleton_check", sql`${t.id} = 1`),
    check("scheme_settings_tolerance_check", sql`${t.parityTolerance} >= 0`),
    check("scheme_settings_weekly_cap_check", sql`${t.weeklyCap} is null or ${t.weeklyCap} >= 0`),
    // The parity invariant (domain.md Part A §1): every admission either has its own completed
    // return (unique per return, see `matches`) or is one of at most `tolerance` admissions ahead.
    check(
      "scheme_settings_parity_check",
      sql`${t.admissionsAhead} >= 0 and (${t.parityPolicy} = 'reporting-only' or ${t.admissionsAhead} <= case when ${t.parityPolicy} = 'tolerance' then ${t.parityTolerance} else 0 end)`,
    ),
  ],
);
