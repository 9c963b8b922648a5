import { jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Opening hours per ISO weekday (1 = Monday), local Europe/Paris wall-clock times. */
export type OpeningHours = Partial<
  Record<"1" | "2" | "3" | "4" | "5" | "6" | "7", { opens: string; closes: string }>
>;

/** Biometric enrolment centres in France (domain.md Part A §8). */
export const centres = pgTable("centres", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique("centres_code_uniq"),
  name: text("name").notNull(),
  address: text("address").notNull(),
  city: text("city").notNull(),
  timezone: text("timezone").notNull().default("Europe/Paris"),
  openingHours: jsonb("opening_hours").$type<OpeningHours>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
