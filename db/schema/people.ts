import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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
    passwordHash: text("password_hash"),
    totpSecretEnc: text("totp_secret_enc"),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    sessionsValidAfter: timestamp("sessions_valid_after", { withTimezone: true }).notNull().defaultNow(),
    suspendedAt: timestamp("suspended_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("helper_users_email_lower_check", sql`${t.email} = lower(${t.email})`)],
);
