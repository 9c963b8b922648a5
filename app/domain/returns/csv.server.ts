import { parse } from "csv-parse/sync";
import {
  type CsvColumn,
  csvColumns,
  type ReturnLine,
  requiredColumns,
  returnLineSchema,
} from "./returns.schema";

/** The largest returns file accepted (about 150,000 lines). */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;

/** Why a whole file is refused (nothing is stored). */
export type FileProblem =
  | { code: "not_csv" | "not_text" | "no_header" | "no_lines" }
  | { code: "malformed"; line: number }
  | { code: "missing_columns" | "unknown_columns" | "duplicate_columns"; columns: string };

export interface LineError {
  line: number;
  field: CsvColumn;
  code: string;
}

/** A line of the file (numbered as a text editor shows it), valid or with its errors. */
export interface ParsedLine {
  line: number;
  data: ReturnLine | null;
  errors: LineError[];
}

/** The file's text, if it is a CSV file in UTF-8 (a byte order mark is allowed). */
export function decodeCsv(file: {
  name: string;
  type: string;
  bytes: Uint8Array;
}): { ok: true; text: string } | { ok: false; problem: FileProblem } {
  if (!file.name.toLowerCase().endsWith(".csv") && !file.type.startsWith("text/csv"))
    return { ok: false, problem: { code: "not_csv" } };
  // A spreadsheet saved under a .csv name is binary: NUL bytes never occur in text.
  if (file.bytes.includes(0)) return { ok: false, problem: { code: "not_text" } };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(file.bytes) };
  } catch {
    return { ok: false, problem: { code: "not_text" } };
  }
}

type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * Reads a returns CSV: the first line names the columns, each other non-blank line is one return,
 * validated on its own (`returnLineSchema`). A person reference already used by an earlier line
 * is an error, so a file cannot say two things about one person.
 */
export function parseReturnsCsv(
  text: string,
  today: string,
): { ok: true; lines: ParsedLine[] } | { ok: false; problem: FileProblem } {
  let records: CsvRecord[];
  try {
    // `info` gives each record the line it ends on, so lines are numbered as an editor shows them.
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
    }) as unknown as CsvRecord[];
  } catch (error) {
    return { ok: false, problem: { code: "malformed", line: (error as { lines?: number }).lines ?? 1 } };
  }
  const [header, ...rows] = records;
  const names = header?.record.map((n) => n.trim()) ?? [];
  if (!header || names.every((n) => n === "")) return { ok: false, problem: { code: "no_header" } };
  const known = new Set<string>(csvColumns);
  const list = (columns: string[]) => [...new Set(columns)].join(", ");
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) return { ok: false, problem: { code: "unknown_columns", columns: list(unknown) } };
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length) return { ok: false, problem: { code: "duplicate_columns", columns: list(repeated) } };
  const missing = requiredColumns.filter((c) => !names.includes(c));
  if (missing.length) return { ok: false, problem: { code: "missing_columns", columns: list(missing) } };

  const schema = returnLineSchema(today);
  const seen = new Set<string>();
  const lines: ParsedLine[] = [];
  let previousEnd = header.info.lines;
  for (const { record, info } of rows) {
    const line = previousEnd + 1;
    previousEnd = info.lines;
    if (record.every((v) => v.trim() === "")) continue;
    const raw = Object.fromEntries(names.map((name, i) => [name, record[i] ?? ""]));
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({
        line,
        field: i.path[0] as CsvColumn,
        code: i.message,
      }));
      lines.push({ line, data: null, errors });
      continue;
    }
    if (seen.has(parsed.data.personRef)) {
      lines.push({ line, data: null, errors: [{ line, field: "person_ref", code: "duplicate" }] });
      continue;
    }
    seen.add(parsed.data.personRef);
    lines.push({ line, data: parsed.data, errors: [] });
  }
  if (lines.length === 0) return { ok: false, problem: { code: "no_lines" } };
  return { ok: true, lines };
}
