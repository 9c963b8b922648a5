import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { notifications } from "../../../db/schema";
import { decrypt, decryptJson } from "../../.server/crypto.server";
import { db, type Executor, type Transaction } from "../../.server/db.server";
import { logger } from "../../.server/logger.server";
import { renderMessage } from "./render.server";
import { DeliveryError, type Transport } from "./transports.server";

/*
 * Delivers the outbox (db/schema/ops.ts `notifications`).
 *
 * Between workers, a message has one owner at a time. A short transaction claims due rows with
 * SELECT … FOR UPDATE SKIP LOCKED and marks them `sending` with a fresh claim token and a lease
 * (next_attempt_at = now + LEASE_MS), then commits before anything is sent: another worker's claim
 * skips rows locked by that transaction and, once it commits, no longer finds them due. The outcome
 * is written only `where status = 'sending' and claim_token = <ours>`, so a worker whose lease
 * lapsed cannot overwrite the work of the one that took the message over, and two workers never
 * both send a message they claimed in the normal course.
 *
 * With the provider, the guarantee is at-least-once. The send happens outside any transaction (a
 * slow provider must not hold row locks), so a crash, a timed-out request that Notify accepted
 * anyway, or a lease that ran out mid-send leaves a message accepted but not marked `sent`; it is
 * sent again after its lease or backoff. What turns that retry into exactly-once for the applicant
 * is the `reference`: every send carries the outbox id as Notify's reference, and on any attempt
 * after the first, notifyTransport asks Notify for notifications with that reference and sends
 * nothing if one exists. Notify itself does not reject a repeated reference, so the one gap left is
 * a request still in flight at Notify when the retry's look-up runs, i.e. a worker stalled longer
 * than the lease. LEASE_MS (5 min) outlasts a whole batch: 20 messages × Notify's 10 s timeout.
 */

export const MAX_ATTEMPTS = 8;
export const LEASE_MS = 5 * 60_000;
const DEFAULT_BATCH_SIZE = 20;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;

/**
 * Wait after the `attempts`-th failed attempt: 30 s × 2^(attempts − 1), capped at 1 h, with "equal
 * jitter" (between half and all of it) so messages that failed together do not retry together.
 */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const full = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + random() * (full / 2));
}

export interface BatchOptions {
  transport: Transport;
  batchSize?: number;
  /** The clock for this batch (tests move it instead of sleeping); the real time otherwise. */
  now?: Date;
}

export interface BatchResult {
  claimed: number;
  sent: number;
  /** Failed, and scheduled again. */
  retried: number;
  /** Failed for good: permanent error, attempts used up, or a lease lost on the last attempt. */
  failed: number;
  /** Our lease ran out and another worker took the message over before we could record it. */
  lost: number;
}

type Claimed = Pick<
  typeof notifications.$inferSelect,
  "id" | "channel" | "recipientEnc" | "template" | "lang" | "paramsEnc" | "attempts"
>;

/**
 * Plans the transaction's statements for the outbox as it is now, not as it was when the
 * connection first prepared them. The outbox starts empty and grows and churns by the thousand:
 * a cached plan from its first minutes scans the whole table for a handful of ids, for as long as
 * nothing re-analyzes it (never, on a server without autovacuum, as on these machines). Planning
 * costs little at a few statements a second.
 */
const planAfresh = (tx: Transaction) => tx.execute(sql`set local plan_cache_mode = force_custom_plan`);

/** One statement planned afresh: in a transaction of its own, sent with the setting in one write. */
const freshlyPlanned = <T>(statement: (tx: Transaction) => PromiseLike<T>) =>
  db().transaction(async (tx) => (await Promise.all([planAfresh(tx), statement(tx)]))[1]);

/** The oldest due messages not claimed by a running worker, locked (exported for its plan test). */
export const dueMessages = (executor: Executor, now: Date, batchSize: number) =>
  executor
    .select({ id: notifications.id, status: notifications.status, attempts: notifications.attempts })
    .from(notifications)
    // The statuses as literals, as in notifications_due_idx's predicate: bound parameters would
    // keep a generic plan from using that partial index.
    .where(and(sql`${notifications.status} in ('pending', 'sending')`, lte(notifications.nextAttemptAt, now)))
    .orderBy(asc(notifications.nextAttemptAt))
    .limit(batchSize)
    .for("update", { skipLocked: true });

async function claimDue(
  now: Date,
  batchSize: number,
): Promise<{ token: string; rows: Claimed[]; exhausted: number }> {
  const token = randomUUID();
  // PGlite: only `tx` inside the transaction (the outer db would deadlock its single connection).
  return db().transaction(async (tx) => {
    const [, due] = await Promise.all([planAfresh(tx), dueMessages(tx, now, batchSize)]);
    // A `sending` row here is a lease that ran out: its worker crashed or stalled mid-send.
    const exhausted = due
      .filter((r) => r.status === "sending" && r.attempts >= MAX_ATTEMPTS)
      .map((r) => r.id);
    const ids = due.filter((r) => !exhausted.includes(r.id)).map((r) => r.id);
    if (exhausted.length) {
      await tx
        .update(notifications)
        .set({ status: "failed", lastError: "lease expired during the last attempt", claimToken: null })
        .where(inArray(notifications.id, exhausted));
    }
    const rows = ids.length
      ? await tx
          .update(notifications)
          .set({
            status: "sending",
            attempts: sql`${notifications.attempts} + 1`,
            nextAttemptAt: new Date(now.getTime() + LEASE_MS),
            claimToken: token,
          })
          .where(inArray(notifications.id, ids))
          .returning({
            id: notifications.id,
            channel: notifications.channel,
            recipientEnc: notifications.recipientEnc,
            template: notifications.template,
            lang: notifications.lang,
            paramsEnc: notifications.paramsEnc,
            attempts: notifications.attempts,
          })
      : [];
    return { token, rows, exhausted: exhausted.length };
  });
}

/** What may be stored and logged about a failure: never the recipient or the text. */
function safeDescription(error: unknown): string {
  if (error instanceof DeliveryError) return error.message;
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return `unexpected ${typeof name === "string" ? name : "error"}${typeof code === "string" ? ` (${code})` : ""}`;
}

/** Only rows whose claim is still ours (`token`): another worker may have taken one over. */
const stillOurs = (ids: string[], token: string) =>
  and(
    inArray(notifications.id, ids),
    eq(notifications.status, "sending"),
    eq(notifications.claimToken, token),
  );

/** Logs a message whose outcome another worker now owns. */
function claimLost(row: Claimed) {
  logger.warn({ notificationId: row.id, attempt: row.attempts }, "notification claim lost to another worker");
}

/** Records a failed attempt if the claim is still ours: false when another worker took over. */
async function settleFailure(
  row: Claimed,
  token: string,
  values: Partial<typeof notifications.$inferInsert>,
): Promise<boolean> {
  const updated = await freshlyPlanned((tx) =>
    tx
      .update(notifications)
      .set({ ...values, claimToken: null })
      .where(stillOurs([row.id], token))
      .returning({ id: notifications.id }),
  );
  if (!updated.length) claimLost(row);
  return updated.length > 0;
}

/** Sends one message; on failure records the retry or the end (successes are recorded together). */
async function deliverOne(
  row: Claimed,
  token: string,
  transport: Transport,
  clock: () => Date,
): Promise<"delivered" | "retried" | "failed" | "lost"> {
  try {
    const { subject, body } = await renderMessage(
      row.template,
      row.lang,
      row.channel,
      decryptJson<Record<string, string>>(row.paramsEnc),
    );
    await transport.send({
      id: row.id,
      channel: row.channel,
      to: decrypt(row.recipientEnc),
      subject,
      body,
      lang: row.lang,
      attempt: row.attempts,
    });
    return "delivered";
  } catch (error) {
    const lastError = safeDescription(error).slice(0, 200);
    const final = (error instanceof DeliveryError && error.permanent) || row.attempts >= MAX_ATTEMPTS;
    const now = clock();
    const settled = await settleFailure(
      row,
      token,
      final
        ? { status: "failed", lastError }
        : { status: "pending", lastError, nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)) },
    );
    logger.warn(
      { notificationId: row.id, channel: row.channel, attempt: row.attempts, error: lastError, final },
      "notification not delivered",
    );
    if (!settled) return "lost";
    return final ? "failed" : "retried";
  }
}

/**
 * Claims up to `batchSize` due messages and sends them one by one through `transport`. Messages
 * are independent: one that fails is rescheduled and the rest of the batch carries on. The sent
 * ones are marked `sent` together once the batch has been through the transport: one update for
 * the batch rather than one per message. A worker that dies before then leaves them `sending`,
 * sent again after their lease as a later attempt, which Notify's transport checks by reference
 * first (at-least-once, as for a death just after any send).
 */
export async function deliverBatch(options: BatchOptions): Promise<BatchResult> {
  const clock = () => options.now ?? new Date();
  const { token, rows, exhausted } = await claimDue(clock(), options.batchSize ?? DEFAULT_BATCH_SIZE);
  const result: BatchResult = { claimed: rows.length, sent: 0, retried: 0, failed: exhausted, lost: 0 };
  const delivered: Claimed[] = [];
  for (const row of rows) {
    const outcome = await deliverOne(row, token, options.transport, clock);
    if (outcome === "delivered") delivered.push(row);
    else result[outcome]++;
  }
  if (delivered.length) {
    const recorded = await freshlyPlanned((tx) =>
      tx
        .update(notifications)
        .set({ status: "sent", sentAt: clock(), lastError: null, claimToken: null })
        .where(
          stillOurs(
            delivered.map((r) => r.id),
            token,
          ),
        )
        .returning({ id: notifications.id }),
    );
    const ids = new Set(recorded.map((r) => r.id));
    result.sent = ids.size;
    result.lost += delivered.length - ids.size;
    for (const row of delivered) if (!ids.has(row.id)) claimLost(row);
  }
  return result;
}

/** Work that runs on the worker's loop after each round of deliveries (e.g. expiring links). */
export interface PeriodicJob {
  name: string;
  /** At most this often; every round (`intervalMs`) when absent. */
  everyMs?: number;
  run(now: Date): Promise<unknown>;
}

export interface WorkerOptions {
  transport: Transport;
  /** Pause between rounds when there is nothing left to send. */
  intervalMs?: number;
  batchSize?: number;
  jobs?: PeriodicJob[];
}

export interface Worker {
  /** Finishes the batch in hand (no message is left `sending`), then resolves. */
  stop(): Promise<void>;
}

const errorFields = (error: unknown) => ({
  name: (error as Error)?.name,
  message: (error as Error)?.message,
});

/**
 * Runs deliveries and periodic jobs until stop(), in the web process or alone (`--worker`). It never
 * throws: a failed round (the database restarting, say) is logged and the next round tries again.
 */
export function startWorker(options: WorkerOptions): Worker {
  const { transport, intervalMs = 2_000, batchSize = DEFAULT_BATCH_SIZE, jobs = [] } = options;
  let stopping = false;
  let wake = () => {};
  const lastRun = new Map<PeriodicJob, number>();

  async function round() {
    try {
      // Drain a backlog batch after batch, but give the jobs and stop() a turn now and then.
      for (let i = 0; i < 10 && !stopping; i++) {
        const result = await deliverBatch({ transport, batchSize });
        if (result.claimed || result.failed) logger.info(result, "notification batch");
        if (result.claimed < batchSize) break;
      }
    } catch (error) {
      logger.error({ err: errorFields(error) }, "notification batch failed");
    }
    for (const job of jobs) {
      const at = Date.now();
      if (stopping || at - (lastRun.get(job) ?? Number.NEGATIVE_INFINITY) < (job.everyMs ?? 0)) continue;
      lastRun.set(job, at);
      try {
        await job.run(new Date(at));
      } catch (error) {
        logger.error({ job: job.name, err: errorFields(error) }, "periodic job failed");
      }
    }
  }

  const loop = (async () => {
    while (!stopping) {
      await round();
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })().catch((error) => logger.error({ err: errorFields(error) }, "notification worker stopped"));

  logger.info({ intervalMs, batchSize, jobs: jobs.map((j) => j.name) }, "notification worker started");
  return {
    async stop() {
      stopping = true;
      wake();
      await loop;
    },
  };
}
