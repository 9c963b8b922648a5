import { and, asc, inArray, isNull } from "drizzle-orm";
import { eois, matches } from "../../../db/schema";
import { decryptJson } from "../../.server/crypto.server";
import { db } from "../../.server/db.server";
import { type Contact, enqueue } from "../notifications/outbox.server";

const BATCH = 200;

/**
 * Queues the "place confirmed" message for matches made by a run. A run writes matches in one
 * set-based statement and leaves this to a background job (and to the route right after the run),
 * because each message needs the applicant's contact details decrypted. The dedupe key is the
 * match, so a job that stops half-way and runs again queues nothing twice. Returns how many it
 * handled; runs until the backlog is empty.
 */
export async function announceMatches(): Promise<number> {
  let total = 0;
  for (;;) {
    // PGlite: only `tx` inside the transaction (the outer db would deadlock its single connection).
    const handled = await db().transaction(async (tx) => {
      const due = await tx
        .select({
          id: matches.id,
          eoiId: matches.eoiId,
          unmatchedAt: matches.unmatchedAt,
        })
        .from(matches)
        .where(isNull(matches.announcedAt))
        .orderBy(asc(matches.matchedAt))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      if (!due.length) return 0;
      const people = await tx
        .select({ id: eois.id, lang: eois.lang, reference: eois.reference, answersEnc: eois.answersEnc })
        .from(eois)
        .where(
          inArray(
            eois.id,
            due.map((d) => d.eoiId),
          ),
        );
      const byId = new Map(people.map((p) => [p.id, p]));
      for (const match of due) {
        const person = byId.get(match.eoiId);
        // A match undone before its message went out is not announced.
        if (!person || match.unmatchedAt) continue;
        const { contact } = decryptJson<{ contact?: Contact }>(person.answersEnc);
        await enqueue(tx, {
          dedupeKey: `match:${match.id}`,
          contact: contact ?? {},
          template: "status.matched",
          lang: person.lang,
          params: { reference: person.reference ?? "" },
          eoiId: person.id,
        });
      }
      await tx
        .update(matches)
        .set({ announcedAt: new Date() })
        .where(
          and(
            inArray(
              matches.id,
              due.map((d) => d.id),
            ),
            isNull(matches.announcedAt),
          ),
        );
      return due.length;
    });
    total += handled;
    if (handled < BATCH) return total;
  }
}
