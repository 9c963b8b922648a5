import { desc } from "drizzle-orm";
import { notifications } from "../../../db/schema";
import { decrypt, decryptJson } from "../../.server/crypto.server";
import { db } from "../../.server/db.server";
import { renderMessage } from "./render.server";

/** The newest messages as the development transport "sent" them, rendered in their language. */
export async function mailbox(limit = 100) {
  const rows = await db().select().from(notifications).orderBy(desc(notifications.createdAt)).limit(limit);
  return Promise.all(
    rows.map(async (m) => ({
      id: m.id,
      at: m.createdAt.toISOString(),
      channel: m.channel,
      to: decrypt(m.recipientEnc),
      status: m.status,
      lang: m.lang,
      ...(await renderMessage(
        m.template,
        m.lang,
        m.channel,
        decryptJson<Record<string, string>>(m.paramsEnc),
      )),
    })),
  );
}
