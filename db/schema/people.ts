import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { eois } from "./eoi";

export const staffRoles = ["caseworker", "centre_officer", "matching_officer", "admin", "auditor"] as const;
export type StaffRole = (typeof staffRoles)[number];

/** Back-office accounts. TOTP is mandatory: it is set up at first sign-in when still null. */
export const staffUsers = pgTable("staff_users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique("staff_users_email_uniq"),
  name: text("name").notNull(),
  role: text("role", { enum: staffRoles }).notNull(),
  lang: text("lang", { enum: ["en", "fr"] })
    .notNull()
    .default("en"),
  passwordHash: text("password_hash").notNull(),
  /** The password was chosen by an admin: its owner must choose their own before anything else. */
  mustChangePassword: boolean("must_change_password").notNull().default(false),
  totpSecretEnc: text("totp_secret_enc"),
  /** The last TOTP time step accepted, so a code cannot be used twice. */
  totpLastStep: integer("totp_last_step"),
  failedAttempts: integer("failed_attempts").notNull().default(0),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  /** Sessions created before this instant are void ("sign out everywhere"). */
  sessionsValidAfter: timestamp("sessions_valid_after", { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** NGOs that assist applicants. */
export const organisations = pgTable("organisations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique("organisations_name_uniq"),
  city: text("city").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const helperRoles = ["helper", "coordinator"] as const;

export const helperUsers = pgTable(
  "helper_users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    email: text("email").notNull().unique("helper_users_email_uniq"),
    name: text("name").notNull(),
    role: text("role", { enum: helperRoles }).notNull().default("helper"),
    lang: text("lang", { enum: ["fr", "en", "ar"] })
      .notNull()
      .default("fr"),
    /** Null until the invitation is accepted. */
    passwordHash: text("password_hash"),
    totpSecretEnc: text("totp_secret_enc"),
    /** The last TOTP time step accepted, so a code cannot be used twice. */
    totpLastStep: integer("totp_last_step"),
    /** The emailed invitation: a hash of its one-time token and when it stops working. */
    inviteTokenHash: text("invite_token_hash").unique("helper_users_invite_token_uniq"),
    inviteExpiresAt: timestamp("invite_expires_at", { withTimezone: true }),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    sessionsValidAfter: timestamp("sessions_valid_after", { withTimezone: true }).notNull().defaultNow(),
    suspendedAt: timestamp("suspended_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("helper_users_email_lower_check", sql`${t.email} = lower(${t.email})`)],
);

export const consentMethods = ["in_person", "phone_interpreter", "written"] as const;

/**
 * An applicant's consent to an organisation's help with one EOI: what they were shown (the text,
 * in their language), who gave it, when and how, and which helper leads the case. At most one
 * consent is in force per EOI; revoking it ends the organisation's access at once.
 */
export const helperConsents = pgTable(
  "helper_consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eoiId: uuid("eoi_id")
      .notNull()
      .references(() => eois.id),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    recordedBy: uuid("recorded_by")
      .notNull()
      .references(() => helperUsers.id),
    assignedHelperId: uuid("assigned_helper_id")
      .notNull()
      .references(() => helperUsers.id),
    /** The name the applicant gave, encrypted like every other piece of identity. */
    applicantNameEnc: text("applicant_name_enc").notNull(),
    method: text("method", { enum: consentMethods }).notNull(),
    lang: text("lang").notNull(),
    textShown: text("text_shown").notNull(),
    givenAt: timestamp("given_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: text("revoked_by", { enum: ["applicant", "helper", "staff"] }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("helper_consents_one_in_force_idx").on(t.eoiId).where(sql`${t.revokedAt} is null`),
    index("helper_consents_caseload_idx")
      .on(t.organisationId, t.createdAt)
      .where(sql`${t.revokedAt} is null`),
  ],
);
