import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  time,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { centres } from "./centres";
import { eois } from "./eoi";

/**
 * A centre's weekly slot pattern (issue 6): on `weekday` (ISO, 1 = Monday), slots of
 * `slot_minutes` back to back from `start_time` until `end_time`, local wall-clock time in the
 * centre's time zone, each with `places` places, for the days from `valid_from` to `valid_to`
 * (inclusive; open-ended when null). Two blocks on one weekday make a lunch break. Changing the
 * pattern means ending one row and starting another; slots already generated keep their bookings
 * (app/domain/appointments).
 */
export const slotPatterns = pgTable(
  "slot_patterns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    centreId: uuid("centre_id")
      .notNull()
      .references(() => centres.id),
    weekday: integer("weekday").notNull(),
    startTime: time("start_time").notNull(),
    endTime: time("end_time").notNull(),
    slotMinutes: integer("slot_minutes").notNull(),
    places: integer("places").notNull(),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    validTo: date("valid_to", { mode: "string" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("slot_patterns_centre_idx").on(t.centreId, t.weekday),
    check("slot_patterns_weekday_check", sql`${t.weekday} between 1 and 7`),
    check("slot_patterns_times_check", sql`${t.endTime} > ${t.startTime}`),
    check("slot_patterns_slot_minutes_check", sql`${t.slotMinutes} between 5 and 240`),
    check("slot_patterns_places_check", sql`${t.places} between 1 and 100`),
    check("slot_patterns_validity_check", sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);

/** Days a centre is shut (public holidays, single days): no slots are generated on them. */
export const centreClosures = pgTable(
  "centre_closures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    centreId: uuid("centre_id")
      .notNull()
      .references(() => centres.id),
    /** A calendar day in the centre's time zone. */
    date: date("date", { mode: "string" }).notNull(),
    reason: text("reason").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("centre_closures_centre_date_uniq").on(t.centreId, t.date)],
);

/**
 * Bookable slots, generated from the pattern. `booked` counts the active appointments and is
 * the only thing a booking locks: it is taken with one conditional UPDATE, and the check
 * constraint makes overbooking impossible even for code that forgets the condition. A slot the
 * pattern (or a closure) no longer wants but that has appointments on record is withdrawn
 * rather than deleted: never offered again, its bookings stand until moved.
 */
export const slots = pgTable(
  "slots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    centreId: uuid("centre_id")
      .notNull()
      .references(() => centres.id),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    capacity: integer("capacity").notNull(),
    booked: integer("booked").notNull().default(0),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("slots_centre_starts_at_uniq").on(t.centreId, t.startsAt),
    check("slots_booked_within_capacity_check", sql`${t.booked} <= ${t.capacity}`),
    check("slots_booked_non_negative_check", sql`${t.booked} >= 0`),
    check("slots_capacity_non_negative_check", sql`${t.capacity} >= 0`),
    check("slots_times_check", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const appointmentStatuses = ["booked", "cancelled", "attended", "enrolled", "no_show"] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];

/**
 * Why a booking ended early: given up by the applicant (`cancelled`, `rescheduled`: both count
 * against their allowance of changes) or by the service (`centre`: a closure or a staff
 * decision, which does not).
 */
export const appointmentCancelReasons = ["cancelled", "rescheduled", "centre"] as const;

/**
 * One row per booking. Rescheduling cancels the row and books a new one pointing back at it, so
 * the history of an applicant's bookings stays whole. An EOI holds at most one active (`booked`)
 * appointment: the partial unique index enforces it.
 */
export const appointments = pgTable(
  "appointments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eoiId: uuid("eoi_id")
      .notNull()
      .references(() => eois.id),
    slotId: uuid("slot_id")
      .notNull()
      .references(() => slots.id),
    status: text("status", { enum: appointmentStatuses }).notNull().default("booked"),
    /** Changes (reschedules, cancellations) the applicant had already made when this was booked. */
    rescheduleCount: integer("reschedule_count").notNull().default(0),
    rescheduledFrom: uuid("rescheduled_from").references((): AnyPgColumn => appointments.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelReason: text("cancel_reason", { enum: appointmentCancelReasons }),
    // Filled in at the centre by the centre officer.
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }),
    /** Whether the identity document presented is the one in the EOI (R-ID-2). */
    documentMatches: boolean("document_matches"),
    mismatchReason: text("mismatch_reason"),
  },
  (t) => [
    uniqueIndex("appointments_eoi_active_uniq").on(t.eoiId).where(sql`${t.status} = 'booked'`),
    index("appointments_eoi_idx").on(t.eoiId, t.createdAt),
    index("appointments_slot_idx").on(t.slotId, t.status),
    check(
      "appointments_cancelled_check",
      sql`(${t.status} = 'cancelled') = (${t.cancelledAt} is not null and ${t.cancelReason} is not null)`,
    ),
    check("appointments_reschedule_count_check", sql`${t.rescheduleCount} >= 0`),
    check(
      "appointments_mismatch_reason_check",
      sql`${t.documentMatches} is distinct from false or ${t.mismatchReason} is not null`,
    ),
  ],
);
