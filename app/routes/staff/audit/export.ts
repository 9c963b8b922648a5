import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { fixedT } from "~/.server/i18n.server";
import { savedSearch } from "~/.server/saved-search.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import {
  AUDIT_EXPORT_MAX,
  auditCsvColumns,
  auditCsvRow,
  exportAudit,
  parseAuditQuery,
  toCsv,
} from "~/domain/audit/audit-search.server";
import { parisDay } from "~/domain/windows/windows.rules";

/**
 * The audit log as CSV, with the search page's filters: every matching row, newest first, up to
 * AUDIT_EXPORT_MAX (50,000; the search page says so, and the X-Export-Truncated header tells a
 * script). Headings are in the auditor's language; a byte-order mark makes spreadsheet programs
 * read it as UTF-8. The export is recorded in the audit log with its filters and row count.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "audit.export");
  const url = new URL(request.url);
  const saved = await savedSearch(request, "audit");
  const parsed = parseAuditQuery(url.searchParams, saved?.terms);
  // Filters that do not hold up (or a search this session does not have) go back to the search
  // page, which explains what is wrong.
  if (!saved || !parsed.ok) return redirect(`/staff/audit${url.search}`, 303);
  const result = await exportAudit(parsed.filters, staffActor(staff, context), AUDIT_EXPORT_MAX);
  if (!result.ok) return redirect(`/staff/audit${url.search}`, 303);
  const t = await fixedT(staff.lang, "backoffice");
  const csv = toCsv([auditCsvColumns.map((c) => t(`audit.csv.${c}`)), ...result.entries.map(auditCsvRow)]);
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${parisDay(new Date())}.csv"`,
      "Cache-Control": "no-store",
      "X-Export-Rows": String(result.entries.length),
      "X-Export-Truncated": String(result.truncated),
    },
  });
}
