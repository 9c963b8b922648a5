import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { placeholders, reusable, reusableShapes } from "~/.server/db.server";
import { auditLog, sessions } from "../../../db/schema";
import { setupTestDatabase } from "../../support/db";

const database = setupTestDatabase("reusable");

const actionsOf = reusable((executor) =>
  executor
    .select({ action: auditLog.action, at: auditLog.at, details: auditLog.details })
    .from(auditLog)
    .where(eq(auditLog.subjectId, sql.placeholder("subject")))
    .orderBy(auditLog.id),
);
const record = reusable((executor) =>
  executor
    .insert(auditLog)
    .values({
      actorType: "system",
      action: sql.placeholder("action"),
      subjectType: "test",
      subjectId: sql.placeholder("subject"),
      details: sql.placeholder("details"),
    })
    .returning({ id: auditLog.id }),
);

class Rollback extends Error {}

describe("a reusable query (built once, run on any executor)", () => {
  it("runs with new values each time, mapping rows as drizzle does (dates, JSON)", async () => {
    await record(database.db, { action: "a.one", subject: "s1", details: { n: 1 } });
    await record(database.db, { action: "a.two", subject: "s1", details: { n: 2 } });
    await record(database.db, { action: "b.one", subject: "s2", details: {} });
    const rows = await actionsOf(database.db, { subject: "s1" });
    expect(rows.map((r) => [r.action, r.details])).toEqual([
      ["a.one", { n: 1 }],
      ["a.two", { n: 2 }],
    ]);
    expect(rows[0]?.at).toBeInstanceOf(Date);
    expect((await actionsOf(database.db, { subject: "s2" })).map((r) => r.action)).toEqual(["b.one"]);
  });

  it("runs inside a transaction, on its connection: sees its writes, and is rolled back with it", async () => {
    const seen = await database.db
      .transaction(async (tx) => {
        await record(tx, { action: "c.inside", subject: "s3", details: {} });
        // Outside the transaction, on another connection, the row is not there yet (PostgreSQL).
        const outside =
          database.handle.kind === "postgres" ? await actionsOf(database.db, { subject: "s3" }) : [];
        const inside = await actionsOf(tx, { subject: "s3" });
        throw new Rollback(JSON.stringify({ outside: outside.length, inside: inside.length }));
      })
      .catch((error: unknown) =>
        error instanceof Rollback ? JSON.parse(error.message) : Promise.reject(error),
      );
    expect(seen).toEqual({ outside: 0, inside: 1 });
    expect(await actionsOf(database.db, { subject: "s3" })).toEqual([]);
  });

  it("runs together with other queries of the same transaction", async () => {
    await database.db.transaction(async (tx) => {
      await Promise.all(
        ["d.1", "d.2", "d.3"].map((action) => record(tx, { action, subject: "s4", details: {} })),
      );
    });
    expect((await actionsOf(database.db, { subject: "s4" })).map((r) => r.action).sort()).toEqual([
      "d.1",
      "d.2",
      "d.3",
    ]);
  });
});

/** An update whose columns vary: one template per set of columns. */
type SessionColumn = "subject" | "data" | "expiresAt";
const builds: string[] = [];
const updateSession = reusableShapes(
  (columns: SessionColumn[]) => columns.join(),
  (executor, columns: SessionColumn[]) => {
    builds.push(columns.join());
    return executor
      .update(sessions)
      .set(placeholders(...columns) as unknown as Partial<typeof sessions.$inferInsert>)
      .where(eq(sessions.id, sql.placeholder("id")));
  },
);

describe("a reusable query of several shapes", () => {
  it("builds each shape once, maps its values as drizzle's update does, and leaves other columns alone", async () => {
    const expiresAt = new Date("2026-01-02T03:04:05.678Z");
    await database.db.insert(sessions).values({ id: "shapes", subject: "a", data: { n: 1 }, expiresAt });
    const later = new Date(expiresAt.getTime() + 60_000);
    await updateSession(database.db, ["subject", "expiresAt"], {
      id: "shapes",
      subject: "b",
      expiresAt: later,
    });
    await updateSession(database.db, ["data"], { id: "shapes", data: { n: 2 } });
    await updateSession(database.db, ["subject", "expiresAt"], {
      id: "shapes",
      subject: "c",
      expiresAt: later,
    });
    const [row] = await database.db
      .select({ subject: sessions.subject, data: sessions.data, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.id, "shapes"));
    expect(row).toEqual({ subject: "c", data: { n: 2 }, expiresAt: later });
    expect(builds).toEqual(["subject,expiresAt", "data"]);
  });
});
