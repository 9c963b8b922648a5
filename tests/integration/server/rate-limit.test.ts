import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { hitRateLimit, purgeExpiredRateLimits } from "~/.server/rate-limit.server";
import { rateLimits } from "../../../db/schema";
import { setupTestDatabase } from "../../support/db";

const database = setupTestDatabase("rate-limit");

describe("hitRateLimit", () => {
  it("allows the limit, then refuses with the seconds left in the window", async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await hitRateLimit("sign-in:203.0.113.7", 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    const refused = results[3];
    expect(refused?.retryAfter).toBeGreaterThanOrEqual(59);
    expect(refused?.retryAfter).toBeLessThanOrEqual(60);
  });

  it("counts each key separately", async () => {
    expect((await hitRateLimit("sign-in:203.0.113.8", 1, 60)).allowed).toBe(true);
    expect((await hitRateLimit("sign-in:203.0.113.8", 1, 60)).allowed).toBe(false);
    expect((await hitRateLimit("code:203.0.113.8", 1, 60)).allowed).toBe(true);
  });

  it("starts a new window once the old one has ended", async () => {
    const key = "code:198.51.100.1";
    expect(await hitRateLimit(key, 2, 1)).toMatchObject({ allowed: true, retryAfter: 1 });
    expect((await hitRateLimit(key, 2, 1)).allowed).toBe(true);
    expect(await hitRateLimit(key, 2, 1)).toMatchObject({ allowed: false, retryAfter: 1 });
    await sleep(1_100);
    expect((await hitRateLimit(key, 2, 1)).allowed).toBe(true);
    expect((await hitRateLimit(key, 2, 1)).allowed).toBe(true);
    expect((await hitRateLimit(key, 2, 1)).allowed).toBe(false);
  });

  it("purges only the windows that have ended", async () => {
    await hitRateLimit("short", 1, 1);
    await hitRateLimit("long", 1, 3600);
    await sleep(1_100);
    await purgeExpiredRateLimits();
    const keys = (await database.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key);
    expect(keys).toContain("long");
    expect(keys).not.toContain("short");
    expect(keys).not.toContain("code:198.51.100.1");
  });
});
