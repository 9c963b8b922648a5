import { sql } from "drizzle-orm";
import { notifications } from "../../../db/schema";
import { encrypt, encryptJson } from "../../.server/crypto.server";
import { type Executor, reusableShapes } from "../../.server/db.server";

export interface Contact {
  email?: string;
  mobile?: string;
}

export interface OutboxMessage {
  dedupeKey: string;
  contact: Contact;
  template: string;
  lang: string;
  params?: Record<string, string>;
  eoiId?: string;
}

/**
 * Queues one message per channel the applicant gave, in the same transaction as the change it
 * announces (transactional outbox). The dedupe key makes a retried request queue nothing twice.
 */
export async function enqueue(tx: Executor, message: OutboxMessage): Promise<void> {
  await enqueueMany(tx, [message]);
}

/** The same for many messages, in one INSERT (a matching run announces thousands at once). */
export async function enqueueMany(tx: Executor, messages: readonly OutboxMessage[]): Promise<void> {
  // Each recipient and each message's parameters are encrypted once, however many rows share them.
  const sealed = new Map<string, string>();
  const sealRecipient = (recipient: string) => {
    const known = sealed.get(recipient);
    if (known !== undefined) return known;
    const enc = encrypt(recipient);
    sealed.set(recipient, enc);
    return enc;
  };
  const rows = messages.flatMap((message): OutboxRow[] => {
    const paramsEnc = encryptJson(message.params ?? {});
    return (["email", "sms"] as const).flatMap((channel) => {
      const recipient = channel === "email" ? message.contact.email : message.contact.mobile;
      return recipient
        ? [
            {
              dedupeKey: `${message.dedupeKey}:${channel}`,
              channel,
              recipientEnc: sealRecipient(recipient),
              template: message.template,
              lang: message.lang,
              paramsEnc,
              eoiId: message.eoiId ?? null,
            },
          ]
        : [];
    });
  });
  if (rows.length === 0) return;
  if (rows.length <= FEW) {
    const values = Object.fromEntries(
      rows.flatMap((row, i) => outboxColumns.map((column) => [`${column}${i}`, row[column] ?? null])),
    );
    await insertFew(tx, rows.length, values);
    return;
  }
  // Under PostgreSQL's 65,535 bind parameters per statement (7 a row).
  for (let i = 0; i < rows.length; i += 5000)
    await tx
      .insert(notifications)
      .values(rows.slice(i, i + 5000))
      .onConflictDoNothing();
}

/** The columns a queued message sets (the rest take their defaults). */
const outboxColumns = [
  "dedupeKey",
  "channel",
  "recipientEnc",
  "template",
  "lang",
  "paramsEnc",
  "eoiId",
] as const satisfies readonly (keyof typeof notifications.$inferInsert)[];
type OutboxRow = Pick<typeof notifications.$inferInsert, (typeof outboxColumns)[number]>;

/** A status change or a submission queues a few rows: their INSERT is built once per count. */
const FEW = 8;
const insertFew = reusableShapes(String, (executor, count: number) =>
  executor
    .insert(notifications)
    .values(
      Array.from({ length: count }, (_, i) =>
        Object.fromEntries(outboxColumns.map((column) => [column, sql.placeholder(`${column}${i}`)])),
      ) as unknown as OutboxRow[],
    )
    .onConflictDoNothing(),
);
