import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { returnCases, returnImports, staffUsers } from "../../../db/schema";
import { decrypt, encrypt } from "../../.server/crypto.server";
import { db, type Executor, rowsOf } from "../../.server/db.server";
import { logger } from "../../.server/logger.server";
import { type Actor, audit } from "../audit/audit.server";
import { backAheadAdmissions } from "../matching/matching.service.server";
import { staffIdOf } from "../matching/release.server";
import { parisDay, parisMidnight } from "../windows/windows.rules";
import { decodeCsv, type FileProblem, type LineError, type ParsedLine, parseReturnsCsv } from "./csv.server";
import {
  classifyLine,
  type LineOutcome,
  type RecordFacts,
  type StageDates,
  updatedDates,
} from "./returns.rules";
import type { ReturnLine } from "./returns.schema";
import { flagReturnedApplicants, identityHashes, recordsByRef, sealIdentity } from "./returns.service.server";

/*
 * Returns CSV import (issue 7): upload → preview → confirm → run in chunks with progress.
 *
 * The file is kept encrypted in `return_imports` between upload and the end of the run, so the
 * preview, the run and a resumed run read the same bytes. Each chunk of lines is one transaction
 * that also advances `processed`: a crash loses the chunk in progress and nothing else, and a
 * resumed run starts exactly where the last committed chunk ended. Every line is compared with
 * the register again when its chunk runs (it may have changed since the preview), so importing
 * the same file twice adds nothing the second time.
 */

const IMPORT_CHUNK_LINES = 500;
/** Person references looked up at once by the preview. */
const PREVIEW_BATCH = 1000;
/** Errors that depend on the register, worked out again when the lines are imported. */
const registerCodes = new Set(["conflict", "matched", "notAllowed"]);

type ValidLine = ParsedLine & { data: ReturnLine };
type Classified = { line: ValidLine; outcome: LineOutcome; record?: RecordFacts & { id: string } };

const validLines = (lines: ParsedLine[]) => lines.filter((l): l is ValidLine => l.data !== null);
const errorLineCount = (errors: { line: number }[]) => new Set(errors.map((e) => e.line)).size;

async function classify(executor: Executor, lines: ValidLine[], lock: boolean): Promise<Classified[]> {
  const records = await recordsByRef(
    executor,
    lines.map((l) => l.data.personRef),
    lock,
  );
  return lines.map((line) => {
    const record = records.get(line.data.personRef);
    // Hashing is only needed to compare with a record (most lines of a first import are new).
    const outcome: LineOutcome = record
      ? classifyLine({ ...identityHashes(line.data), ...line.data }, record)
      : { kind: "new" };
    return { line, record, outcome };
  });
}

export type PreviewResult = { ok: true; id: string } | { ok: false; problem: FileProblem };

/**
 * Checks an uploaded file, compares each line with the register and keeps the file for the
 * import. While the import is a preview, `added`, `updated` and `unchanged` hold what confirming
 * would do; the run resets them and counts what it did.
 */
export async function previewImport(
  file: { name: string; type: string; bytes: Uint8Array },
  actor: Actor,
  now = new Date(),
): Promise<PreviewResult> {
  const staffId = staffIdOf(actor);
  if (!staffId) throw new Error("returns are imported by staff");
  const decoded = decodeCsv(file);
  if (!decoded.ok) return decoded;
  const parsed = parseReturnsCsv(decoded.text, parisDay(now));
  if (!parsed.ok) return parsed;

  const counts = { added: 0, updated: 0, unchanged: 0 };
  const errors = parsed.lines.flatMap((l) => l.errors);
  const valid = validLines(parsed.lines);
  for (let i = 0; i < valid.length; i += PREVIEW_BATCH) {
    for (const { line, outcome } of await classify(db(), valid.slice(i, i + PREVIEW_BATCH), false)) {
      if (outcome.kind === "error")
        errors.push({ line: line.line, field: outcome.field, code: outcome.code });
      else counts[outcome.kind === "new" ? "added" : outcome.kind] += 1;
    }
  }
  errors.sort((a, b) => a.line - b.line);

  return db().transaction(async (tx) => {
    const [row] = await tx
      .insert(returnImports)
      .values({
        staffId,
        fileName: (file.name.split(/[\\/]/).pop() ?? "").slice(0, 200),
        sha256: createHash("sha256").update(file.bytes).digest("hex"),
        contentEnc: encrypt(decoded.text),
        totalLines: parsed.lines.length,
        ...counts,
        errors,
      })
      .returning({ id: returnImports.id });
    const id = row?.id as string;
    await audit(
      tx,
      actor,
      "returns.import_previewed",
      { type: "return_import", id },
      { lines: parsed.lines.length, ...counts, errorLines: errorLineCount(errors) },
    );
    return { ok: true as const, id };
  });
}

/** Confirms a preview: the run will import it. False if it is not a preview (any more). */
export async function confirmImport(id: string, actor: Actor): Promise<boolean> {
  return db().transaction(async (tx) => {
    const [row] = await tx
      .select({ status: returnImports.status, errors: returnImports.errors })
      .from(returnImports)
      .where(eq(returnImports.id, id))
      .for("update");
    if (row?.status !== "preview") return false;
    await tx
      .update(returnImports)
      .set({
        status: "importing",
        processed: 0,
        added: 0,
        updated: 0,
        unchanged: 0,
        errors: row.errors.filter((e) => !registerCodes.has(e.code)),
      })
      .where(eq(returnImports.id, id));
    await audit(tx, actor, "returns.import_started", { type: "return_import", id });
    return true;
  });
}

/** Drops a preview, and the file with it. False if it is not a preview (any more). */
export async function discardImport(id: string, actor: Actor): Promise<boolean> {
  return db().transaction(async (tx) => {
    const [row] = await tx
      .update(returnImports)
      .set({ status: "discarded", contentEnc: "", finishedAt: new Date() })
      .where(sql`${returnImports.id} = ${id} and ${returnImports.status} = 'preview'`)
      .returning({ id: returnImports.id });
    if (!row) return false;
    await audit(tx, actor, "returns.import_discarded", { type: "return_import", id });
    return true;
  });
}

/**
 * Paris midnight of each day, as the ISO string raw SQL takes. Memoised: a chunk's lines share a
 * few days, and the time-zone arithmetic was a third of an import's time.
 */
function timestamps() {
  const known = new Map<string, string>();
  return (day: string | null): string | null => {
    if (!day) return null;
    const at = known.get(day) ?? parisMidnight(day).toISOString();
    known.set(day, at);
    return at;
  };
}

/**
 * Adds the chunk's new returns. The rows go to PostgreSQL as one JSON document unpacked by
 * jsonb_to_recordset: one parameter instead of 8,000, which made inserting 500 returns three times
 * faster than a multi-row VALUES list (the same for updates below).
 */
async function insertReturns(tx: Executor, lines: ReturnLine[], importId: string, now: Date) {
  if (lines.length === 0) return [];
  const at = timestamps();
  const rows = lines.map((l) => {
    const { identityHash, documentHash } = identityHashes(l);
    return {
      person_ref: l.personRef,
      identity_enc: sealIdentity(l),
      identity_hash: identityHash,
      document_hash: documentHash,
      nationality: l.nationality,
      age_category: l.ageCategory ?? "adult",
      stage: l.stage,
      small_boat_arrival_at: at(l.arrivalDay),
      readmission_requested_at: at(l.dates.readmissionRequestedAt),
      france_responded_at: at(l.dates.franceRespondedAt),
      removal_directions_at: at(l.dates.removalDirectionsAt),
      transferred_at: at(l.dates.transferredAt),
      stage_note: l.note,
    };
  });
  const when = now.toISOString();
  return rowsOf<{ id: string; personRef: string; stage: string }>(
    tx,
    sql`insert into ${returnCases} (person_ref, identity_enc, identity_hash, document_hash, nationality,
        age_category, stage, small_boat_arrival_at, readmission_requested_at, france_responded_at,
        removal_directions_at, transferred_at, stage_note, import_id, created_at, updated_at)
      select x.*, ${importId}::uuid, ${when}::timestamptz, ${when}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(person_ref text, identity_enc text,
        identity_hash text, document_hash text, nationality text, age_category text, stage text,
        small_boat_arrival_at timestamptz, readmission_requested_at timestamptz,
        france_responded_at timestamptz, removal_directions_at timestamptz, transferred_at timestamptz,
        stage_note text)
      on conflict (person_ref) do nothing
      returning id, person_ref as "personRef", stage`,
  );
}

async function applyUpdates(
  tx: Executor,
  updates: { id: string; line: ReturnLine; dates: StageDates }[],
  now: Date,
) {
  if (updates.length === 0) return;
  const at = timestamps();
  const rows = updates.map(({ id, line, dates }) => ({
    id,
    stage: line.stage,
    readmission_requested_at: at(dates.readmissionRequestedAt),
    france_responded_at: at(dates.franceRespondedAt),
    removal_directions_at: at(dates.removalDirectionsAt),
    transferred_at: at(dates.transferredAt),
    stage_note: line.note,
  }));
  await tx.execute(sql`
    update ${returnCases} r set stage = v.stage, readmission_requested_at = v.readmission_requested_at,
      france_responded_at = v.france_responded_at, removal_directions_at = v.removal_directions_at,
      transferred_at = v.transferred_at, stage_note = v.stage_note, updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, stage text,
      readmission_requested_at timestamptz, france_responded_at timestamptz, removal_directions_at timestamptz,
      transferred_at timestamptz, stage_note text)
    where r.id = v.id`);
}

/** Imports the next chunk of lines in one transaction; false once the import is over. */
async function importChunk(id: string, lines: ParsedLine[], actor: Actor): Promise<boolean> {
  const now = new Date();
  return db().transaction(async (tx) => {
    const [current] = await tx
      .select({
        status: returnImports.status,
        processed: returnImports.processed,
        errors: returnImports.errors,
      })
      .from(returnImports)
      .where(eq(returnImports.id, id))
      .for("update");
    if (current?.status !== "importing") return false;
    const chunk = lines.slice(current.processed, current.processed + IMPORT_CHUNK_LINES);
    const reported = new Set(current.errors.map((e) => e.line));
    const errors: LineError[] = [];
    const report = (line: number, field: LineError["field"], code: string) => {
      if (!reported.has(line)) errors.push({ line, field, code });
    };
    const toInsert: ValidLine[] = [];
    const toUpdate: { id: string; line: ReturnLine; dates: StageDates }[] = [];
    let unchanged = 0;
    for (const { line, outcome, record } of await classify(tx, validLines(chunk), true)) {
      if (outcome.kind === "new") toInsert.push(line);
      else if (outcome.kind === "updated" && record)
        toUpdate.push({ id: record.id, line: line.data, dates: updatedDates(line.data, record.dates) });
      else if (outcome.kind === "unchanged") unchanged += 1;
      else if (outcome.kind === "error") report(line.line, outcome.field, outcome.code);
    }

    const inserted = await insertReturns(
      tx,
      toInsert.map((l) => l.data),
      id,
      now,
    );
    // A person reference another import added meanwhile: left for a person to compare.
    const added = new Set(inserted.map((r) => r.personRef));
    for (const l of toInsert) if (!added.has(l.data.personRef)) report(l.line, "person_ref", "conflict");
    await applyUpdates(tx, toUpdate, now);
    await flagReturnedApplicants(
      tx,
      inserted.map((r) => r.id),
    );
    if (
      inserted.some((r) => r.stage === "transferred") ||
      toUpdate.some((u) => u.line.stage === "transferred")
    )
      await backAheadAdmissions(tx, actor, now);

    const processed = current.processed + chunk.length;
    const done = processed >= lines.length;
    await tx
      .update(returnImports)
      .set({
        processed,
        added: sql`${returnImports.added} + ${inserted.length}`,
        updated: sql`${returnImports.updated} + ${toUpdate.length}`,
        unchanged: sql`${returnImports.unchanged} + ${unchanged}`,
        ...(errors.length > 0 && {
          errors: sql`${returnImports.errors} || ${JSON.stringify(errors)}::jsonb`,
        }),
        // The file is not needed once imported: personal data is kept only where it is used.
        ...(done && { status: "imported" as const, finishedAt: now, contentEnc: "" }),
      })
      .where(eq(returnImports.id, id));
    if (done) {
      const [result] = await tx
        .select({
          added: returnImports.added,
          updated: returnImports.updated,
          unchanged: returnImports.unchanged,
          errors: returnImports.errors,
        })
        .from(returnImports)
        .where(eq(returnImports.id, id));
      const { errors: all = [], ...imported } = result ?? {};
      await audit(
        tx,
        actor,
        "returns.imported",
        { type: "return_import", id },
        { ...imported, errorLines: errorLineCount(all) },
      );
    }
    return !done;
  });
}

async function importAll(id: string, actor?: Actor): Promise<void> {
  const [row] = await db()
    .select({
      status: returnImports.status,
      contentEnc: returnImports.contentEnc,
      staffId: returnImports.staffId,
    })
    .from(returnImports)
    .where(eq(returnImports.id, id));
  if (row?.status !== "importing") return;
  // Parsed once per run, not per chunk: 100,000 lines take a few seconds to read.
  const parsed = parseReturnsCsv(decrypt(row.contentEnc), parisDay(new Date()));
  if (!parsed.ok) throw new Error(`return import ${id}: the stored file no longer reads`);
  const by = actor ?? { type: "staff" as const, id: row.staffId };
  let more = true;
  while (more) more = await importChunk(id, parsed.lines, by);
}

/** Runs in this process, by import: a second call joins the run under way. */
const running = new Map<string, Promise<void>>();

/**
 * Imports a confirmed file to the end, chunk by chunk. Safe to call again or from several
 * processes: each chunk locks the import's row and starts where `processed` says.
 */
export function runReturnImport(id: string, actor?: Actor): Promise<void> {
  const current = running.get(id);
  if (current) return current;
  const run = importAll(id, actor).finally(() => running.delete(id));
  running.set(id, run);
  return run;
}

/** Starts a run without waiting for it (the confirming request returns at once). */
export function startReturnImport(id: string, actor?: Actor): void {
  runReturnImport(id, actor).catch((error: Error) => {
    logger.error(
      { importId: id, err: { name: error.name, message: error.message } },
      "returns import stopped",
    );
  });
}

/**
 * Background job: resumes every import left "importing" (after a crash or a restart) that this
 * process is not already running, without waiting for them. Returns their ids.
 */
export async function continueReturnImports(): Promise<string[]> {
  const rows = await db()
    .select({ id: returnImports.id })
    .from(returnImports)
    .where(eq(returnImports.status, "importing"));
  const ids = rows.map((r) => r.id).filter((id) => !running.has(id));
  for (const id of ids) startReturnImport(id);
  return ids;
}

/** An import as its page shows it (the file itself stays in the database). */
export async function importView(id: string) {
  const [row] = await db()
    .select({
      id: returnImports.id,
      fileName: returnImports.fileName,
      status: returnImports.status,
      totalLines: returnImports.totalLines,
      processed: returnImports.processed,
      added: returnImports.added,
      updated: returnImports.updated,
      unchanged: returnImports.unchanged,
      errors: returnImports.errors,
      createdAt: returnImports.createdAt,
      finishedAt: returnImports.finishedAt,
      uploadedBy: staffUsers.name,
    })
    .from(returnImports)
    .innerJoin(staffUsers, eq(staffUsers.id, returnImports.staffId))
    .where(eq(returnImports.id, id));
  return row ? { ...row, errorLines: errorLineCount(row.errors) } : null;
}

/** The latest imports, for finding one again (a preview left open, a run in progress). */
export async function recentImports(limit = 10) {
  return db()
    .select({
      id: returnImports.id,
      fileName: returnImports.fileName,
      status: returnImports.status,
      totalLines: returnImports.totalLines,
      createdAt: returnImports.createdAt,
      uploadedBy: staffUsers.name,
    })
    .from(returnImports)
    .innerJoin(staffUsers, eq(staffUsers.id, returnImports.staffId))
    .orderBy(desc(returnImports.createdAt))
    .limit(limit);
}
