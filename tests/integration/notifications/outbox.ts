import { setTimeout as sleep } from "node:timers/promises";
import { eq } from "drizzle-orm";
import { notifications } from "#db/schema";
import { encrypt, encryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import type { OutgoingMessage, Transport } from "~/domain/notifications/transports.server";

type Row = typeof notifications.$inferInsert;

let counter = 0;

/** Queues `count` OTP messages straight into the outbox; returns their ids in order. */
export async function queueMessages(count: number, overrides: (i: number) => Partial<Row> = () => ({})) {
  const run = `${Date.now().toString(36)}-${counter++}`;
  const rows: Row[] = Array.from({ length: count }, (_, i) => ({
    dedupeKey: `test:${run}:${i}`,
    channel: "email",
    recipientEnc: encrypt(`person${i}@example.test`),
    template: "otp",
    lang: "en",
    paramsEnc: encryptJson({ code: "123456", minutes: "15" }),
    ...overrides(i),
  }));
  const inserted = await db().insert(notifications).values(rows).returning({ id: notifications.id });
  return inserted.map((r) => r.id);
}

export async function outboxRow(id: string) {
  const [row] = await db().select().from(notifications).where(eq(notifications.id, id));
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

/** A transport that records what it was given, takes `delayMs` per message, and can be told to fail. */
export function recordingTransport(
  options: { delayMs?: number; fail?: (m: OutgoingMessage) => Error | undefined } = {},
) {
  const sent: OutgoingMessage[] = [];
  const transport: Transport = {
    async send(message) {
      if (options.delayMs) await sleep(options.delayMs);
      const error = options.fail?.(message);
      if (error) throw error;
      sent.push(message);
    },
  };
  return { transport, sent };
}

export const seconds = (n: number) => n * 1000;
export const later = (from: Date, ms: number) => new Date(from.getTime() + ms);
