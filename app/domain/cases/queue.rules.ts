import * as z from "zod/mini";
import type { EoiStatus } from "../../../db/schema/eoi";
import { nationalityOptions } from "../eoi/countries";
import { parseReference } from "../eoi/reference";
import { normaliseName } from "../identity/identity.rules";

/*
 * The caseworkers' queue (issue 5): which submitted EOIs to list, in which order, from where.
 * Pure: the filters come from the page's form, the position is an opaque cursor. The query
 * string holds the filters that name nobody (so a filtered queue can be bookmarked and shared)
 * and never the search text, a name or a reference (ASVS 8.3.1): that stays in the staff
 * member's session (app/.server/saved-search.server.ts). zod/mini, as the page may show the lists
 * below in the browser.
 */

/** Every status an EOI can have once sent: the queue never lists drafts. */
export const queueStatuses = [
  "submitted",
  "location_verified",
  "location_unverified",
  "under_review",
  "invalid",
  "not_eligible",
  "not_selected",
  "selected",
  "appointment_booked",
  "biometrics_enrolled",
  "approved",
  "matched",
  "arrived",
  "refused",
  "withdrawn",
] as const satisfies readonly Exclude<EoiStatus, "draft">[];
export type QueueStatus = (typeof queueStatuses)[number];

/**
 * What a case can be flagged for. `location_unverified` means presence in France is unconfirmed:
 * an unresolved flag of that kind, or the status itself (both can be true, or either).
 */
export const queueFlags = ["possible_duplicate", "previously_returned", "location_unverified"] as const;
export type QueueFlag = (typeof queueFlags)[number];

export const queueSorts = ["oldest", "newest"] as const;
export type QueueSort = (typeof queueSorts)[number];

export const familyChoices = ["yes", "no"] as const;

/** The search box: a reference (any case, dashes optional) or an applicant's full name. */
export interface QueueSearch {
  /** As typed (trimmed), to show it back in the form and carry it to the next page. */
  text: string;
  /** The canonical reference when the text is a valid one (its check character is right). */
  reference: string | null;
  /**
   * The name, normalised as at submission (identity.rules.ts), matched exactly against the stored
   * keyed hash. Also searched for a valid reference: one name in 32 of ten letters of the
   * reference alphabet ("Almaz Tesfa") also passes the check character.
   */
  name: string;
}

export interface QueueFilters {
  status?: QueueStatus;
  windowId?: string;
  nationality?: string;
  flag?: QueueFlag;
  family?: "yes" | "no";
  search?: QueueSearch;
  sort: QueueSort;
}

/** A position in the queue: the last case shown, by submission time then id. */
export interface QueueCursor {
  /** Submission time in UTC to the microsecond, as PostgreSQL stores it (a JS Date would lose it). */
  submittedAt: string;
  id: string;
}

export const QUEUE_PAGE_SIZE = 50;
const MAX_SEARCH_LENGTH = 200;
const MAX_CURSOR_LENGTH = 200;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// btoa/atob rather than Buffer: the same code runs in Node and in the browser. The text is ASCII.
const toBase64Url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function fromBase64Url(text: string): string | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  try {
    return atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
}

/** Opaque to people and bookmarks; the format may change without anyone relying on it. */
export function encodeCursor(cursor: QueueCursor): string {
  return toBase64Url(`${cursor.submittedAt}~${cursor.id}`);
}

/**
 * The cursor, or null if it is not one this service wrote: wrong encoding, wrong shape, an
 * impossible date or an id that is not a UUID. A well-formed but edited cursor is harmless: it
 * only moves where the page starts, and every filter still applies.
 */
export function decodeCursor(token: string): QueueCursor | null {
  if (token.length > MAX_CURSOR_LENGTH) return null;
  const text = fromBase64Url(token);
  const [submittedAt, id, ...rest] = text?.split("~") ?? [];
  if (!submittedAt || !id || rest.length > 0) return null;
  if (!TIMESTAMP.test(submittedAt) || !UUID.test(id)) return null;
  // Date drops the microseconds but still rejects 2025-02-30 and 25:00.
  const ms = Date.parse(submittedAt);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== submittedAt.slice(0, 19)) return null;
  return { submittedAt, id };
}

/** Names of the form's fields and the cursor, in the order the form has them. */
export const queueParams = [
  "q",
  "status",
  "window",
  "nationality",
  "flag",
  "family",
  "sort",
  "cursor",
] as const;
export type QueueParam = (typeof queueParams)[number];
export type QueueValues = Partial<Record<QueueParam, string>>;

const error = (field: QueueParam) => `queue:errors.${field}`;
/** A choice from a list; the form's "any" option posts an empty string, which means no filter. */
const choice = <T extends string>(values: readonly T[], field: QueueParam) =>
  z.optional(
    z.pipe(
      z.string(),
      z.transform((value, ctx) => {
        if (value === "") return undefined;
        if ((values as readonly string[]).includes(value)) return value as T;
        ctx.issues.push({ code: "custom", message: error(field), input: value });
        return z.NEVER;
      }),
    ),
  );

/**
 * The queue's one schema: the form's values (as `queueValues`) to filters and a cursor. Error
 * messages are i18n keys, one per parameter. Parameters it does not know are ignored (a query
 * string picks some up), unlike a form's fields.
 */
export const queueQuerySchema = z.pipe(
  z.object({
    q: z.optional(
      z
        .string()
        .check(z.trim(), z.maxLength(MAX_SEARCH_LENGTH, "queue:errors.qTooLong"))
        .check(
          z.refine((text) => text === "" || parseReference(text) !== null || normaliseName(text) !== "", {
            message: error("q"),
          }),
        ),
    ),
    status: choice(queueStatuses, "status"),
    window: z.optional(
      z.union([z.literal(""), z.string().check(z.regex(UUID, error("window")))], { error: error("window") }),
    ),
    nationality: choice(nationalityOptions, "nationality"),
    flag: choice(queueFlags, "flag"),
    family: choice(familyChoices, "family"),
    sort: choice(queueSorts, "sort"),
    cursor: z.optional(
      z.pipe(
        z.string(),
        z.transform((token, ctx) => {
          if (token === "") return null;
          const cursor = decodeCursor(token);
          if (cursor) return cursor;
          ctx.issues.push({ code: "custom", message: error("cursor"), input: token });
          return z.NEVER;
        }),
      ),
    ),
  }),
  z.transform((raw): { filters: QueueFilters; cursor: QueueCursor | null } => {
    const text = raw.q ?? "";
    const filters: QueueFilters = { sort: raw.sort ?? "oldest" };
    if (raw.status) filters.status = raw.status;
    if (raw.window) filters.windowId = raw.window;
    if (raw.nationality) filters.nationality = raw.nationality;
    if (raw.flag) filters.flag = raw.flag;
    if (raw.family) filters.family = raw.family;
    if (text) filters.search = { text, reference: parseReference(text), name: normaliseName(text) };
    return { filters, cursor: raw.cursor ?? null };
  }),
);

/** The values of the known parameters (the first of each), to show back in the form. */
export function queueValues(params: URLSearchParams): QueueValues {
  const values: QueueValues = {};
  for (const name of queueParams) {
    const value = params.get(name);
    if (value !== null) values[name] = value;
  }
  return values;
}

/**
 * The query string of the same filters, "?status=…&search=…&cursor=…": the search text never,
 * only the id it is saved under (`search`).
 */
export function queueSearchParams(
  filters: QueueFilters,
  { search, cursor }: { search?: string | null; cursor?: string | null } = {},
): string {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.windowId) params.set("window", filters.windowId);
  if (filters.nationality) params.set("nationality", filters.nationality);
  if (filters.flag) params.set("flag", filters.flag);
  if (filters.family) params.set("family", filters.family);
  if (filters.sort !== "oldest") params.set("sort", filters.sort);
  if (search) params.set("search", search);
  if (cursor) params.set("cursor", cursor);
  const text = params.toString();
  return text ? `?${text}` : "";
}
