import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { notifications } from "#db/schema";
import type { Transport } from "~/domain/notifications/transports.server";
import { deliverBatch } from "~/domain/notifications/worker.server";
import { setupTestDatabase } from "../../support/db";
import { queueMessages } from "./outbox";

// Real concurrency needs PostgreSQL (CI sets DATABASE_URL). On PGlite the two claims take turns on
// its one connection: the test then proves the bookkeeping, not SKIP LOCKED.
const database = setupTestDatabase("notifications_concurrency");

describe("two workers over one outbox", () => {
  it("send each of 200 messages exactly once", async () => {
    const ids = await queueMessages(200);
    const sendsById = new Map<string, string[]>();
    let inFlight = 0;
    let maxInFlight = 0;
    const transportFor = (worker: string): Transport => ({
      async send(message) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        sendsById.set(message.id, [...(sendsById.get(message.id) ?? []), worker]);
        await sleep(20);
        inFlight--;
      },
    });
    async function run(worker: string) {
      let sent = 0;
      for (;;) {
        const result = await deliverBatch({ transport: transportFor(worker), batchSize: 10 });
        expect(result.lost).toBe(0);
        sent += result.sent;
        if (result.claimed === 0) return sent;
      }
    }

    const [a, b] = await Promise.all([run("A"), run("B")]);

    expect(a + b).toBe(200);
    expect([...sendsById.keys()].sort()).toEqual([...ids].sort());
    expect([...sendsById.values()].every((workers) => workers.length === 1)).toBe(true);
    const rows = await database.db.select().from(notifications);
    expect(
      rows.every((r) => r.status === "sent" && r.sentAt && r.attempts === 1 && r.claimToken === null),
    ).toBe(true);
    if (database.handle.kind === "postgres") {
      // Both took a share, and at some point both were sending at once.
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      expect(maxInFlight).toBe(2);
    }
  });
});
