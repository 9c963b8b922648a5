import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, rowsOf, setDatabase } from "~/.server/db.server";
import { deliverBatch } from "~/domain/notifications/worker.server";
import { openTestDatabase, postgresBaseUrl } from "../../support/db";
import { later, queueMessages, recordingTransport, seconds } from "./outbox";

// On PostgreSQL, postgres.js prepares each statement, and PostgreSQL may then keep one plan for
// it, made for the table as it was. The outbox starts empty and grows: a plan made then would
// scan the whole table later. One connection, so that its plans and statistics are the ones read
// here; skipped without DATABASE_URL locally (PGlite plans each statement anew), an error in CI.
const base = postgresBaseUrl();

describe.runIf(base)("the outbox worker's plans on PostgreSQL", () => {
  let opened: Awaited<ReturnType<typeof openTestDatabase>>;

  beforeAll(async () => {
    opened = await openTestDatabase("outbox_plans", 1);
    setDatabase(opened.handle);
  });

  afterAll(() => opened?.dispose());

  /** Sequential scans of the outbox so far, as PostgreSQL's statistics count them. */
  async function outboxScans(): Promise<number> {
    await db().execute(sql`select pg_stat_force_next_flush()`);
    const [row] = await rowsOf<{ scans: number }>(
      db(),
      sql`select seq_scan::int as scans from pg_stat_user_tables where relname = 'notifications'`,
    );
    return row?.scans ?? Number.NaN;
  }

  it("reads a grown outbox by its indexes, though its statements were first run on an empty one", async () => {
    const { transport } = recordingTransport();
    let now = later(new Date(), seconds(1));
    // Each statement of a batch runs more than five times on a tiny table, the point where
    // PostgreSQL may settle on one plan for it. Full batches: the claim and the update that
    // records them sent name 20 ids each time, so each is the same prepared statement throughout.
    for (let round = 0; round < 8; round++) {
      await queueMessages(20);
      now = later(now, seconds(1));
      expect(await deliverBatch({ transport, now, batchSize: 20 })).toMatchObject({ claimed: 20, sent: 20 });
    }

    for (let i = 0; i < 4; i++) await queueMessages(5000);
    const before = await outboxScans();
    for (let round = 0; round < 3; round++) {
      now = later(now, seconds(1));
      expect(await deliverBatch({ transport, now, batchSize: 20 })).toMatchObject({ claimed: 20, sent: 20 });
    }
    expect(await outboxScans()).toBe(before);
  });
});
