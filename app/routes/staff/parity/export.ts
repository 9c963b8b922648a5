import type { LoaderFunctionArgs } from "@remix-run/node";
import { fixedT } from "~/.server/i18n.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { toCsv } from "~/domain/audit/audit-search.server";
import { parityColumns, parityCsvRow } from "~/domain/parity/parity.rules";
import { exportParity } from "~/domain/parity/parity.server";
import { parisDay } from "~/domain/windows/windows.rules";

/**
 * The dashboard's weekly table as CSV: headings in the staff member's language, weeks as ISO
 * dates (Monday, Paris), plain numbers. A byte-order mark makes spreadsheet programs read UTF-8.
 * The export is recorded in the audit log.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "parity.view");
  const now = new Date();
  const weeks = await exportParity(staffActor(staff, context), now);
  const t = await fixedT(staff.lang, "parity");
  const csv = toCsv([parityColumns.map((c) => t(`columns.${c}`)), ...weeks.map(parityCsvRow)]);
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="parity-${parisDay(now)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
