import * as z from "zod/mini";
import { nationalityOptions } from "../eoi/countries";
import { pageSchema } from "../forms/schema";
import { type StageChangeContext, stageChangeFields, stageChangeRule } from "./returns.pages";
import {
  type AgeCategory,
  datesAllowed,
  isDay,
  isStage,
  noteRequired,
  type ReturnStage,
  type StageDateField,
  type StageDates,
  stageDateField,
  stageDateFields,
} from "./returns.rules";

/** The return page's one schema: the stage to move to, its date and the note. */
export const stageChangeSchema = (context: StageChangeContext) =>
  pageSchema("returns", stageChangeFields, () => context.today, stageChangeRule(context));

/** Columns of a returns CSV file, named in its first line (any order). */
export const csvColumns = [
  "person_ref",
  "full_name",
  "date_of_birth",
  "nationality",
  "document_number",
  "age_category",
  "small_boat_arrival_date",
  "stage",
  "readmission_requested_date",
  "france_responded_date",
  "removal_directions_date",
  "transferred_date",
  "note",
] as const;
export type CsvColumn = (typeof csvColumns)[number];

/** Columns the first line must name; the others may be left out. */
export const requiredColumns: readonly CsvColumn[] = [
  "person_ref",
  "full_name",
  "date_of_birth",
  "nationality",
  "small_boat_arrival_date",
  "stage",
];

export const dateColumn: Record<StageDateField, CsvColumn> = {
  readmissionRequestedAt: "readmission_requested_date",
  franceRespondedAt: "france_responded_date",
  removalDirectionsAt: "removal_directions_date",
  transferredAt: "transferred_date",
};

const stageDateCodes = ["required", "invalid", "future", "beforeArrival", "notForStage"] as const;

/** Every error a line can get, per column (`conflict`, `matched`, `notAllowed` come from the register). */
export const lineErrorCodes: Record<CsvColumn, readonly string[]> = {
  person_ref: ["required", "tooLong", "invalid", "duplicate", "conflict", "matched"],
  full_name: ["required", "tooLong"],
  date_of_birth: ["required", "invalid", "future"],
  nationality: ["required", "invalid"],
  document_number: ["tooLong"],
  age_category: ["invalid"],
  small_boat_arrival_date: ["required", "invalid", "future"],
  stage: ["required", "invalid", "notAllowed"],
  readmission_requested_date: stageDateCodes,
  france_responded_date: stageDateCodes,
  removal_directions_date: stageDateCodes,
  transferred_date: stageDateCodes,
  note: ["required", "tooLong"],
};

/** One valid line of a returns CSV. Empty optional values are null ("not given"). */
export interface ReturnLine {
  personRef: string;
  fullName: string;
  dateOfBirth: string;
  /** ISO 3166 code in capitals, or "stateless" (as EOIs store it). */
  nationality: string;
  documentNumber: string | null;
  ageCategory: AgeCategory | null;
  arrivalDay: string;
  stage: ReturnStage;
  dates: StageDates;
  note: string | null;
}

const PERSON_REF = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const nationalities = new Set<string>(nationalityOptions);

type RawLine = Partial<Record<CsvColumn, string>>;
type LineError = { field: CsvColumn; code: string };

function checkLine(raw: RawLine, today: string): { line: ReturnLine } | { errors: LineError[] } {
  const errors: LineError[] = [];
  const fail = (field: CsvColumn, code: string) => {
    errors.push({ field, code });
    return null;
  };
  const value = (field: CsvColumn) => raw[field]?.trim() ?? "";
  const text = (field: CsvColumn, max: number, required: boolean) => {
    const v = value(field);
    if (v === "") return required ? fail(field, "required") : null;
    return v.length > max ? fail(field, "tooLong") : v;
  };
  const day = (field: CsvColumn, required: boolean) => {
    const v = value(field);
    if (v === "") return required ? fail(field, "required") : null;
    if (!isDay(v)) return fail(field, "invalid");
    return v > today ? fail(field, "future") : v;
  };

  let personRef = text("person_ref", 64, true);
  if (personRef && !PERSON_REF.test(personRef)) personRef = fail("person_ref", "invalid");
  const fullName = text("full_name", 200, true);
  const dateOfBirth = day("date_of_birth", true);
  const nationalityText = value("nationality");
  const nationality = /^stateless$/i.test(nationalityText) ? "stateless" : nationalityText.toUpperCase();
  if (nationality === "") fail("nationality", "required");
  else if (!nationalities.has(nationality)) fail("nationality", "invalid");
  const documentNumber = text("document_number", 50, false);
  const ageText = value("age_category");
  const ageCategory =
    ageText === "" ? null : ageText === "adult" || ageText === "accompanied_minor" ? ageText : null;
  if (ageText !== "" && !ageCategory) fail("age_category", "invalid");
  const arrivalDay = day("small_boat_arrival_date", true);
  const stageText = value("stage");
  const stage = isStage(stageText) ? stageText : null;
  if (stageText === "") fail("stage", "required");
  else if (!stage) fail("stage", "invalid");

  const dates = Object.fromEntries(stageDateFields.map((f) => [f, null])) as StageDates;
  for (const f of stageDateFields) {
    const column = dateColumn[f];
    const required = stage !== null && stageDateField[stage] === f;
    const given = day(column, required);
    if (given === null) continue;
    if (stage && !datesAllowed[stage].includes(f)) fail(column, "notForStage");
    else if (arrivalDay && given < arrivalDay) fail(column, "beforeArrival");
    else dates[f] = given;
  }
  const note = text("note", 1000, stage !== null && noteRequired(stage));

  if (errors.length > 0 || !personRef || !fullName || !dateOfBirth || !arrivalDay || !stage) {
    return { errors };
  }
  return {
    line: {
      personRef,
      fullName,
      dateOfBirth,
      nationality,
      documentNumber,
      ageCategory,
      arrivalDay,
      stage,
      dates,
      note,
    },
  };
}

/**
 * The one schema of a CSV line (its values by column name): every problem of the line at once,
 * each an issue whose path is the column and whose message is the error code
 * (`returns:lineErrors.<column>.<code>`). `today` is the Paris day dates may not be after.
 */
export const returnLineSchema = (today: string) =>
  z.pipe(
    z.partialRecord(z.enum(csvColumns), z.string()),
    z.transform((raw, ctx) => {
      const result = checkLine(raw, today);
      if ("line" in result) return result.line;
      for (const e of result.errors)
        ctx.issues.push({ code: "custom", message: e.code, path: [e.field], input: raw });
      return z.NEVER;
    }),
  );
