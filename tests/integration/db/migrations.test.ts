import { readFileSync } from "node:fs";
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../../db/schema";
import { migrationsFolder, setupTestDatabase } from "../../support/db";

const database = setupTestDatabase("migrations");

const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

describe("migrations", () => {
  it("create every table of db/schema on an empty database", async () => {
    const expected = Object.values(schema)
      .filter((value) => is(value, PgTable))
      .map((table) => getTableName(table as PgTable))
      .sort();
    const rows = rowsOf<{ name: string }>(
      await database.db.execute(
        sql`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
      ),
    );
    expect(expected.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.name)).toEqual(expected);
  });

  it("record every journal entry, once", async () => {
    const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as {
      entries: { when: number }[];
    };
    const rows = rowsOf<{ created_at: string }>(
      await database.db.execute(sql`select created_at from drizzle.__drizzle_migrations order by created_at`),
    );
    expect(rows.map((r) => Number(r.created_at))).toEqual(journal.entries.map((e) => e.when));
  });

  it("install the append-only audit triggers and the scheme settings row", async () => {
    const triggers = rowsOf<{ name: string }>(
      await database.db.execute(
        sql`select tgname as name from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal order by 1`,
      ),
    );
    expect(triggers.map((t) => t.name)).toEqual(["audit_log_append_only", "audit_log_no_truncate"]);
    const settings = await database.db.select().from(schema.schemeSettings);
    expect(settings).toEqual([expect.objectContaining({ id: 1, suspended: false, parityPolicy: "strict" })]);
  });
});
