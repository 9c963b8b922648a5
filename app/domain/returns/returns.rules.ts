import type { returnAgeCategories, returnStages } from "../../../db/schema/returns";

/*
 * The returns register (issue 7; domain.md Part A §2, Part B §6): the stages a return goes
 * through, the dates each records, the treaty's time limits, and how an imported line compares
 * with what the register already holds. Pure: days are "YYYY-MM-DD" in Paris time.
 */

export type ReturnStage = (typeof returnStages)[number];
export type AgeCategory = (typeof returnAgeCategories)[number];

/**
 * Allowed stage changes, in the order of the process (Part B §6.2). A deferral (a legal
 * challenge) goes back to a new request or to new removal directions; transferred and cancelled
 * are final.
 */
export const stageChanges = {
  arrived: ["readmission_requested", "deferred", "cancelled"],
  readmission_requested: ["france_accepted", "france_refused", "deferred", "cancelled"],
  france_accepted: ["removal_directions", "deferred", "cancelled"],
  france_refused: ["cancelled"],
  removal_directions: ["transferred", "deferred", "cancelled"],
  transferred: [],
  deferred: ["readmission_requested", "removal_directions", "cancelled"],
  cancelled: [],
} as const satisfies Record<ReturnStage, readonly ReturnStage[]>;

export const stages = Object.keys(stageChanges) as ReturnStage[];

// Own keys only: "constructor" or "__proto__" is in every object.
export const isStage = (value: string): value is ReturnStage => Object.hasOwn(stageChanges, value);

export const nextStages = (from: ReturnStage): readonly ReturnStage[] => stageChanges[from];

export const canChange = (from: ReturnStage, to: ReturnStage): boolean =>
  (stageChanges[from] as readonly ReturnStage[]).includes(to);

/**
 * An import may move a return several steps at once (the file says where it is now), but never
 * backwards: a path through "deferred" would make every earlier stage reachable again, so
 * deferred counts only as the start or the end of the path.
 */
export function canAdvance(from: ReturnStage, to: ReturnStage): boolean {
  const seen = new Set<ReturnStage>([from]);
  const queue: ReturnStage[] = [from];
  for (let stage = queue.shift(); stage; stage = queue.shift()) {
    for (const next of stageChanges[stage] as readonly ReturnStage[]) {
      if (next === to) return true;
      if (next !== "deferred" && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

/** One tag colour per stage on every page: green only for a completed return. */
export const stageColour = {
  arrived: "blue",
  readmission_requested: "light-blue",
  france_accepted: "turquoise",
  france_refused: "red",
  removal_directions: "purple",
  transferred: "green",
  deferred: "yellow",
  cancelled: "grey",
} as const satisfies Record<ReturnStage, string>;

/** Only a transferred return is completed and counts for parity (Part A §2). */
export const isCompleted = (stage: ReturnStage): boolean => stage === "transferred";

/** A reason is asked for when the removal will not happen as planned. */
export const noteRequired = (stage: ReturnStage): boolean =>
  stage === "deferred" || stage === "cancelled" || stage === "france_refused";

export const stageDateFields = [
  "readmissionRequestedAt",
  "franceRespondedAt",
  "removalDirectionsAt",
  "transferredAt",
] as const;
export type StageDateField = (typeof stageDateFields)[number];
export type StageDates = Record<StageDateField, string | null>;

/** The date a move to each stage records (deferral and cancellation have none: the note says why). */
export const stageDateField: Record<ReturnStage, StageDateField | null> = {
  arrived: null,
  readmission_requested: "readmissionRequestedAt",
  france_accepted: "franceRespondedAt",
  france_refused: "franceRespondedAt",
  removal_directions: "removalDirectionsAt",
  transferred: "transferredAt",
  deferred: null,
  cancelled: null,
};

const upTo = (n: number) => stageDateFields.slice(0, n);

/** The dates a return at each stage can have: those of the steps on the way to it. */
export const datesAllowed: Record<ReturnStage, readonly StageDateField[]> = {
  arrived: [],
  readmission_requested: upTo(1),
  france_accepted: upTo(2),
  france_refused: upTo(2),
  removal_directions: upTo(3),
  transferred: upTo(4),
  deferred: upTo(3),
  cancelled: upTo(3),
};

// Time limits (Part B §6.2): the readmission request within 14 days of arrival (treaty Art. 8),
// the whole process within 3 months of arrival (Art. 1(1)).
export const REQUEST_LIMIT_DAYS = 14;
export const REQUEST_DUE_SOON_DAYS = 3;
export const END_LIMIT_MONTHS = 3;
export const END_DUE_SOON_DAYS = 14;

const DAY_MS = 86_400_000;
const utc = (day: string) => {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
};
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const addDays = (day: string, n: number): string => isoDay(utc(day) + n * DAY_MS);
export const daysBetween = (from: string, to: string): number => Math.round((utc(to) - utc(from)) / DAY_MS);

/** Calendar months, the last day of a shorter month standing in (as PostgreSQL's date + interval). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return isoDay(Date.UTC(y, m - 1 + n, Math.min(d, lastDay)));
}

/** A real calendar day written YYYY-MM-DD (checked on every date of every imported line, so cheaply). */
export function isDay(value: string): boolean {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!parts) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= lastDay;
}

export type LimitState = "ok" | "due_soon" | "overdue" | "passed";

export const limitColour = { due_soon: "orange", overdue: "red", passed: "red" } as const;

export interface Limit {
  kind: "request" | "end";
  /** The last day. */
  due: string;
  daysLeft: number;
  state: LimitState;
}

/** Stages still on the way to a transfer, so the 3-month limit applies. */
export const openStages: readonly ReturnStage[] = stages.filter(
  (s) => s !== "transferred" && s !== "cancelled" && s !== "france_refused",
);

/**
 * The limits that apply now, soonest first: the request limit while nothing was requested yet
 * ("overdue" once passed), the 3-month limit until the return ends ("passed" once passed).
 */
export function returnLimits(r: { stage: ReturnStage; arrivalDay: string }, today: string): Limit[] {
  const limits: Limit[] = [];
  if (r.stage === "arrived") {
    const due = addDays(r.arrivalDay, REQUEST_LIMIT_DAYS);
    const daysLeft = daysBetween(today, due);
    const state = daysLeft < 0 ? "overdue" : daysLeft <= REQUEST_DUE_SOON_DAYS ? "due_soon" : "ok";
    limits.push({ kind: "request", due, daysLeft, state });
  }
  if (openStages.includes(r.stage)) {
    const due = addMonths(r.arrivalDay, END_LIMIT_MONTHS);
    const daysLeft = daysBetween(today, due);
    const state = daysLeft < 0 ? "passed" : daysLeft <= END_DUE_SOON_DAYS ? "due_soon" : "ok";
    limits.push({ kind: "end", due, daysLeft, state });
  }
  return limits;
}

export const needsAttention = (r: { stage: ReturnStage; arrivalDay: string }, today: string): boolean =>
  returnLimits(r, today).some((l) => l.state !== "ok");

/**
 * The same test as `needsAttention`, as bounds the database can apply: a return needs attention
 * when it is `arrived` on or before `arrivedBy`, or open with its 3-month limit on or before `endBy`.
 */
export function attentionBounds(today: string): { arrivedBy: string; endBy: string } {
  return {
    arrivedBy: addDays(today, -(REQUEST_LIMIT_DAYS - REQUEST_DUE_SOON_DAYS)),
    endBy: addDays(today, END_DUE_SOON_DAYS),
  };
}

/** What an import line says about a person, with its identity as keyed hashes. */
export interface LineFacts {
  identityHash: string;
  documentHash: string | null;
  nationality: string;
  ageCategory: AgeCategory | null;
  arrivalDay: string;
  stage: ReturnStage;
  dates: StageDates;
  note: string | null;
}

/** The register's record of the same person reference. */
export interface RecordFacts extends Omit<LineFacts, "ageCategory"> {
  ageCategory: AgeCategory;
  /** In an active match (so its stage cannot change). */
  matched: boolean;
}

export type LineOutcome =
  | { kind: "new" }
  | { kind: "unchanged" }
  | { kind: "updated" }
  | { kind: "error"; field: "person_ref" | "stage"; code: "conflict" | "matched" | "notAllowed" };

/**
 * How an import line compares with the register. A value the line leaves empty is "not given",
 * never "remove it". Unchanged: same stage, nothing given differs. Updated: a later stage reached
 * by allowed changes, the person's details the same and earlier dates not contradicted (the new
 * stage's own date replaces the old one: a return deferred and requested again has a new request
 * date). Anything else is left for a person to look at.
 */
export function classifyLine(line: LineFacts, record: RecordFacts | undefined): LineOutcome {
  if (!record) return { kind: "new" };
  const conflict = { kind: "error", field: "person_ref", code: "conflict" } as const;
  const sameIdentity =
    line.identityHash === record.identityHash &&
    (line.documentHash === null || line.documentHash === record.documentHash) &&
    line.nationality === record.nationality &&
    (line.ageCategory === null || line.ageCategory === record.ageCategory) &&
    line.arrivalDay === record.arrivalDay;
  if (line.stage === record.stage) {
    const datesAgree = stageDateFields.every(
      (f) => line.dates[f] === null || line.dates[f] === record.dates[f],
    );
    const noteAgrees = line.note === null || line.note === record.note;
    return sameIdentity && datesAgree && noteAgrees ? { kind: "unchanged" } : conflict;
  }
  if (record.matched) return { kind: "error", field: "person_ref", code: "matched" };
  if (!canAdvance(record.stage, line.stage)) return { kind: "error", field: "stage", code: "notAllowed" };
  const own = stageDateField[line.stage];
  const earlierAgree = stageDateFields.every(
    (f) =>
      f === own || line.dates[f] === null || record.dates[f] === null || line.dates[f] === record.dates[f],
  );
  return sameIdentity && earlierAgree ? { kind: "updated" } : conflict;
}

/** The dates after an update: the new stage's own date from the line, the others kept or filled in. */
export function updatedDates(
  line: { stage: ReturnStage; dates: StageDates },
  record: StageDates,
): StageDates {
  const own = stageDateField[line.stage];
  return Object.fromEntries(
    stageDateFields.map((f) => [f, f === own ? line.dates[f] : (record[f] ?? line.dates[f])]),
  ) as StageDates;
}

/**
 * The register's filters: the stage, "needs attention" and the page from its query string (values
 * it does not know are ignored); the person reference from `personal` (a saved search, or the
 * posted form), as it names someone and never goes in a URL (ASVS 8.3.1).
 */
export function registerQuery(
  params: URLSearchParams,
  personal: { ref?: string } = {},
): {
  stage?: ReturnStage;
  attention: boolean;
  ref?: string;
  page: number;
} {
  const stage = params.get("stage") ?? "";
  // NUL dropped: PostgreSQL text cannot hold it, so a query with it fails.
  const ref = (personal.ref ?? "").replaceAll("\u0000", "").trim().slice(0, 64);
  const page = Number(params.get("page") ?? "1");
  return {
    ...(isStage(stage) && { stage }),
    attention: params.get("attention") === "yes",
    ...(ref && { ref }),
    page: Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}
