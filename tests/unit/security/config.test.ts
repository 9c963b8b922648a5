import { NotifyClient } from "notifications-node-client";
import { describe, expect, it } from "vitest";
import { env, loadEnv } from "~/.server/env.server";
import {
  changePasswordSchema as helperChangePasswordSchema,
  newPasswordSchema,
} from "~/domain/helpers/accounts.schema";
import { accountSchema, changePasswordSchema } from "~/domain/staff/staff.schema";
import * as mailbox from "~/routes/dev/mailbox";
import * as barePost from "~/routes/resources/bare-post";
import { testSecrets } from "../../support/test-env";

// Configuration that must hold in production (ASVS 14.1, 14.3, 2.1): secrets from the environment,
// development helpers off, and the password rules of the two kinds of accounts with one.

const notify = {
  NOTIFY_API_KEY: `test-${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}-${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`,
  NOTIFY_EMAIL_TEMPLATE_ID: "00000000-0000-4000-8000-000000000001",
  NOTIFY_SMS_TEMPLATE_ID: "00000000-0000-4000-8000-000000000002",
};

async function statusOf(call: () => unknown): Promise<number> {
  try {
    const result = await call();
    return result instanceof Response ? result.status : 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("production configuration", () => {
  it("refuses to start without its secrets, or with weak ones, instead of generating them", () => {
    expect(() => loadEnv({ NODE_ENV: "production", ...notify })).toThrow(
      "SESSION_SECRET and DATA_ENCRYPTION_KEY are required in production",
    );
    expect(() =>
      loadEnv({ NODE_ENV: "production", ...notify, ...testSecrets, SESSION_SECRET: "short" }),
    ).toThrow(/SESSION_SECRET/);
    expect(() =>
      loadEnv({ NODE_ENV: "production", ...notify, ...testSecrets, DATA_ENCRYPTION_KEY: "not-hex" }),
    ).toThrow(/DATA_ENCRYPTION_KEY/);
    expect(loadEnv({ NODE_ENV: "production", ...notify, ...testSecrets }).isProduction).toBe(true);
  });

  it("sends messages through GOV.UK Notify by default, so the development mailbox is not there", async () => {
    expect(loadEnv({ NODE_ENV: "production", ...notify, ...testSecrets }).NOTIFICATIONS_TRANSPORT).toBe(
      "notify",
    );
    const before = env.NOTIFICATIONS_TRANSPORT;
    try {
      (env as { NOTIFICATIONS_TRANSPORT: string }).NOTIFICATIONS_TRANSPORT = "notify";
      expect(await statusOf(() => mailbox.loader())).toBe(404);
    } finally {
      (env as { NOTIFICATIONS_TRANSPORT: string }).NOTIFICATIONS_TRANSPORT = before;
    }
  });

  it("sends what leaves the machine over TLS: Notify, and a database on another host (ASVS 9.2.1)", () => {
    const production = { NODE_ENV: "production" as const, ...notify, ...testSecrets };
    const { apiClient } = new NotifyClient(notify.NOTIFY_API_KEY);
    expect((apiClient as unknown as { urlBase: string }).urlBase).toMatch(/^https:\/\//);
    expect(() => loadEnv({ ...production, NOTIFY_BASE_URL: "http://notify.example" })).toThrow(
      "NOTIFY_BASE_URL must be an https address in production",
    );
    expect(loadEnv({ ...production, NOTIFY_BASE_URL: "https://notify.example" }).isProduction).toBe(true);
    for (const url of [
      "postgres://app@db.internal:5432/ukeats",
      "postgres://app@db.internal:5432/ukeats?sslmode=prefer",
      "postgres://app@10.0.0.5/ukeats?sslmode=disable",
    ]) {
      expect(() => loadEnv({ ...production, DATABASE_URL: url }), url).toThrow(
        /DATABASE_URL must ask for TLS/,
      );
    }
    for (const url of [
      "postgres://app@db.internal:5432/ukeats?sslmode=require",
      "postgres://app@db.internal/ukeats?sslmode=verify-full",
      "postgres://postgres@127.0.0.1:5432/test",
      "postgres://postgres@localhost/test",
      "postgres://postgres@[::1]:5432/test",
    ]) {
      expect(loadEnv({ ...production, DATABASE_URL: url }).DATABASE_URL, url).toBe(url);
    }
    // Outside production (development, tests) nothing is asked.
    expect(
      loadEnv({ NODE_ENV: "test", ...testSecrets, DATABASE_URL: "postgres://app@db.internal/ukeats" })
        .isProduction,
    ).toBe(false);
  });

  it("has no benchmark route unless BENCH_ROUTES=1", async () => {
    const request = () =>
      new Request("http://localhost/bench/bare-post", {
        method: "POST",
        body: new URLSearchParams({ a: "1" }),
      });
    expect(
      await statusOf(() => barePost.action({ request: request(), params: {}, context: {} } as never)),
    ).toBe(404);
    expect(await statusOf(() => barePost.loader())).toBe(404);
  });
});

describe("passwords (staff initial passwords, helpers' own, anyone changing theirs)", () => {
  const staff = (initialPassword: string) =>
    accountSchema().safeParse({
      name: "A B",
      email: "a@staff.test",
      role: "caseworker",
      lang: "en",
      initialPassword,
    }).success;
  const helper = (newPassword: string) =>
    newPasswordSchema().safeParse({ newPassword, confirmPassword: newPassword }).success;
  const change = (schema: typeof changePasswordSchema, newPassword: string) =>
    schema().safeParse({ currentPassword: "the old password", newPassword, confirmPassword: newPassword })
      .success;

  it.each([
    ["11 characters", "abcdefghijk", false],
    ["12 characters", "abcdefghijkl", true],
    ["a 64-character passphrase with spaces", "correct horse battery staple ".repeat(3).slice(0, 64), true],
    ["Unicode and emoji", "mot de passe très sûr 🔐 ٣٤٥", true],
  ])("%s: accepted %s", (_, password, accepted) => {
    expect(staff(password)).toBe(accepted);
    expect(helper(password)).toBe(accepted);
    expect(change(changePasswordSchema, password)).toBe(accepted);
    expect(change(helperChangePasswordSchema, password)).toBe(accepted);
  });
});
