import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** Server-side sessions: the cookie carries only a signed random id, so sign-out is real. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    subject: text("subject"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sessions_subject_idx").on(t.subject), index("sessions_expires_at_idx").on(t.expiresAt)],
);

/** Fixed-window counters shared by every instance (sign-in, code requests, look-ups). */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  windowEndsAt: timestamp("window_ends_at", { withTimezone: true }).notNull(),
});

/** Append-only: a trigger in the migration refuses UPDATE and DELETE. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    onBehalfOf: text("on_behalf_of"),
    action: text("action").notNull(),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    ip: text("ip"),
    requestId: text("request_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    // With the id last, the auditors' search reads newest-first pages straight off the index.
    index("audit_log_subject_idx").on(t.subjectType, t.subjectId, t.id),
    index("audit_log_actor_idx").on(t.actorType, t.actorId, t.id),
    index("audit_log_action_idx").on(t.action, t.id),
    index("audit_log_at_idx").on(t.at),
  ],
);

export const notificationChannel = ["email", "sms"] as const;
export const notificationStatus = ["pending", "sending", "sent", "failed"] as const;

/** Transactional outbox: written in the same transaction as the change it announces. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    dedupeKey: text("dedupe_key").notNull(),
    channel: text("channel", { enum: notificationChannel }).notNull(),
    /** Encrypted email address or phone number. */
    recipientEnc: text("recipient_enc").notNull(),
    template: text("template").notNull(),
    lang: text("lang").notNull(),
    /** Encrypted JSON of the template's values: they include one-time codes and links. */
    paramsEnc: text("params_enc").notNull(),
    eoiId: uuid("eoi_id"),
    status: text("status", { enum: notificationStatus }).notNull().default("pending"),
    /** Send attempts started (counted when a worker claims the message). */
    attempts: integer("attempts").notNull().default(0),
    /**
     * When a pending message is next due; while it is `sending`, the end of the claiming worker's
     * lease, after which another worker takes it over (app/domain/notifications/worker.server.ts).
     */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set by each claim: only the worker holding the current claim may mark the message sent. */
    claimToken: uuid("claim_token"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("notifications_dedupe_key_uniq").on(t.dedupeKey),
    // Only messages still to send: the worker's claim walks this in order and stops at its batch.
    // An index over every status made it a bitmap scan over every sent message's dead versions,
    // slower with each message until a vacuum (decision 023).
    index("notifications_due_idx").on(t.nextAttemptAt).where(sql`${t.status} in ('pending', 'sending')`),
    index("notifications_eoi_idx").on(t.eoiId),
  ],
);
