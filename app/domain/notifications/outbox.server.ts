import { notifications } from "../../../db/schema";
import { encrypt, encryptJson } from "../../.server/crypto.server";
import type { Executor } from "../../.server/db.server";

export interface Contact {
  email?: string;
  mobile?: string;
}

/**
 * Queues one message per channel the applicant gave, in the same transaction as the change it
 * announces (transactional outbox). The dedupe key makes a retried request queue nothing twice.
 */
export async function enqueue(
  tx: Executor,
  message: {
    dedupeKey: string;
    contact: Contact;
    template: string;
    lang: string;
    params?: Record<string, string>;
    eoiId?: string;
  },
): Promise<void> {
  const rows = (["email", "sms"] as const).flatMap((channel) => {
    const recipient = channel === "email" ? message.contact.email : message.contact.mobile;
    return recipient
      ? [
          {
            dedupeKey: `${message.dedupeKey}:${channel}`,
            channel,
            recipientEnc: encrypt(recipient),
            template: message.template,
            lang: message.lang,
            paramsEnc: encryptJson(message.params ?? {}),
            eoiId: message.eoiId ?? null,
          },
        ]
      : [];
  });
  if (rows.length) await tx.insert(notifications).values(rows).onConflictDoNothing();
}
