import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { eois, familyGroups, returnCases } from "#db/schema";
import { encryptJson } from "~/.server/crypto.server";
import type { Executor } from "~/.server/db.server";
import { generateFamilyReference, generateReference } from "~/domain/eoi/reference";

const CHUNK = 1000;

async function insertChunked<T>(
  rows: T[],
  insert: (chunk: T[]) => Promise<{ id: string }[]>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += CHUNK)
    ids.push(...(await insert(rows.slice(i, i + CHUNK))).map((r) => r.id));
  return ids;
}

/**
 * `count` approved applicants waiting for a place (what a caseworker's approval leaves), submitted
 * one second apart from `submittedFrom`, in priority band `priority` unless told.
 */
export async function approvedEois(
  db: Executor,
  count: number,
  options: {
    windowId: string;
    submittedFrom?: Date;
    priority?: number;
    familyGroupId?: string;
    lang?: string;
  },
): Promise<string[]> {
  const start = (options.submittedFrom ?? new Date(Date.now() - 30 * 86_400_000)).getTime();
  const rows = Array.from({ length: count }, (_, i) => ({
    status: "approved" as const,
    lang: options.lang ?? "fr",
    answersEnc: encryptJson({ contact: { email: `approved${i}@example.org` }, answers: {} }),
    reference: generateReference(),
    windowId: options.windowId,
    familyRole: options.familyGroupId
      ? i === 0
        ? ("main" as const)
        : ("member" as const)
      : ("alone" as const),
    familyGroupId: options.familyGroupId ?? null,
    matchPriority: options.priority ?? 3,
    submittedAt: new Date(start + i * 1000),
  }));
  return insertChunked(rows, (chunk) => db.insert(eois).values(chunk).returning({ id: eois.id }));
}

/** A family group of `size` approved members in one window. */
export async function approvedFamily(
  db: Executor,
  size: number,
  options: { windowId: string; submittedFrom?: Date; priority?: number },
): Promise<{ familyGroupId: string; ids: string[] }> {
  const [group] = await db
    .insert(familyGroups)
    .values({ familyReference: generateFamilyReference(), windowId: options.windowId })
    .returning({ id: familyGroups.id });
  const familyGroupId = group?.id as string;
  return { familyGroupId, ids: await approvedEois(db, size, { ...options, familyGroupId }) };
}

/** `count` returns in `stage` (transferred by default: completed, so matchable), one hour apart. */
export async function registerReturns(
  db: Executor,
  count: number,
  options: { stage?: (typeof returnCases.$inferInsert)["stage"]; transferredFrom?: Date } = {},
): Promise<string[]> {
  const stage = options.stage ?? "transferred";
  const start = (options.transferredFrom ?? new Date(Date.now() - 10 * 86_400_000)).getTime();
  const rows = Array.from({ length: count }, (_, i) => ({
    personRef: `RET-${randomUUID()}`,
    identityEnc: encryptJson({ fullName: `Returned ${i}` }),
    nationality: "AF",
    identityHash: randomUUID(),
    stage,
    smallBoatArrivalAt: new Date(start - 20 * 86_400_000),
    transferredAt: stage === "transferred" ? new Date(start + i * 3_600_000) : null,
  }));
  return insertChunked(rows, (chunk) =>
    db.insert(returnCases).values(chunk).returning({ id: returnCases.id }),
  );
}

/** Sets the parity policy and weekly cap, as an admin would. */
export async function setPolicy(
  db: Executor,
  policy: "strict" | "tolerance" | "reporting-only",
  options: { tolerance?: number; weeklyCap?: number | null } = {},
): Promise<void> {
  await db.execute(
    sql`update scheme_settings set parity_policy = ${policy}, parity_tolerance = ${options.tolerance ?? 0},
        weekly_cap = ${options.weeklyCap ?? null} where id = 1`,
  );
}

/**
 * Empties the queue, the register and the matches (whose delete guard is lifted for it), and
 * puts back the default strict policy with no weekly cap: a clean start for each test.
 */
export async function resetMatching(db: Executor): Promise<void> {
  await db.execute(sql`alter table matches disable trigger matches_no_delete`);
  await db.execute(sql`delete from matches`);
  await db.execute(sql`alter table matches enable trigger matches_no_delete`);
  for (const table of [
    "admission_weeks",
    "notifications",
    "status_history",
    "eois",
    "family_groups",
    "return_cases",
  ])
    await db.execute(sql.raw(`delete from ${table}`));
  await db.execute(
    sql`update scheme_settings set parity_policy = 'strict', parity_tolerance = 0, admissions_ahead = 0, weekly_cap = null`,
  );
}
