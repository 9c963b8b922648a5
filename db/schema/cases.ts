import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { eois } from "./eoi";
import { staffUsers } from "./people";

/**
 * A caseworker's claim on a case, so two people do not work on the same one. One row per case
 * (the primary key), taken over only once it has expired (app/domain/cases).
 */
export const caseClaims = pgTable(
  "case_claims",
  {
    eoiId: uuid("eoi_id")
      .primaryKey()
      .references(() => eois.id),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("case_claims_staff_idx").on(t.staffId)],
);

/** Caseworkers' notes on a case: encrypted, never shown to applicants or helpers. */
export const caseNotes = pgTable(
  "case_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eoiId: uuid("eoi_id")
      .notNull()
      .references(() => eois.id),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    bodyEnc: text("body_enc").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("case_notes_eoi_idx").on(t.eoiId, t.createdAt)],
);
