import { and, desc, eq, gte, inArray, like, lt, type SQL } from "drizzle-orm";
import { applicationWindows, auditLog, eois, staffUsers } from "../../../db/schema";
import { db, type Executor } from "../../.server/db.server";
import { flatFields, inputNames, type Values } from "../forms/fields";
import { pageSchema } from "../forms/schema";
import { addDays, parisMidnight, parisTimestamp } from "../windows/windows.rules";
import { type Actor, audit } from "./audit.server";
import { auditFilterFields, auditFilterRule, personalAuditFilters } from "./audit-search.pages";

/**
 * The auditor's search over the append-only audit log, and its CSV export. Filters name things as
 * people know them (a case reference, a colleague's email) and are resolved to the ids the log
 * stores. Newest first, paged by id (keyset: stable while rows are added). Every search and export
 * is itself audited.
 */

export const AUDIT_PAGE_SIZE = 50;
/** An export holds at most this many rows, newest first; the page says so. */
export const AUDIT_EXPORT_MAX = 50_000;
const EXPORT_BATCH = 1000;

const filterSchema = () => pageSchema("backoffice", auditFilterFields, undefined, auditFilterRule);

export interface AuditFilters {
  caseReference?: string;
  staffEmail?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  /** Paris calendar days, both included. */
  from?: string;
  to?: string;
}

export type ParsedQuery =
  | { ok: true; values: Values; filters: AuditFilters; after?: number }
  | { ok: false; values: Values; errors: Record<string, string> };

const filterInputs = flatFields(auditFilterFields).flatMap(inputNames);

/**
 * Reads the filters of a search or export: those that name nobody from the URL (unknown
 * parameters are ignored), the personal ones from `personal` (a saved search, or the posted form).
 */
export function parseAuditQuery(params: URLSearchParams, personal: Values = {}): ParsedQuery {
  const values: Values = {};
  for (const name of filterInputs) {
    const value = personalAuditFilters.includes(name) ? personal[name] : params.get(name);
    if (value != null && value.trim() !== "") values[name] = value;
  }
  const parsed = filterSchema().safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, values, errors };
  }
  const after = Number(params.get("after"));
  return {
    ok: true,
    values,
    filters: parsed.data as AuditFilters,
    ...(Number.isSafeInteger(after) && after > 0 ? { after } : {}),
  };
}

/**
 * The query string of the same filters (for the next page and the export link), without the
 * personal ones: `extra` carries the id of the search that holds them.
 */
export function filterQuery(values: Values, extra: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...values, ...extra }))
    if (value && !personalAuditFilters.includes(name)) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export interface AuditEntry {
  id: number;
  at: Date;
  actor: { type: string; id: string | null; name?: string; email?: string };
  /** A helper acting for an applicant: the applicant's EOI and its reference. */
  onBehalfOf: { id: string; reference?: string } | null;
  action: string;
  /** The record acted on; `label` is what people know it by (case reference, email, window name). */
  subject: { type: string; id: string | null; label?: string } | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

type Resolved = { ok: true; where: SQL | undefined } | { ok: false; errors: Record<string, string> };

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The filters as SQL, after finding the case and the member of staff they name. */
async function resolve(tx: Executor, filters: AuditFilters): Promise<Resolved> {
  const conditions: (SQL | undefined)[] = [];
  const errors: Record<string, string> = {};
  if (filters.caseReference) {
    const [eoi] = await tx
      .select({ id: eois.id })
      .from(eois)
      .where(eq(eois.reference, filters.caseReference));
    if (!eoi) errors.caseReference = "backoffice:fields.caseReference.errors.notFound";
    // Served by audit_log_subject_idx. (A helper's actions for an applicant name the EOI as their
    // subject too; on_behalf_of has no index, so it is not searched here.)
    else conditions.push(and(eq(auditLog.subjectType, "eoi"), eq(auditLog.subjectId, eoi.id)));
  }
  if (filters.staffEmail) {
    const [staff] = await tx
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(eq(staffUsers.email, filters.staffEmail));
    if (!staff) errors.staffEmail = "backoffice:fields.staffEmail.errors.notFound";
    else conditions.push(and(eq(auditLog.actorType, "staff"), eq(auditLog.actorId, staff.id)));
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  if (filters.action) {
    const prefix = filters.action.endsWith("*") ? filters.action.slice(0, -1) : filters.action;
    conditions.push(
      filters.action.endsWith("*") || filters.action.endsWith(".")
        ? like(auditLog.action, `${escapeLike(prefix)}%`)
        : eq(auditLog.action, filters.action),
    );
  }
  if (filters.subjectType) conditions.push(eq(auditLog.subjectType, filters.subjectType));
  if (filters.subjectId) conditions.push(eq(auditLog.subjectId, filters.subjectId));
  if (filters.from) conditions.push(gte(auditLog.at, parisMidnight(filters.from)));
  if (filters.to) conditions.push(lt(auditLog.at, parisMidnight(addDays(filters.to, 1))));
  return { ok: true, where: and(...conditions) };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuids = (ids: (string | null | undefined)[]) => [
  ...new Set(ids.filter((id): id is string => !!id && uuidPattern.test(id))),
];

/** One page of rows, with the names people know the actors and subjects by. */
async function fetchEntries(tx: Executor, where: SQL | undefined, before: number | undefined, limit: number) {
  const rows = await tx
    .select()
    .from(auditLog)
    .where(and(where, before ? lt(auditLog.id, before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(limit);

  const eoiIds = uuids(rows.flatMap((r) => [r.subjectType === "eoi" ? r.subjectId : null, r.onBehalfOf]));
  const staffIds = uuids(
    rows.flatMap((r) => [
      r.actorType === "staff" ? r.actorId : null,
      r.subjectType === "staff_user" ? r.subjectId : null,
    ]),
  );
  const windowIds = uuids(rows.map((r) => (r.subjectType === "window" ? r.subjectId : null)));
  // One after another: a transaction is one connection.
  const references = eoiIds.length
    ? await tx.select({ id: eois.id, reference: eois.reference }).from(eois).where(inArray(eois.id, eoiIds))
    : [];
  const staff = staffIds.length
    ? await tx
        .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
        .from(staffUsers)
        .where(inArray(staffUsers.id, staffIds))
    : [];
  const windows = windowIds.length
    ? await tx
        .select({ id: applicationWindows.id, name: applicationWindows.name })
        .from(applicationWindows)
        .where(inArray(applicationWindows.id, windowIds))
    : [];
  const referenceOf = new Map(references.map((e) => [e.id, e.reference ?? undefined]));
  const staffOf = new Map(staff.map((s) => [s.id, s]));
  const windowOf = new Map(windows.map((w) => [w.id, w.name]));

  const label = (type: string | null, id: string | null) => {
    if (!id) return undefined;
    if (type === "eoi") return referenceOf.get(id);
    if (type === "staff_user") return staffOf.get(id)?.email;
    if (type === "window") return windowOf.get(id);
    return undefined;
  };

  return rows.map(
    (r): AuditEntry => ({
      id: r.id,
      at: r.at,
      actor: {
        type: r.actorType,
        id: r.actorId,
        ...(r.actorType === "staff" && r.actorId && staffOf.has(r.actorId)
          ? { name: staffOf.get(r.actorId)?.name, email: staffOf.get(r.actorId)?.email }
          : {}),
      },
      onBehalfOf: r.onBehalfOf ? { id: r.onBehalfOf, reference: referenceOf.get(r.onBehalfOf) } : null,
      action: r.action,
      subject: r.subjectType
        ? { type: r.subjectType, id: r.subjectId, label: label(r.subjectType, r.subjectId) }
        : null,
      ip: r.ip,
      requestId: r.requestId,
      details: r.details,
    }),
  );
}

export type SearchResult =
  | { ok: true; entries: AuditEntry[]; next: number | null }
  | { ok: false; errors: Record<string, string> };

/** One page of the log (newest first, older than `after`), and an `audit.searched` row. */
export async function searchAudit(filters: AuditFilters, after: number | undefined, actor: Actor) {
  return db().transaction(async (tx): Promise<SearchResult> => {
    const resolved = await resolve(tx, filters);
    if (!resolved.ok) {
      await audit(tx, actor, "audit.searched", undefined, { filters, after, found: false });
      return resolved;
    }
    const rows = await fetchEntries(tx, resolved.where, after, AUDIT_PAGE_SIZE + 1);
    const entries = rows.slice(0, AUDIT_PAGE_SIZE);
    const next = rows.length > AUDIT_PAGE_SIZE ? (entries.at(-1)?.id ?? null) : null;
    await audit(tx, actor, "audit.searched", undefined, { filters, after, rows: entries.length });
    return { ok: true, entries, next };
  });
}

export type ExportResult =
  | { ok: true; entries: AuditEntry[]; truncated: boolean }
  | { ok: false; errors: Record<string, string> };

/**
 * Every matching row up to `max` (newest first), read in batches within one transaction, and an
 * `audit.exported` row with the filters and the number of rows handed over.
 */
export async function exportAudit(filters: AuditFilters, actor: Actor, max = AUDIT_EXPORT_MAX) {
  return db().transaction(async (tx): Promise<ExportResult> => {
    const resolved = await resolve(tx, filters);
    if (!resolved.ok) return resolved;
    const entries: AuditEntry[] = [];
    let before: number | undefined;
    let truncated = false;
    for (;;) {
      const want = Math.min(EXPORT_BATCH, max + 1 - entries.length);
      const batch = await fetchEntries(tx, resolved.where, before, want);
      entries.push(...batch);
      if (entries.length > max) {
        entries.length = max;
        truncated = true;
        break;
      }
      if (batch.length < want) break;
      before = batch.at(-1)?.id;
    }
    await audit(tx, actor, "audit.exported", undefined, { filters, rows: entries.length, truncated });
    return { ok: true, entries, truncated };
  });
}

/** Details as one short line: `key: value; key: value` (the CSV keeps the full JSON). */
export function detailsSummary(details: Record<string, unknown>, maxLength = 200): string {
  const text = Object.entries(details)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("; ");
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

export type CsvValue = string | number | null | undefined;

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled.
 * Text starting with = + - @ tab or carriage return is prefixed with a single quote, so a
 * spreadsheet shows it instead of running it as a formula (OWASP CSV injection).
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV text: cells separated by commas, each record ended by CRLF (RFC 4180). */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}

/** The export's columns, in order; the route gives each its translated heading. */
export const auditCsvColumns = [
  "id",
  "atUtc",
  "atParis",
  "actorType",
  "actorId",
  "actorName",
  "actorEmail",
  "onBehalfOf",
  "onBehalfOfReference",
  "action",
  "subjectType",
  "subjectId",
  "subjectLabel",
  "ip",
  "requestId",
  "details",
] as const;

export function auditCsvRow(e: AuditEntry): CsvValue[] {
  const cells: Record<(typeof auditCsvColumns)[number], CsvValue> = {
    id: e.id,
    atUtc: e.at.toISOString(),
    atParis: parisTimestamp(e.at),
    actorType: e.actor.type,
    actorId: e.actor.id,
    actorName: e.actor.name,
    actorEmail: e.actor.email,
    onBehalfOf: e.onBehalfOf?.id,
    onBehalfOfReference: e.onBehalfOf?.reference,
    action: e.action,
    subjectType: e.subject?.type,
    subjectId: e.subject?.id,
    subjectLabel: e.subject?.label,
    ip: e.ip,
    requestId: e.requestId,
    details: JSON.stringify(e.details),
  };
  return auditCsvColumns.map((c) => cells[c]);
}
