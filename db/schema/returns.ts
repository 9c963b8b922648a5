import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const returnStages = [
  "arrived",
  "readmission_requested",
  "france_accepted",
  "france_refused",
  "removal_directions",
  "transferred",
  "deferred",
  "cancelled",
] as const;

/**
 * Returns register (domain.md Part A §2, Part B §6). Only a transferred return is completed and
 * counts for parity. Identity is kept as keyed hashes (for keeping returned people off the legal
 * route) plus the encrypted details a matching officer needs to read.
 */
export const returnCases = pgTable(
  "return_cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personRef: text("person_ref").notNull().unique("return_cases_person_ref_uniq"),
    identityEnc: text("identity_enc").notNull(),
    nationality: text("nationality").notNull(),
    identityHash: text("identity_hash").notNull(),
    documentHash: text("document_hash"),
    stage: text("stage", { enum: returnStages }).notNull().default("arrived"),
    smallBoatArrivalAt: timestamp("small_boat_arrival_at", { withTimezone: true }).notNull(),
    readmissionRequestedAt: timestamp("readmission_requested_at", { withTimezone: true }),
    franceRespondedAt: timestamp("france_responded_at", { withTimezone: true }),
    removalDirectionsAt: timestamp("removal_directions_at", { withTimezone: true }),
    transferredAt: timestamp("transferred_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("return_cases_identity_hash_idx").on(t.identityHash),
    index("return_cases_document_hash_idx").on(t.documentHash),
    check(
      "return_cases_transferred_check",
      sql`(${t.stage} = 'transferred') = (${t.transferredAt} is not null)`,
    ),
  ],
);
