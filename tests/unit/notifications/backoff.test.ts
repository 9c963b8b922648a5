import { describe, expect, it } from "vitest";
import { backoffMs } from "~/domain/notifications/worker.server";

const s = 1000;

describe("backoffMs", () => {
  it.each([
    { attempts: 1, low: 15 * s, high: 30 * s },
    { attempts: 2, low: 30 * s, high: 60 * s },
    { attempts: 3, low: 60 * s, high: 120 * s },
    { attempts: 7, low: 960 * s, high: 1920 * s },
    // 30 s × 2^7 = 64 min: capped at one hour from here on.
    { attempts: 8, low: 1800 * s, high: 3600 * s },
    { attempts: 30, low: 1800 * s, high: 3600 * s },
  ])("waits between half and all of 30 s × 2^(n−1) after attempt $attempts", ({ attempts, low, high }) => {
    expect(backoffMs(attempts, () => 0)).toBe(low);
    expect(backoffMs(attempts, () => 1)).toBe(high);
    const jittered = backoffMs(attempts);
    expect(jittered).toBeGreaterThanOrEqual(low);
    expect(jittered).toBeLessThanOrEqual(high);
  });
});
