import { afterEach, describe, expect, it } from "vitest";
import { requestTime, testTimeHeader } from "~/.server/clock.server";
import { env } from "~/.server/env.server";

const transport = env.NOTIFICATIONS_TRANSPORT;
afterEach(() => {
  env.NOTIFICATIONS_TRANSPORT = transport;
});

const asking = (value: string) =>
  new Request("http://localhost/staff", { headers: { [testTimeHeader]: value } });

describe("requestTime", () => {
  it("plays the moment a test asks for, only with the development transport", () => {
    env.NOTIFICATIONS_TRANSPORT = "dev";
    expect(requestTime(asking("2027-03-01T08:05:00.000Z")).toISOString()).toBe("2027-03-01T08:05:00.000Z");
  });

  it("is the real time in production (GOV.UK Notify), whatever the request says", () => {
    env.NOTIFICATIONS_TRANSPORT = "notify";
    const before = Date.now();
    const at = requestTime(asking("2027-03-01T08:05:00.000Z")).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it("ignores a time it cannot read", () => {
    env.NOTIFICATIONS_TRANSPORT = "dev";
    expect(Math.abs(requestTime(asking("tomorrow at nine")).getTime() - Date.now())).toBeLessThan(1000);
  });
});
