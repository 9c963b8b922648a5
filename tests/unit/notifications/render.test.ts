import { describe, expect, it } from "vitest";
import { renderMessage } from "~/domain/notifications/render.server";
import { notifiedStatuses } from "~/domain/status/status.rules";

/**
 * Every template the services queue, with the params they pass (app/domain/auth/otp.service.server.ts,
 * eoi/eoi.service.server.ts, status/status.service.server.ts). `status.selected` also names the date
 * to book by: whoever selects an application must pass `bookBy` along with the reference.
 */
const templates: Record<string, Record<string, string>> = {
  otp: { code: "482913", minutes: "15" },
  submitted: { reference: "UKE-7KQ-4XW" },
  submittedMain: { reference: "UKE-7KQ-4XW", familyReference: "FAM-93D-2LP" },
  presence: { path: "/ar/presence/0123456789abcdefghijklmnop", hours: "24" },
  ...Object.fromEntries(
    [...notifiedStatuses].map((status) => [
      `status.${status}`,
      { reference: "UKE-7KQ-4XW", ...(status === "selected" ? { bookBy: "12/01/2027" } : {}) },
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
        ([key]) => key !== "path" && key !== "hours" && key !== "minutes",
      );
      for (const [, value] of expected) expect(texts.join("\n")).toContain(value);
      if (template === "presence") expect(body).toContain(`${params.path}`);
      if (lang === "ar") expect(texts.join("\n")).toMatch(/[\u0600-\u06FF]/);
    },
  );
});
