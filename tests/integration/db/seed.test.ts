import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blindIndex, decrypt, decryptJson, verifyPassword } from "~/.server/crypto.server";
import { env } from "~/.server/env.server";
import { readStoredFile } from "~/.server/storage.server";
import { isComplete } from "~/domain/eoi/eoi.pages";
import type { EoiDocument } from "~/domain/eoi/eoi.service.server";
import { isValidFamilyReference, isValidReference } from "~/domain/eoi/reference";
import { identityKey, normaliseName } from "~/domain/identity/identity.rules";
import { canTransition, type EoiStatus } from "~/domain/status/status.rules";
import { checkUpload } from "~/domain/uploads/file-check";
import {
  applicationWindows,
  centres,
  eoiFlags,
  eois,
  familyGroups,
  helperConsents,
  helperUsers,
  organisations,
  presenceChecks,
  returnCases,
  slots,
  staffRoles,
  staffUsers,
  statusHistory,
  uploads,
} from "../../../db/schema";
import { demoAccounts, demoPassword, seedDemo } from "../../../db/seed";
import { setupTestDatabase } from "../../support/db";
import { tmpRoot } from "../../support/test-env";

const database = setupTestDatabase("seed");
const now = new Date("2026-11-23T10:00:00Z");
const day = 86_400_000;

// The seed writes demo documents to UPLOAD_DIR: a folder of this file's own, so that test files
// running alongside (which compare the upload folder before and after) never see them appear.
const sharedUploadDir = env.UPLOAD_DIR;
const uploadDir = `${tmpRoot}/seed-uploads-${process.pid}-${Date.now().toString(36)}`;
beforeAll(() => {
  env.UPLOAD_DIR = uploadDir;
});
afterAll(async () => {
  env.UPLOAD_DIR = sharedUploadDir;
  await rm(uploadDir, { recursive: true, force: true });
});

const tables = {
  centres,
  applicationWindows,
  organisations,
  helperUsers,
  staffUsers,
  returnCases,
  eois,
  statusHistory,
  eoiFlags,
  familyGroups,
  presenceChecks,
  uploads,
  helperConsents,
};

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
      organisations: 2,
      helperUsers: 3,
      staffUsers: 6,
      eois: 31,
      familyGroups: 3,
      presenceChecks: 31,
      uploads: 62,
      helperConsents: 3,
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

  it("puts every helper in one of the organisations", async () => {
    const orgs = new Set((await database.db.select().from(organisations)).map((o) => o.id));
    const helpers = await database.db.select().from(helperUsers);
    expect(helpers.every((h) => orgs.has(h.organisationId))).toBe(true);
  });

  it("gives each application the demo helper made a consent in force, in the applicant's language", async () => {
    const helped = (await database.db.select().from(eois)).filter((r) => r.helperOrganisationId);
    const consents = await database.db.select().from(helperConsents);
    const [helper] = await database.db.select().from(helperUsers).where(eq(helperUsers.role, "helper"));
    expect(consents.map((c) => c.eoiId).sort()).toEqual(helped.map((r) => r.id).sort());
    for (const consent of consents) {
      const eoi = helped.find((r) => r.id === consent.eoiId);
      expect(consent).toMatchObject({
        organisationId: eoi?.helperOrganisationId,
        recordedBy: helper?.id,
        assignedHelperId: helper?.id,
        method: "in_person",
        lang: eoi?.lang,
        revokedAt: null,
      });
      expect(decrypt(consent.applicantNameEnc)).toMatch(/^Demo /);
      expect(consent.textShown.length).toBeGreaterThan(100);
    }
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

  it("submits 31 applications in the demo window over the last week, with valid references", async () => {
    const [window] = await database.db.select().from(applicationWindows);
    const rows = await database.db.select().from(eois);
    expect(rows).toHaveLength(31);
    expect(new Set(rows.map((r) => r.reference)).size).toBe(rows.length);
    for (const row of rows) {
      expect(isValidReference(row.reference ?? ""), row.reference ?? "no reference").toBe(true);
      expect(row.windowId).toBe(window?.id);
      const submitted = row.submittedAt?.getTime() ?? 0;
      expect(submitted).toBeGreaterThan(now.getTime() - 7 * day);
      expect(submitted).toBeLessThan(now.getTime());
      expect(submitted).toBeGreaterThanOrEqual(window?.opensAt.getTime() ?? Infinity);
      expect(row.createdAt.getTime()).toBeLessThan(submitted);
    }
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set([
        "submitted",
        "location_verified",
        "location_unverified",
        "under_review",
        "selected",
        "not_selected",
        "invalid",
        "approved",
      ]),
    );
    expect(new Set(rows.map((r) => r.nationality))).toEqual(
      new Set(["AF", "ER", "SD", "IR", "SY", "IQ", "VN"]),
    );
  });

  it("stores complete encrypted answers whose hashes match them, with example.org contacts", async () => {
    for (const row of await database.db.select().from(eois)) {
      const { contact, answers } = decryptJson<EoiDocument>(row.answersEnc);
      expect(contact.email).toMatch(/@example\.org$/);
      expect(row.emailHash).toBe(blindIndex("email", contact.email ?? ""));
      expect(isComplete(answers), row.reference ?? "").toBe(true);
      const names = answers.pages?.names ?? {};
      const fullName = `${names.givenNames} ${names.familyName}`;
      expect(fullName).toMatch(/^Demo /);
      const dateOfBirth = answers.pages?.["date-of-birth"]?.dateOfBirth ?? "";
      const nationality = answers.pages?.nationality?.nationality ?? "";
      expect(row.nationality).toBe(nationality);
      expect(row.nameHash).toBe(blindIndex("name", normaliseName(fullName)));
      expect(row.identityHash).toBe(blindIndex("identity", identityKey(fullName, dateOfBirth, nationality)));
      expect(row.answersEnc).not.toContain(names.familyName);
    }
  });

  it("gives each application a history that the state machine allows, ending at its status", async () => {
    const rows = await database.db.select().from(eois);
    const history = await database.db
      .select()
      .from(statusHistory)
      .orderBy(asc(statusHistory.eoiId), asc(statusHistory.at));
    for (const row of rows) {
      const own = history.filter((h) => h.eoiId === row.id);
      expect(own[0]).toMatchObject({ fromStatus: "draft", toStatus: "submitted", at: row.submittedAt });
      expect(own.at(-1)?.toStatus).toBe(row.status);
      expect(row.updatedAt).toEqual(own.at(-1)?.at);
      own.forEach((h, k) => {
        if (k > 0) expect(h.fromStatus).toBe(own[k - 1]?.toStatus);
        expect(h.at.getTime()).toBeLessThan(now.getTime());
        expect(
          canTransition(
            h.fromStatus as EoiStatus,
            h.toStatus,
            h.actorType as "system" | "staff" | "applicant",
          ),
          `${row.reference}: ${h.fromStatus} → ${h.toStatus} by ${h.actorType}`,
        ).toBe(true);
        if (h.actorType === "staff") expect(h.actorId).toBeTruthy();
      });
      // Decisions carry a reason code; selection needs presence in France confirmed first.
      const decision = own.find((h) => ["selected", "not_selected", "invalid"].includes(h.toStatus));
      if (decision) expect(decision.reasonCode).toBeTruthy();
      if (own.some((h) => h.toStatus === "selected")) {
        expect(own.some((h) => h.toStatus === "location_verified")).toBe(true);
        expect(row.bookingDeadline?.getTime()).toBe((row.submittedAt?.getTime() ?? 0) + 14 * day);
      } else {
        expect(row.bookingDeadline).toBeNull();
      }
    }
  });

  it("leaves no open presence link past its expiry, and records each outcome", async () => {
    const rows = await database.db.select().from(eois);
    const checks = await database.db.select().from(presenceChecks);
    for (const check of checks) {
      const eoi = rows.find((r) => r.id === check.eoiId);
      if (check.completedAt === null) {
        expect(eoi?.status).toBe("submitted");
        expect(check.expiresAt.getTime()).toBeGreaterThan(now.getTime());
      } else {
        expect(check.result).not.toBeNull();
      }
    }
  });

  it("raises flags that point at existing rows", async () => {
    const rows = await database.db.select().from(eois);
    const returns = await database.db.select().from(returnCases);
    const history = await database.db.select().from(statusHistory);
    const flags = await database.db.select().from(eoiFlags);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const flag of flags) expect(byId.has(flag.eoiId)).toBe(true);

    const duplicates = flags.filter((f) => f.kind === "possible_duplicate");
    expect(duplicates).toHaveLength(2);
    for (const flag of duplicates) {
      expect(flag.evidenceType).toBe("eoi");
      const other = byId.get(flag.evidenceId ?? "");
      expect(other?.identityHash).toBe(byId.get(flag.eoiId)?.identityHash);
      expect(duplicates.some((f) => f.eoiId === flag.evidenceId && f.evidenceId === flag.eoiId)).toBe(true);
    }

    const returned = flags.filter((f) => f.kind === "previously_returned");
    expect(returned).toHaveLength(1);
    expect(returned[0]?.evidenceType).toBe("return_case");
    const returnCase = returns.find((r) => r.id === returned[0]?.evidenceId);
    expect(returnCase?.identityHash).toBe(byId.get(returned[0]?.eoiId ?? "")?.identityHash);

    const unverified = flags.filter((f) => f.kind === "location_unverified");
    expect(unverified.length).toBeGreaterThan(0);
    const passedUnverified = new Set(
      history.filter((h) => h.toStatus === "location_unverified").map((h) => h.eoiId),
    );
    expect(new Set(unverified.map((f) => f.eoiId))).toEqual(passedUnverified);
  });

  it("forms three families: each a main applicant and a partner under a valid family reference", async () => {
    const groups = await database.db.select().from(familyGroups);
    expect(groups).toHaveLength(3);
    for (const group of groups) {
      expect(isValidFamilyReference(group.familyReference)).toBe(true);
      const members = (await database.db.select().from(eois)).filter((r) => r.familyGroupId === group.id);
      expect(members.map((m) => m.familyRole).sort()).toEqual(["main", "member"]);
      const member = members.find((m) => m.familyRole === "member");
      const { answers } = decryptJson<EoiDocument>(member?.answersEnc ?? "");
      expect(answers.pages?.["family-reference"]?.familyReference).toBe(group.familyReference);
    }
  });

  it("leaves seven approved applicants in the matching queue, two families first (family in the UK)", async () => {
    const waiting = (await database.db.select().from(eois)).filter((r) => r.status === "approved");
    expect(waiting).toHaveLength(7);
    const families = waiting.filter((r) => r.familyGroupId);
    expect(families).toHaveLength(4);
    expect(families.filter((r) => r.familyRole === "main").every((r) => r.matchPriority === 1)).toBe(true);
  });

  it("stores an identity document and a photo per application, encrypted, that pass the upload checks", async () => {
    const rows = await database.db.select().from(eois);
    const files = await database.db.select().from(uploads);
    for (const row of rows) {
      const { answers } = decryptJson<EoiDocument>(row.answersEnc);
      for (const kind of ["identity_document", "photo"] as const) {
        const file = files.find((f) => f.eoiId === row.id && f.kind === kind);
        expect(file?.id).toBe(answers.uploads?.[kind]);
        const bytes = await readStoredFile(file?.id ?? "");
        expect(createHash("sha256").update(bytes).digest("hex")).toBe(file?.sha256);
        expect(bytes.byteLength).toBe(file?.sizeBytes);
        expect(checkUpload({ bytes, kind, claimedType: "image/png" })).toEqual({
          ok: true,
          contentType: "image/png",
          width: file?.width,
          height: file?.height,
        });
      }
    }
  });

  it("opens four weeks of half-hour slots at both centres, Paris time, none on Sundays", async () => {
    const rows = await database.db
      .select({ code: centres.code, startsAt: slots.startsAt, capacity: slots.capacity })
      .from(slots)
      .innerJoin(centres, eq(centres.id, slots.centreId));
    expect(new Set(rows.map((r) => r.code))).toEqual(new Set(["PAR", "LIL"]));
    const paris = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
    for (const row of rows) {
      const [weekday, time] = paris.format(row.startsAt).split(" ");
      expect(weekday).not.toBe("Sun");
      expect(time).toMatch(/^(09|1[0-6]):(00|30)$/);
      expect(row.startsAt.getTime()).toBeLessThan(now.getTime() + 30 * 86_400_000);
    }
    expect(rows.length).toBeGreaterThan(300);
  });

  it("does nothing the second time", async () => {
    const before = await counts();
    expect(await seedDemo(database.db, now)).toBe(false);
    expect(await counts()).toEqual(before);
  });
});
