import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditFilterExtraCodes, auditFilterFields } from "~/domain/audit/audit-search.pages";
import {
  type AuditEntry,
  auditCsvColumns,
  auditCsvRow,
  csvCell,
  detailsSummary,
  filterQuery,
  parseAuditQuery,
  toCsv,
} from "~/domain/audit/audit-search.server";
import { generateReference } from "~/domain/eoi/reference";
import { codesOf, flatFields } from "~/domain/forms/fields";
import { repoRoot } from "../../support/test-env";

describe("CSV cells (RFC 4180)", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    [null, ""],
    [undefined, ""],
    [42, "42"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["crlf\r\nline", '"crlf\r\nline"'],
    ["Amina Haddad", "Amina Haddad"],
    ["عربي", "عربي"],
  ] as const)("%j is written %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("ends every record with CRLF, including the last", () => {
    expect(
      toCsv([
        ["id", "name"],
        [1, "a,b"],
      ]),
    ).toBe('id,name\r\n1,"a,b"\r\n');
    expect(toCsv([])).toBe("");
  });
});

describe("spreadsheet formula injection", () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', '"\'=HYPERLINK(""http://evil"",""x"")"'],
    ["=1+1", "'=1+1"],
    ["+33612345678", "'+33612345678"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", '"\'\rcmd"'],
    ["a=1", "a=1"],
    [" =1", " =1"],
  ])("%j is written %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("leaves numbers alone (a number is never a formula)", () => {
    expect(csvCell(-5)).toBe("-5");
  });
});

describe("audit rows in the export", () => {
  const entry: AuditEntry = {
    id: 7,
    at: new Date("2026-03-01T13:05:09.000Z"),
    actor: { type: "staff", id: "s-1", name: "=Camille", email: "camille@staff.test" },
    onBehalfOf: null,
    action: "status.selected",
    subject: { type: "eoi", id: "e-1", label: "K7QM-2XHD-9R" },
    ip: "127.0.0.1",
    requestId: "req-1",
    details: { from: "under_review", note: 'a "quoted", text' },
  };

  it("has one cell per column, times in UTC and in Paris, details as JSON", () => {
    const row = auditCsvRow(entry);
    expect(row).toHaveLength(auditCsvColumns.length);
    const cell = (c: (typeof auditCsvColumns)[number]) => row[auditCsvColumns.indexOf(c)];
    expect(cell("atUtc")).toBe("2026-03-01T13:05:09.000Z");
    expect(cell("atParis")).toBe("2026-03-01 14:05:09");
    expect(cell("subjectLabel")).toBe("K7QM-2XHD-9R");
    expect(JSON.parse(String(cell("details")))).toEqual(entry.details);
    const csv = toCsv([row]);
    expect(csv).toContain(",'=Camille,");
    expect(csv).toContain('"{""from"":""under_review"",""note"":""a \\""quoted\\"", text""}"');
  });

  it("sums up details on one line for the page", () => {
    expect(detailsSummary({ from: "under_review", reason: null, changes: { cap: [1, 2] } })).toBe(
      'from: under_review; changes: {"cap":[1,2]}',
    );
    expect(detailsSummary({ text: "x".repeat(500) }).length).toBe(200);
  });
});

describe("audit filters", () => {
  /** As the posted form is read: every filter from it. */
  const parse = (query: string) => {
    const params = new URLSearchParams(query);
    return parseAuditQuery(params, Object.fromEntries(params));
  };

  it("accepts no filters at all", () => {
    expect(parse("")).toEqual({ ok: true, values: {}, filters: {} });
  });

  it("normalises what people type, and keeps the page cursor", () => {
    const reference = generateReference();
    const typed = reference.toLowerCase().replaceAll("-", " ");
    const result = parse(
      `caseReference=${encodeURIComponent(typed)}&staffEmail=Camille@Staff.TEST&action=Status.&from-day=1&from-month=3&from-year=2026&to-day=31&to-month=3&to-year=2026&after=120&unknown=1`,
    );
    expect(result).toMatchObject({
      ok: true,
      filters: {
        caseReference: reference,
        staffEmail: "camille@staff.test",
        action: "status.",
        from: "2026-03-01",
        to: "2026-03-31",
      },
      after: 120,
    });
  });

  // One character changed: the check character catches it.
  const valid = generateReference();
  const mistyped = `${valid.slice(0, -1)}${valid.endsWith("A") ? "B" : "A"}`;

  it.each([
    [`caseReference=${mistyped}`, { caseReference: "invalid" }],
    ["caseReference=ABCD", { caseReference: "invalid" }],
    ["staffEmail=not-an-email", { staffEmail: "invalid" }],
    ["action=DROP TABLE", { action: "invalid" }],
    ["action=status.%25", { action: "invalid" }],
    ["subjectType=Eoi!", { subjectType: "invalid" }],
    ["from-day=1&from-month=3", { from: "incomplete" }],
    ["to-day=31&to-month=2&to-year=2026", { to: "invalid" }],
    ["from-day=2&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026", { to: "beforeFrom" }],
  ])("%s is refused with %o", (query, codes) => {
    const result = parse(query);
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : result.errors).toEqual(
      Object.fromEntries(
        Object.entries(codes).map(([field, code]) => [field, `backoffice:fields.${field}.errors.${code}`]),
      ),
    );
  });

  it("ignores a cursor that is not a positive whole number", () => {
    expect(parse("after=-1")).toEqual({ ok: true, values: {}, filters: {} });
    expect(parse("after=abc")).toEqual({ ok: true, values: {}, filters: {} });
  });

  it("writes the filters back as a query string, without empty ones", () => {
    expect(filterQuery({ action: "status.", subjectId: "", from: undefined }, { after: "9" })).toBe(
      "?action=status.&after=9",
    );
    expect(filterQuery({})).toBe("");
  });

  it("never reads or writes a case reference or an email in a URL: the saved search holds them", () => {
    const reference = generateReference();
    const url = new URLSearchParams(
      `caseReference=${reference}&staffEmail=camille@staff.test&action=status.`,
    );
    expect(parseAuditQuery(url)).toMatchObject({ ok: true, filters: { action: "status." } });
    expect(parseAuditQuery(url, { staffEmail: "avery@staff.test" })).toMatchObject({
      ok: true,
      filters: { action: "status.", staffEmail: "avery@staff.test" },
    });
    expect(
      filterQuery(
        { caseReference: reference, staffEmail: "camille@staff.test", action: "status." },
        { search: "id" },
      ),
    ).toBe("?action=status.&search=id");
  });

  it.each(["en", "fr", "ar"])("%s has a label and a message for every error a filter can give", (lang) => {
    const locale = JSON.parse(readFileSync(join(repoRoot, "locales", lang, "backoffice.json"), "utf8")) as {
      fields: Record<string, { label?: unknown; errors?: Record<string, unknown> }>;
    };
    const filled = (value: unknown) => typeof value === "string" && value.trim() !== "";
    const missing = flatFields(auditFilterFields).flatMap((field) => [
      ...(filled(locale.fields[field.name]?.label) ? [] : [`${field.name}.label`]),
      ...[...codesOf(field), ...(auditFilterExtraCodes[field.name] ?? [])]
        .filter((code) => !filled(locale.fields[field.name]?.errors?.[code]))
        .map((code) => `${field.name}.errors.${code}`),
    ]);
    expect(missing).toEqual([]);
  });
});
