import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_NO_SHOW_REBOOKS, zonedTimeToUtc } from "~/domain/appointments/appointments.rules";
import {
  centreExtraCodes,
  closureFields,
  enrolmentFields,
  generateFields,
  patternFields,
} from "~/domain/appointments/centre.pages";
import {
  afterNoShow,
  centreToday,
  checkInRefusal,
  closureRefusal,
  dayOrToday,
  enrolmentRefusal,
  generationRange,
  MAX_GENERATION_WEEKS,
  noShowRefusal,
  openingHoursRows,
  patternErrors,
  patternRemoval,
  weekdayName,
} from "~/domain/appointments/centre.rules";
import { closureSchema, enrolmentSchema, patternSchema } from "~/domain/appointments/centre.schema";
import { bookingDeadline } from "~/domain/cases/cases.rules";
import { codesOf, type Field, flatFields } from "~/domain/forms/fields";
import { repoRoot } from "../../support/test-env";

// Monday 7 January 2030, 10:00 in Paris.
const NOW = new Date("2030-01-07T09:00:00Z");
const at = (day: string, time: string) => {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return zonedTimeToUtc(day, h * 60 + m) as Date;
};

describe("centre days", () => {
  it("takes today in Paris, not in UTC", () => {
    expect(centreToday(new Date("2030-01-07T23:30:00Z"))).toBe("2030-01-08");
    expect(dayOrToday(null, "2030-01-07")).toBe("2030-01-07");
    expect(dayOrToday("2030-02-30", "2030-01-07")).toBe("2030-01-07");
    expect(dayOrToday("2030-02-03", "2030-01-07")).toBe("2030-02-03");
  });

  it("generates whole weeks from today, within the limit", () => {
    expect(generationRange("2030-01-07", 2)).toEqual({ from: "2030-01-07", to: "2030-01-20" });
    expect(generationRange("2030-01-07", 0)).toBeNull();
    expect(generationRange("2030-01-07", MAX_GENERATION_WEEKS + 1)).toBeNull();
    expect(generationRange("2030-01-07", 1.5)).toBeNull();
  });

  it("lists opening hours Monday first, leaving closed days out, and names weekdays", () => {
    expect(
      openingHoursRows({
        "6": { opens: "09:00", closes: "12:00" },
        "1": { opens: "08:00", closes: "18:00" },
      }),
    ).toEqual([
      { weekday: "1", opens: "08:00", closes: "18:00" },
      { weekday: "6", opens: "09:00", closes: "12:00" },
    ]);
    expect(weekdayName("1", "en")).toBe("Monday");
    expect(weekdayName(7, "fr")).toBe("dimanche");
  });
});

describe("pattern blocks and closures", () => {
  it("checks a block across its fields", () => {
    const block = { startTime: "09:00", endTime: "12:00", slotMinutes: "30", validFrom: "2030-01-01" };
    expect(patternErrors(block)).toEqual({});
    expect(patternErrors({ ...block, endTime: "09:00" })).toEqual({ endTime: "beforeStart" });
    expect(patternErrors({ ...block, endTime: "09:20" })).toEqual({ slotMinutes: "exceedsBlock" });
    expect(patternErrors({ ...block, validTo: "2029-12-31" })).toEqual({ validTo: "beforeFrom" });
  });

  it("deletes a block not yet in force, and ends one in force yesterday", () => {
    expect(patternRemoval({ validFrom: "2030-01-07" }, "2030-01-07")).toEqual({ delete: true });
    expect(patternRemoval({ validFrom: "2029-01-01" }, "2030-01-07")).toEqual({ validTo: "2030-01-06" });
  });

  it("refuses a closure in the past", () => {
    expect(closureRefusal("2030-01-06", "2030-01-07")).toBe("past");
    expect(closureRefusal("2030-01-07", "2030-01-07")).toBeNull();
  });

  it("parses the pattern, closure and enrolment forms", () => {
    const pattern = patternSchema().safeParse({
      weekday: "3",
      startTime: "9h00",
      endTime: "12:30",
      slotMinutes: "15",
      places: "4",
      "validFrom-day": "1",
      "validFrom-month": "2",
      "validFrom-year": "2030",
    });
    expect(pattern.success && pattern.data).toEqual({
      weekday: "3",
      startTime: "09:00",
      endTime: "12:30",
      slotMinutes: "15",
      places: "4",
      validFrom: "2030-02-01",
    });
    const tooMany = patternSchema().safeParse({
      weekday: "8",
      startTime: "25:00",
      slotMinutes: "300",
      places: "0",
    });
    expect(tooMany.success ? [] : tooMany.error.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        "centres:fields.weekday.errors.required",
        "centres:fields.startTime.errors.invalid",
        "centres:fields.slotMinutes.errors.invalid",
        "centres:fields.places.errors.invalid",
      ]),
    );
    const closure = closureSchema(() => "2030-01-07").safeParse({
      "closedOn-day": "6",
      "closedOn-month": "1",
      "closedOn-year": "2030",
      closureReason: "Holiday",
    });
    expect(closure.success ? null : closure.error.issues[0]?.message).toBe(
      "centres:fields.closedOn.errors.past",
    );
    expect(enrolmentSchema().safeParse({ documentMatches: "yes" }).success).toBe(true);
    const no = enrolmentSchema().safeParse({ documentMatches: "no", mismatchReason: "document_expired" });
    expect(no.success && no.data).toEqual({ documentMatches: "no", mismatchReason: "document_expired" });
    expect(enrolmentSchema().safeParse({ documentMatches: "no", mismatchReason: "bribe" }).success).toBe(
      false,
    );
  });
});

describe("recording at the centre", () => {
  const booked = { status: "booked" as const, startsAt: at("2030-01-07", "09:30") };

  it("checks in on the day only, once", () => {
    expect(checkInRefusal(booked, NOW)).toBeNull();
    expect(checkInRefusal({ ...booked, startsAt: at("2030-01-08", "09:30") }, NOW)).toBe("not_today");
    expect(checkInRefusal({ ...booked, status: "attended" }, NOW)).toBe("already_recorded");
    expect(checkInRefusal({ ...booked, status: "cancelled" }, NOW)).toBe("not_booked");
  });

  it("records an enrolment on the day, while the application awaits it", () => {
    expect(enrolmentRefusal(booked, "appointment_booked", NOW)).toBeNull();
    expect(enrolmentRefusal({ ...booked, status: "attended" }, "appointment_booked", NOW)).toBeNull();
    expect(enrolmentRefusal({ ...booked, status: "enrolled" }, "biometrics_enrolled", NOW)).toBe(
      "already_recorded",
    );
    expect(enrolmentRefusal(booked, "withdrawn", NOW)).toBe("not_awaiting_enrolment");
    expect(
      enrolmentRefusal({ ...booked, startsAt: at("2030-01-06", "09:30") }, "appointment_booked", NOW),
    ).toBe("not_today");
  });

  it("records a no-show only once the slot has started, for someone not checked in", () => {
    expect(noShowRefusal(booked, "appointment_booked", NOW)).toBeNull();
    expect(noShowRefusal({ ...booked, startsAt: at("2030-01-07", "10:30") }, "appointment_booked", NOW)).toBe(
      "not_started",
    );
    expect(noShowRefusal({ ...booked, status: "attended" }, "appointment_booked", NOW)).toBe(
      "already_recorded",
    );
  });

  it("lets a missed appointment be rebooked once, with a new booking period", () => {
    const fresh = bookingDeadline(NOW, 14);
    expect(afterNoShow(1, new Date("2030-01-05T00:00:00Z"), NOW)).toEqual({
      rebook: true,
      bookingDeadline: fresh,
    });
    const later = new Date(fresh.getTime() + 86_400_000);
    expect(afterNoShow(1, later, NOW)).toEqual({ rebook: true, bookingDeadline: later });
    expect(afterNoShow(MAX_NO_SHOW_REBOOKS + 1, later, NOW)).toEqual({ rebook: false });
  });
});

describe("centre texts", () => {
  const filled = (value: unknown) => typeof value === "string" && value.trim() !== "";
  const forms: Field[][] = [patternFields, closureFields, generateFields, enrolmentFields];

  it.each(["en", "fr", "ar"])("%s has a label and a message for every error each field can give", (lang) => {
    const locale = JSON.parse(readFileSync(join(repoRoot, "locales", lang, "centres.json"), "utf8")) as {
      fields: Record<
        string,
        { label?: unknown; errors?: Record<string, unknown>; options?: Record<string, unknown> }
      >;
    };
    const missing: string[] = [];
    for (const fields of forms) {
      for (const field of flatFields(fields)) {
        const texts = locale.fields[field.name];
        if (!filled(texts?.label)) missing.push(`${field.name}.label`);
        for (const code of [...codesOf(field), ...(centreExtraCodes[field.name] ?? [])])
          if (!filled(texts?.errors?.[code])) missing.push(`${field.name}.errors.${code}`);
        if (field.kind === "radios")
          for (const option of field.options)
            if (!filled(texts?.options?.[option])) missing.push(`${field.name}.options.${option}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
