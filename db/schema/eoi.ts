import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { applicationWindows } from "./windows";

/** Statuses follow domain.md Part B §7.2 (see app/domain/status for the state machine). */
export const eoiStatuses = [
  "draft",
  "submitted",
  "location_verified",
  "location_unverified",
  "under_review",
  "invalid",
  "not_eligible",
  "not_selected",
  "selected",
  "appointment_booked",
  "biometrics_enrolled",
  "approved",
  "matched",
  "arrived",
  "refused",
  "withdrawn",
] as const;
export type EoiStatus = (typeof eoiStatuses)[number];

export const familyRoles = ["alone", "main", "member"] as const;

export const familyGroups = pgTable(
  "family_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    familyReference: text("family_reference").notNull().unique("family_groups_family_reference_uniq"),
    windowId: uuid("window_id")
      .notNull()
      .references(() => applicationWindows.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "family_groups_reference_format_check",
      sql`${t.familyReference} ~ '^F-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]$'`,
    ),
  ],
);

/**
 * One row per Expression of Interest, from draft to decision. Answers are one encrypted JSON
 * document; only what the back office filters on is stored in clear (status, window,
 * nationality, family links) plus keyed hashes for duplicate and returns checks.
 */
export const eois = pgTable(
  "eois",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    status: text("status", { enum: eoiStatuses }).notNull().default("draft"),
    lang: text("lang").notNull(),
    answersEnc: text("answers_enc").notNull(),
    /** Keyed hashes of the verified email / mobile, used to resume a draft from any device. */
    emailHash: text("email_hash"),
    mobileHash: text("mobile_hash"),
    contactVerifiedAt: timestamp("contact_verified_at", { withTimezone: true }),
    reference: text("reference").unique("eois_reference_uniq"),
    windowId: uuid("window_id").references(() => applicationWindows.id),
    familyRole: text("family_role", { enum: familyRoles }),
    familyGroupId: uuid("family_group_id").references(() => familyGroups.id),
    nationality: text("nationality"),
    identityHash: text("identity_hash"),
    documentHash: text("document_hash"),
    nameHash: text("name_hash"),
    helperOrganisationId: uuid("helper_organisation_id"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    /** Set when selected for stage two: the end of the period to book biometrics (Part A §8). */
    bookingDeadline: timestamp("booking_deadline", { withTimezone: true }),
    /**
     * Band in the matching queue, set at approval (app/domain/matching/priority.ts): 0 vulnerable,
     * 1 family in the UK, 2 lived in or visited the UK, 3 others; ties by submission time.
     */
    matchPriority: integer("match_priority").notNull().default(3),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("eois_email_hash_idx").on(t.emailHash),
    index("eois_mobile_hash_idx").on(t.mobileHash),
    index("eois_identity_hash_idx").on(t.identityHash),
    index("eois_document_hash_idx").on(t.documentHash),
    index("eois_status_submitted_idx").on(t.status, t.submittedAt, t.id),
    index("eois_family_group_idx").on(t.familyGroupId),
    // The back-office queue pages through submitted EOIs by (submitted_at, id), filtered.
    index("eois_queue_idx").on(t.submittedAt, t.id).where(sql`${t.status} <> 'draft'`),
    index("eois_window_queue_idx").on(t.windowId, t.submittedAt, t.id),
    index("eois_nationality_queue_idx").on(t.nationality, t.submittedAt, t.id),
    index("eois_name_hash_idx").on(t.nameHash),
    // The matching queue: approved applicants in priority order.
    index("eois_matching_queue_idx")
      .on(t.matchPriority, t.submittedAt, t.id)
      .where(sql`${t.status} = 'approved'`),
    // A submitted EOI always has its reference, window and submission time.
    check(
      "eois_submitted_check",
      sql`${t.status} = 'draft' or (${t.reference} is not null and ${t.windowId} is not null and ${t.submittedAt} is not null)`,
    ),
    check(
      "eois_reference_format_check",
      sql`${t.reference} is null or ${t.reference} ~ '^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}$'`,
    ),
  ],
);

/** One row per status change, written only by the domain layer (app/domain/status). */
export const statusHistory = pgTable(
  "status_history",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eoiId: uuid("eoi_id")
      .notNull()
      .references(() => eois.id),
    fromStatus: text("from_status", { enum: eoiStatuses }),
    toStatus: text("to_status", { enum: eoiStatuses }).notNull(),
    reasonCode: text("reason_code"),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("status_history_eoi_idx").on(t.eoiId, t.at)],
);

export const otpPurposes = ["verify_contact", "resume", "status_sign_in"] as const;

/** One-time codes: stored hashed, single use, short-lived, with an attempt counter. */
export const otpCodes = pgTable(
  "otp_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    purpose: text("purpose", { enum: otpPurposes }).notNull(),
    targetHash: text("target_hash").notNull(),
    codeHash: text("code_hash").notNull(),
    eoiId: uuid("eoi_id").references(() => eois.id),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("otp_codes_target_idx").on(t.purpose, t.targetHash, t.createdAt)],
);

export const uploadKinds = ["identity_document", "photo", "relationship_evidence"] as const;

/** File metadata; the bytes live outside the web root under UPLOAD_DIR, named by id. */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eoiId: uuid("eoi_id")
      .notNull()
      .references(() => eois.id),
    kind: text("kind", { enum: uploadKinds }).notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    width: integer("width"),
    height: integer("height"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    replacedAt: timestamp("replaced_at", { withTimezone: true }),
  },
  (t) => [index("uploads_eoi_idx").on(t.eoiId), check("uploads_size_check", sql`${t.sizeBytes} > 0`)],
);

export const flagKinds = ["possible_duplicate", "previously_returned", "location_unverified"] as const;

/** Flags for caseworkers; they never block anything on their own. */
export const eoiFlags = pgTable(
  "eoi_flags",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eoiId: uuid("eoi_id")
      .notNull()
      .references(() => eois.id),
    kind: text("kind", { enum: flagKinds }).notNull(),
    /** The matching record: another EOI's id or a return case's id. */
    evidenceType: text("evidence_type"),
    evidenceId: uuid("evidence_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    resolved: boolean("resolved").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("eoi_flags_eoi_kind_evidence_uniq")
      .on(t.eoiId, t.kind, t.evidenceId)
      .where(sql`${t.evidenceId} is not null`),
    index("eoi_flags_kind_idx").on(t.kind, t.eoiId),
    // A case's flags (the queue shows them on every row; the case view lists them).
    index("eoi_flags_eoi_idx").on(t.eoiId),
  ],
);

/** Presence in France (domain.md Part A §3): a 24-hour link per adult after submission. */
export const presenceChecks = pgTable(
  "presence_checks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eoiId: uuid("eoi_id")
      .notNull()
      .references(() => eois.id),
    tokenHash: text("token_hash").notNull().unique("presence_checks_token_hash_uniq"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    result: text("result", { enum: ["in_france", "outside_france", "no_location", "expired"] }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("presence_checks_eoi_idx").on(t.eoiId)],
);
