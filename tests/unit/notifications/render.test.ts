import { describe, expect, it } from "vitest";
import { renderMessage } from "~/domain/notifications/render.server";
import { notifiedStatuses } from "~/domain/status/status.rules";

/**
 * Every template the services queue, with the params they pass (app/domain/auth/otp.service.server.ts,
 * eoi/eoi.service.server.ts, status/status.service.server.ts). `status.selected` also names the date
 * to book by: whoever selects an application must pass `bookBy` along with the reference; a booked
 * appointment and its reminder name the centre, day and time (app/domain/appointments).
 */
const appointment = {
  centre: "Centre biométrique de Paris",
  address: "10 rue de la Demo, 75010 Paris",
  city: "Paris",
  date: "12/01/2027",
  time: "09:30",
  startsAt: "2027-01-12T08:30:00.000Z",
};

const templates: Record<string, Record<string, string>> = {
  otp: { code: "482913", minutes: "15" },
  submitted: { reference: "UKE-7KQ-4XW" },
  submittedMain: { reference: "UKE-7KQ-4XW", familyReference: "FAM-93D-2LP" },
  presence: { path: "/ar/presence/0123456789abcdefghijklmnop", hours: "24" },
  "appointment.reminder": { reference: "UKE-7KQ-4XW", ...appointment },
  password_changed: {},
  authenticator_reset: {},
  ...Object.fromEntries(
    [...notifiedStatuses].map((status) => [
      `status.${status}`,
      {
        reference: "UKE-7KQ-4XW",
        ...(status === "selected" ? { bookBy: "12/01/2027" } : {}),
        ...(status === "appointment_booked" ? appointment : {}),
      },
    ]),
  ),
};

const cases = Object.entries(templates).flatMap(([template, params]) =>
  ["fr", "en", "ar"].flatMap((lang) =>
    (["email", "sms"] as const).map((channel) => ({ template, lang, channel, params })),
  ),
);

describe("renderMessage", () => {
  it.each(cases)(
    "$template in $lang by $channel is complete",
    async ({ template, lang, channel, params }) => {
      const { subject, body } = await renderMessage(template, lang, channel, params);
      const texts = channel === "email" ? [subject, body] : [body];
      for (const text of texts) {
        expect(text.trim()).not.toBe("");
        // i18next answers a missing key with the key itself, and leaves unknown placeholders as they are.
        expect(text.startsWith(`${template}.`)).toBe(false);
        expect(text).not.toMatch(/\{\{|\}\}/);
      }
      if (channel === "sms") expect(subject).toBe("");
      const expected = Object.entries(params).filter(
        // Not shown as such: the link's path, durations, and the machine-readable time and city.
        ([key]) => !["path", "hours", "minutes", "startsAt", "city"].includes(key),
      );
      for (const [, value] of expected) expect(texts.join("\n")).toContain(value);
      if (template === "presence") expect(body).toContain(`${params.path}`);
      if (lang === "ar") expect(texts.join("\n")).toMatch(/[\u0600-\u06FF]/);
    },
  );
});
