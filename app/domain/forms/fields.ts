/**
 * Question pages are declared as lists of fields; each page gets ONE zod schema built from them
 * (./schema.ts), used by the server action (authoritative) and by react-hook-form in the browser.
 *
 * Error messages are i18n keys `<ns>:fields.<field>.errors.<code>`, so the same schema serves
 * every language. `codes` lists what a field can produce, so a test can prove every message exists.
 */

export type Values = Record<string, string | undefined>;
export type Answers = Record<string, string>;

interface Common {
  name: string;
  optional?: boolean;
}

export type Field =
  | (Common & {
      kind: "text";
      max?: number;
      pattern?: RegExp;
      check?: (value: string) => boolean;
      normalise?: (value: string) => string;
      autoComplete?: string;
      inputMode?: "text" | "email" | "tel" | "numeric";
      type?: "text" | "email" | "tel" | "password";
      width?: 2 | 3 | 4 | 5 | 10 | 20;
      spellCheck?: boolean;
    })
  | (Common & { kind: "textarea"; max?: number })
  | (Common & { kind: "radios"; options: readonly string[]; conditional?: Record<string, Field[]> })
  | (Common & { kind: "select"; options: readonly string[]; autoComplete?: string })
  | (Common & { kind: "checkbox" })
  | (Common & {
      kind: "date";
      /** Rules relative to today (the applicant's device and the server agree to the day). */
      past?: boolean;
      minAgeYears?: number;
      maxAgeYears?: number;
      autoComplete?: string;
    });

export function codesOf(field: Field): string[] {
  const codes = field.optional ? [] : ["required"];
  switch (field.kind) {
    case "text":
      return [...codes, "tooLong", ...(field.pattern || field.check ? ["invalid"] : [])];
    case "textarea":
      return [...codes, "tooLong"];
    case "date":
      return [
        ...codes,
        "incomplete",
        "invalid",
        ...(field.past ? ["future"] : []),
        ...(field.minAgeYears ? ["tooYoung"] : []),
        ...(field.maxAgeYears ? ["tooOld"] : []),
      ];
    default:
      return codes;
  }
}

/** Every field of a page, conditional ones included, in display order. */
export function flatFields(fields: Field[]): Field[] {
  return fields.flatMap((f) =>
    f.kind === "radios" && f.conditional ? [f, ...Object.values(f.conditional).flat()] : [f],
  );
}

/** Names of the raw form inputs a field posts (a date posts three). */
export function inputNames(field: Field): string[] {
  return field.kind === "date"
    ? [`${field.name}-day`, `${field.name}-month`, `${field.name}-year`]
    : [field.name];
}

/** The element id an error-summary link should focus. */
export const inputId = (field: Field): string => (field.kind === "date" ? `${field.name}-day` : field.name);

const pad = (n: number, size = 2) => String(n).padStart(size, "0");

export function todayIso(now = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function yearsBetween(fromIso: string, toIso: string): number {
  const [fy, fm, fd] = fromIso.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = toIso.split("-").map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

type Check = { code: string } | { value: string | undefined };

function checkDate(field: Extract<Field, { kind: "date" }>, raw: Values, today: string): Check {
  const parts = ["day", "month", "year"].map((p) => (raw[`${field.name}-${p}`] ?? "").trim());
  if (parts.every((p) => p === "")) return field.optional ? { value: undefined } : { code: "required" };
  if (parts.some((p) => p === "")) return { code: "incomplete" };
  if (!parts.every((p) => /^\d+$/.test(p))) return { code: "invalid" };
  const [day, month, year] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 2200 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { code: "invalid" };
  }
  const iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (field.past && iso >= today) return { code: "future" };
  if (field.minAgeYears && yearsBetween(iso, today) < field.minAgeYears) return { code: "tooYoung" };
  if (field.maxAgeYears && yearsBetween(iso, today) > field.maxAgeYears) return { code: "tooOld" };
  return { value: iso };
}

function checkField(field: Field, raw: Values, today: string): Check {
  if (field.kind === "date") return checkDate(field, raw, today);
  // NUL is dropped: no keyboard types it, and PostgreSQL text cannot hold it (a query with it fails).
  const value = (raw[field.name] ?? "").replaceAll("\u0000", "").trim();
  if (value === "") return field.optional ? { value: undefined } : { code: "required" };
  switch (field.kind) {
    case "text": {
      if (value.length > (field.max ?? 100)) return { code: "tooLong" };
      const normalised = field.normalise ? field.normalise(value) : value;
      if (field.pattern && !field.pattern.test(normalised)) return { code: "invalid" };
      if (field.check && !field.check(normalised)) return { code: "invalid" };
      return { value: normalised };
    }
    case "textarea":
      return value.length > (field.max ?? 1000) ? { code: "tooLong" } : { value };
    // An optional choice has no message (codesOf): a value that is none of its options is no answer.
    case "radios":
    case "select":
      return field.options.includes(value)
        ? { value }
        : field.optional
          ? { value: undefined }
          : { code: "required" };
    case "checkbox":
      return value === "yes" ? { value } : field.optional ? { value: undefined } : { code: "required" };
  }
}

/**
 * Validates raw form values against a page's fields, conditional fields only when their option is
 * chosen. Returns normalised answers (dates as YYYY-MM-DD) or error keys by field name.
 */
/** A rule across fields of one page (e.g. "an email or a mobile"), run when each field is valid. */
export type PageRule = (answers: Answers) => Record<string, string>;

export function validateFields(
  ns: string,
  fields: Field[],
  raw: Values,
  today = todayIso(),
  rule?: PageRule,
): { answers: Answers; errors: Record<string, string> } {
  const answers: Answers = {};
  const errors: Record<string, string> = {};
  const visit = (list: Field[]) => {
    for (const field of list) {
      const result = checkField(field, raw, today);
      if ("code" in result) errors[field.name] = `${ns}:fields.${field.name}.errors.${result.code}`;
      else if (result.value !== undefined) answers[field.name] = result.value;
      if (field.kind === "radios" && field.conditional && "value" in result && result.value) {
        visit(field.conditional[result.value] ?? []);
      }
    }
  };
  visit(fields);
  if (rule && Object.keys(errors).length === 0) Object.assign(errors, rule(answers));
  return { answers, errors };
}

/** Stored answers back into raw form values (dates split into day, month, year). */
export function toFormValues(fields: Field[], answers: Answers | undefined): Values {
  const values: Values = {};
  if (!answers) return values;
  for (const field of flatFields(fields)) {
    const value = answers[field.name];
    if (value === undefined) continue;
    if (field.kind === "date") {
      const [year, month, day] = value.split("-");
      values[`${field.name}-day`] = String(Number(day));
      values[`${field.name}-month`] = String(Number(month));
      values[`${field.name}-year`] = year;
    } else {
      values[field.name] = value;
    }
  }
  return values;
}
