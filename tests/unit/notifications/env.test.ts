import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadEnv } from "~/.server/env.server";
import { testSecrets } from "../../support/test-env";

const notify = {
  NOTIFY_API_KEY: `ukeats_live-${randomUUID()}-${randomUUID()}`,
  NOTIFY_EMAIL_TEMPLATE_ID: randomUUID(),
  NOTIFY_SMS_TEMPLATE_ID: randomUUID(),
};
const production = { NODE_ENV: "production" as const, ...testSecrets };

describe("notification settings", () => {
  it("use the development transport outside production", () => {
    expect(loadEnv({ NODE_ENV: "development", ...testSecrets }).NOTIFICATIONS_TRANSPORT).toBe("dev");
  });

  it("refuse to boot in production without GOV.UK Notify's settings", () => {
    expect(() => loadEnv(production)).toThrow(/NOTIFY_API_KEY/);
    const { NOTIFY_SMS_TEMPLATE_ID: _sms, ...partial } = notify;
    expect(() => loadEnv({ ...production, ...partial })).toThrow(/NOTIFY_SMS_TEMPLATE_ID/);
  });

  it("send through Notify in production once configured", () => {
    const env = loadEnv({ ...production, ...notify });
    expect(env.NOTIFICATIONS_TRANSPORT).toBe("notify");
    expect(env.NOTIFICATIONS_WORKER).toBe("on");
  });

  it("reject a malformed key or template id", () => {
    expect(() => loadEnv({ ...production, ...notify, NOTIFY_API_KEY: "not-a-key" })).toThrow(
      /NOTIFY_API_KEY/,
    );
    expect(() => loadEnv({ ...production, ...notify, NOTIFY_EMAIL_TEMPLATE_ID: "42" })).toThrow(
      /NOTIFY_EMAIL_TEMPLATE_ID/,
    );
  });

  it("let a production-mode test run opt out explicitly", () => {
    expect(loadEnv({ ...production, NOTIFICATIONS_TRANSPORT: "dev" }).NOTIFICATIONS_TRANSPORT).toBe("dev");
  });

  it("require Notify's settings whenever Notify is chosen", () => {
    expect(() =>
      loadEnv({ NODE_ENV: "development", ...testSecrets, NOTIFICATIONS_TRANSPORT: "notify" }),
    ).toThrow(/NOTIFY_API_KEY/);
  });
});
