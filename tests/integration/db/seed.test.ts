import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { blindIndex, decryptJson, verifyPassword } from "~/.server/crypto.server";
import { identityKey } from "~/domain/identity/identity.rules";
import {
  applicationWindows,
  centres,
  helperUsers,
  organisations,
  returnCases,
  staffRoles,
  staffUsers,
} from "../../../db/schema";
import { demoAccounts, demoPassword, seedDemo } from "../../../db/seed";
import { setupTestDatabase } from "../../support/db";

const database = setupTestDatabase("seed");
const now = new Date("2026-11-23T10:00:00Z");

const tables = { centres, applicationWindows, organisations, helperUsers, staffUsers, returnCases };

async function counts() {
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => {
      const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(table);
      return [name, row?.n] as const;
    }),
  );
  return Object.fromEntries(entries);
}

describe("seedDemo", () => {
  it("seeds the demo data on an empty database and returns the accounts", async () => {
    expect(await seedDemo(database.db, now)).toBe(true);
    expect(new Set(demoAccounts.map((a) => a.role))).toEqual(
      new Set([...staffRoles, "coordinator", "helper"]),
    );
    expect(await counts()).toMatchObject({
      centres: 2,
      applicationWindows: 1,
      organisations: 1,
      helperUsers: 2,
      staffUsers: 6,
    });
  });

  it("gives both centres opening hours on weekdays", async () => {
    const rows = await database.db.select().from(centres).orderBy(centres.code);
    expect(rows.map((c) => c.code)).toEqual(["LIL", "PAR"]);
    for (const centre of rows) {
      for (const weekday of ["1", "2", "3", "4", "5"] as const) {
        const hours = centre.openingHours[weekday];
        expect(hours && hours.opens < hours.closes, `${centre.code} ${weekday}`).toBe(true);
      }
      expect(centre.openingHours["7"]).toBeUndefined();
    }
  });

  it("opens one window around now", async () => {
    const [window] = await database.db.select().from(applicationWindows);
    expect(window?.opensAt.getTime()).toBeLessThan(now.getTime());
    expect(window?.closesAt.getTime()).toBeGreaterThan(now.getTime());
    expect(window?.pausedAt).toBeNull();
  });

  it("puts the helpers in the organisation", async () => {
    const [org] = await database.db.select().from(organisations);
    const helpers = await database.db.select().from(helperUsers);
    expect(helpers.every((h) => h.organisationId === org?.id)).toBe(true);
  });

  it("creates one staff account per role, all signing in with the demo password", async () => {
    const staff = await database.db.select().from(staffUsers);
    expect(new Set(staff.map((s) => s.role))).toEqual(new Set(staffRoles));
    expect(new Set(staff.map((s) => s.passwordHash)).size).toBe(1);
    expect(await verifyPassword(demoPassword, staff[0]?.passwordHash ?? "")).toBe(true);
    expect(await verifyPassword("wrong", staff[0]?.passwordHash ?? "")).toBe(false);
  });

  it("registers returns, some transferred, with encrypted identities and matching hashes", async () => {
    const rows = await database.db.select().from(returnCases);
    const transferred = rows.filter((r) => r.stage === "transferred");
    expect(transferred.length).toBeGreaterThan(0);
    expect(transferred.length).toBeLessThan(rows.length);
    expect(transferred.every((r) => r.transferredAt && r.transferredAt.getTime() < now.getTime())).toBe(true);
    for (const row of rows) {
      const identity = decryptJson<{ fullName: string; dateOfBirth: string; nationality: string }>(
        row.identityEnc,
      );
      expect(row.identityEnc).not.toContain(identity.fullName);
      expect(row.identityHash).toBe(
        blindIndex("identity", identityKey(identity.fullName, identity.dateOfBirth, identity.nationality)),
      );
    }
  });

  it("does nothing the second time", async () => {
    const before = await counts();
    expect(await seedDemo(database.db, now)).toBe(false);
    expect(await counts()).toEqual(before);
  });
});
