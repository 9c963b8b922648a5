import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { staffUsers } from "./people";

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
export const returnAgeCategories = ["adult", "accompanied_minor"] as const;

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
    ageCategory: text("age_category", { enum: returnAgeCategories }).notNull().default("adult"),
    /** Why a removal was deferred or cancelled, or France refused (free text from the register). */
    stageNote: text("stage_note"),
    /** The import that created the record, if any. */
    importId: uuid("import_id"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Free completed returns are taken oldest transfer first.
    index("return_cases_transferred_idx").on(t.transferredAt, t.id).where(sql`${t.stage} = 'transferred'`),
    index("return_cases_stage_idx").on(t.stage, t.smallBoatArrivalAt),
    index("return_cases_identity_hash_idx").on(t.identityHash),
    index("return_cases_document_hash_idx").on(t.documentHash),
    check(
      "return_cases_transferred_check",
      sql`(${t.stage} = 'transferred') = (${t.transferredAt} is not null)`,
    ),
  ],
);

export const returnImportStatuses = ["preview", "importing", "imported", "discarded"] as const;

/**
 * A returns CSV between upload and import: the file is kept (encrypted) so the preview, the
 * confirmation and a resumed import all read the same bytes; `processed` drives the progress bar.
 */
export const returnImports = pgTable("return_imports", {
  id: uuid("id").primaryKey().defaultRandom(),
  staffId: uuid("staff_id")
    .notNull()
    .references(() => staffUsers.id),
  fileName: text("file_name").notNull(),
  sha256: text("sha256").notNull(),
  contentEnc: text("content_enc").notNull(),
  status: text("status", { enum: returnImportStatuses }).notNull().default("preview"),
  totalLines: integer("total_lines").notNull(),
  processed: integer("processed").notNull().default(0),
  added: integer("added").notNull().default(0),
  updated: integer("updated").notNull().default(0),
  unchanged: integer("unchanged").notNull().default(0),
  /** Line errors found by the preview: [{ line, field, code }]. */
  errors: jsonb("errors").$type<{ line: number; field: string; code: string }[]>().notNull().default([]),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});
