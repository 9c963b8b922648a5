import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../../db/schema";
import { setupTestDatabase } from "../../support/db";

const database = setupTestDatabase("audit-log");

/** The database's own error: drizzle wraps it in "Failed query: …" with the cause attached. */
async function databaseError(query: Promise<unknown>): Promise<{ message: string; code?: string }> {
  const error = await query.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the statement should have been refused").toBeInstanceOf(Error);
  const cause = ((error as Error).cause ?? error) as Error & { code?: string };
  return { message: cause.message, code: cause.code };
}

describe("audit_log", () => {
  it("accepts new rows", async () => {
    const [row] = await database.db
      .insert(auditLog)
      .values({
        actorType: "staff",
        actorId: "s1",
        action: "eoi.viewed",
        subjectType: "eoi",
        subjectId: "e1",
      })
      .returning();
    expect(row).toMatchObject({ action: "eoi.viewed", details: {} });
  });

  it.each([
    ["UPDATE", sql`update audit_log set action = 'rewritten'`],
    ["DELETE", sql`delete from audit_log`],
    ["TRUNCATE", sql`truncate audit_log`],
  ])("refuses %s, even as the table's owner", async (operation, statement) => {
    const error = await databaseError(database.db.execute(statement));
    expect(error.message).toBe(`audit_log is append-only (${operation} refused)`);
    expect(error.code).toBe("42501");
  });

  it("refuses updates through the query builder too, and keeps the row as written", async () => {
    const error = await databaseError(
      database.db.update(auditLog).set({ action: "rewritten" }).where(eq(auditLog.actorId, "s1")),
    );
    expect(error.message).toMatch(/append-only/);
    const rows = await database.db.select({ action: auditLog.action }).from(auditLog);
    expect(rows).toEqual([{ action: "eoi.viewed" }]);
  });
});
