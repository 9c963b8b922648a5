import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { inArray, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { notifications } from "#db/schema";
import { encrypt } from "~/.server/crypto.server";
import { db, rowsOf } from "~/.server/db.server";
import { DeliveryError, type Transport } from "~/domain/notifications/transports.server";
import {
  deliverBatch,
  dueMessages,
  LEASE_MS,
  MAX_ATTEMPTS,
  startWorker,
} from "~/domain/notifications/worker.server";
import { setupTestDatabase } from "../../support/db";
import { later, outboxRow, queueMessages, recordingTransport, seconds } from "./outbox";

setupTestDatabase("notifications_worker");

beforeEach(async () => {
  await db().delete(notifications);
});

/** A moment after every row queued so far, so all of them are due. */
const start = () => later(new Date(), seconds(1));

describe("retries", () => {
  it("retries a failing message with growing backoff, then marks it failed, without holding up the others", async () => {
    const failing = "unlucky@example.test";
    const [bad = "", ...good] = await queueMessages(5, (i) =>
      i === 0 ? { recipientEnc: encrypt(failing) } : {},
    );
    const { transport, sent } = recordingTransport({
      // The error names the recipient: the outbox must not keep it.
      fail: (m) => (m.to === failing ? new Error(`mailbox full for ${failing}`) : undefined),
    });

    const t0 = start();
    expect(await deliverBatch({ transport, now: t0 })).toEqual({
      claimed: 5,
      sent: 4,
      retried: 1,
      failed: 0,
      lost: 0,
    });
    expect(sent.map((m) => m.id).sort()).toEqual([...good].sort());
    for (const id of good)
      expect(await outboxRow(id)).toMatchObject({ status: "sent", sentAt: t0, attempts: 1 });

    let row = await outboxRow(bad);
    expect(row).toMatchObject({ status: "pending", attempts: 1, sentAt: null, claimToken: null });
    expect(row.lastError).toBe("unexpected Error");
    expect(row.lastError).not.toContain(failing);

    // Not due before half its 30 s delay; a message queued meanwhile goes straight through.
    const [fresh = ""] = await queueMessages(1);
    expect(await deliverBatch({ transport, now: later(t0, seconds(15) - 1) })).toMatchObject({
      claimed: 1,
      sent: 1,
    });
    expect(sent.at(-1)?.id).toBe(fresh);

    let now = t0;
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      // Equal jitter: the wait after attempt n is between half and all of 30 s × 2^(n−1).
      const full = seconds(30) * 2 ** (attempt - 2);
      const wait = row.nextAttemptAt.getTime() - now.getTime();
      expect(wait).toBeGreaterThanOrEqual(full / 2);
      expect(wait).toBeLessThanOrEqual(full);
      now = row.nextAttemptAt;
      const result = await deliverBatch({ transport, now });
      expect(result).toMatchObject({ claimed: 1, sent: 0 });
      expect(result.failed).toBe(attempt === MAX_ATTEMPTS ? 1 : 0);
      row = await outboxRow(bad);
      expect(row.attempts).toBe(attempt);
    }
    expect(row).toMatchObject({
      status: "failed",
      attempts: MAX_ATTEMPTS,
      sentAt: null,
      lastError: "unexpected Error",
    });
    // Failed is final.
    expect(await deliverBatch({ transport, now: later(now, 24 * 3600_000) })).toMatchObject({ claimed: 0 });
    expect(sent.filter((m) => m.id === bad)).toHaveLength(0);
  });

  it("does not retry a message the provider refused outright", async () => {
    const [id = ""] = await queueMessages(1);
    const { transport } = recordingTransport({
      fail: () => new DeliveryError("notify: HTTP 400 BadRequestError", { permanent: true }),
    });
    expect(await deliverBatch({ transport, now: start() })).toMatchObject({
      claimed: 1,
      failed: 1,
      retried: 0,
    });
    expect(await outboxRow(id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "notify: HTTP 400 BadRequestError",
    });
  });
});

describe("leases", () => {
  it("takes over a message whose worker stopped mid-send once the lease has expired", async () => {
    const t0 = start();
    const [expired = "", held = ""] = await queueMessages(2, (i) => ({
      status: "sending",
      attempts: 1,
      claimToken: randomUUID(),
      // The first lease ran out a moment ago; the second still has a minute to go.
      nextAttemptAt: i === 0 ? later(t0, -1) : later(t0, seconds(60)),
    }));
    const { transport, sent } = recordingTransport();
    expect(await deliverBatch({ transport, now: t0 })).toMatchObject({ claimed: 1, sent: 1 });
    expect(sent).toEqual([expect.objectContaining({ id: expired, attempt: 2 })]);
    expect(await outboxRow(expired)).toMatchObject({ status: "sent", attempts: 2, claimToken: null });
    expect(await outboxRow(held)).toMatchObject({ status: "sending", attempts: 1 });
  });

  it("marks a message failed when the lease of its last attempt expires", async () => {
    const t0 = start();
    const [id = ""] = await queueMessages(1, () => ({
      status: "sending",
      attempts: MAX_ATTEMPTS,
      claimToken: randomUUID(),
      nextAttemptAt: later(t0, -1),
    }));
    const { transport, sent } = recordingTransport();
    expect(await deliverBatch({ transport, now: t0 })).toMatchObject({ claimed: 0, failed: 1 });
    expect(sent).toHaveLength(0);
    expect(await outboxRow(id)).toMatchObject({
      status: "failed",
      lastError: "lease expired during the last attempt",
    });
  });

  it("lets only the worker holding the current claim record the outcome", async () => {
    const [id = ""] = await queueMessages(1);
    const t0 = start();
    const sends: string[] = [];
    let release = () => {};
    const stalled: Transport = {
      async send() {
        sends.push("A");
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    };
    const prompt: Transport = {
      async send() {
        sends.push("B");
      },
    };

    const a = deliverBatch({ transport: stalled, now: t0 });
    while (sends.length === 0) await sleep(5);
    // Worker B comes by after A's lease has run out, takes the message over and sends it.
    const tB = later(t0, LEASE_MS + 1);
    expect(await deliverBatch({ transport: prompt, now: tB })).toMatchObject({ claimed: 1, sent: 1 });
    release();
    expect(await a).toMatchObject({ claimed: 1, sent: 0, lost: 1 });

    // B's record stands. Both handed the message to a transport: this is the at-least-once window
    // that Notify's reference look-up closes (see worker.server.ts).
    expect(await outboxRow(id)).toMatchObject({ status: "sent", sentAt: tB, attempts: 2 });
    expect(sends).toEqual(["A", "B"]);
  });
});

describe("startWorker", () => {
  it("delivers in a loop, runs periodic jobs, survives failing jobs and stops cleanly", async () => {
    const ids = await queueMessages(3);
    const { transport, sent } = recordingTransport();
    let runs = 0;
    const worker = startWorker({
      transport,
      intervalMs: 10,
      jobs: [
        {
          name: "broken",
          run: async () => {
            throw new Error("job failed");
          },
        },
        {
          name: "counter",
          run: async () => {
            runs++;
          },
        },
      ],
    });
    const deadline = Date.now() + 10_000;
    while ((sent.length < 3 || runs < 3) && Date.now() < deadline) await sleep(10);
    await worker.stop();

    expect(sent.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(runs).toBeGreaterThanOrEqual(3);
    const rows = await db().select().from(notifications).where(inArray(notifications.id, ids));
    expect(rows.every((r) => r.status === "sent")).toBe(true);

    // Stopped means stopped: nothing new goes out.
    const before = runs;
    await queueMessages(1);
    await sleep(50);
    expect(sent).toHaveLength(3);
    expect(runs).toBe(before);
  });

  it("runs a job no more often than its own interval", async () => {
    let calls = 0;
    const { transport } = recordingTransport();
    const worker = startWorker({
      transport,
      intervalMs: 5,
      jobs: [
        {
          name: "hourly",
          everyMs: 3600_000,
          run: async () => {
            calls++;
          },
        },
      ],
    });
    await sleep(100);
    await worker.stop();
    expect(calls).toBe(1);
  });
});

describe("claiming due messages", () => {
  it("walks only unsent messages in order, with the plan a prepared statement settles on", async () => {
    // Sent messages leave dead versions behind until a vacuum; the claim must not visit them.
    await queueMessages(3000);
    const { transport } = recordingTransport();
    const t0 = start();
    while ((await deliverBatch({ transport, now: t0, batchSize: 500 })).claimed);
    const due = await queueMessages(3);

    const query = dueMessages(db(), later(t0, 1), 20).toSQL();
    const plan = await db().transaction(async (tx) => {
      // postgres.js prepares each statement; PostgreSQL may then plan it once for any parameters.
      await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
      await tx.execute(sql.raw(`prepare due_messages as ${query.sql}`));
      const values = query.params.map((v) => (typeof v === "number" ? v : `'${String(v)}'`));
      const [row] = await rowsOf<{ "QUERY PLAN": unknown }>(
        tx,
        sql.raw(`explain (format json) execute due_messages(${values.join(", ")})`),
      );
      await tx.execute(sql`deallocate due_messages`);
      return JSON.stringify(row?.["QUERY PLAN"]);
    });
    expect(plan).toContain('"Index Scan"');
    expect(plan).toContain('"Index Name":"notifications_due_idx"');
    expect(plan).not.toContain('"Sort"');

    const claimed = await db().transaction((tx) => dueMessages(tx, later(t0, 1), 20));
    expect(claimed.map((r) => r.id).sort()).toEqual([...due].sort());
  });
});
