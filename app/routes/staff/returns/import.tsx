import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { FileUpload } from "~/components/govuk/file-upload";
import { Table } from "~/components/govuk/table";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { type FileProblem, MAX_CSV_BYTES } from "~/domain/returns/csv.server";
import { previewImport, recentImports } from "~/domain/returns/import.server";
import { csvColumns, requiredColumns } from "~/domain/returns/returns.schema";
import { formatDateTime } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["returns", "staff"], titleKey: "returns:import.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "returns.manage");
  const number = new Intl.NumberFormat(staff.lang);
  return {
    columns: csvColumns.map((name) => ({ name, required: requiredColumns.includes(name) })),
    mb: number.format(MAX_CSV_BYTES / 1024 / 1024),
    recent: (await recentImports()).map((i) => ({
      id: i.id,
      fileName: i.fileName,
      status: i.status,
      lines: number.format(i.totalLines),
      uploaded: formatDateTime(i.createdAt, staff.lang),
      uploadedBy: i.uploadedBy,
    })),
  };
}

type ActionData = { errors: { file: string }; params: { line?: number; columns?: string; mb: number } };

/** Upload: the file is checked and compared with the register, then its preview is shown. */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "returns.manage");
  const failed = (problem: FileProblem | { code: "required" | "empty" | "too_large" }) => {
    const { code, ...params } = problem;
    return data<ActionData>(
      {
        errors: { file: `returns:import.errors.${code}` },
        params: { ...params, mb: MAX_CSV_BYTES / 1024 / 1024 },
      },
      { status: 422 },
    );
  };
  const { files, tooLarge } = await readForm(request, { maxFileBytes: MAX_CSV_BYTES });
  if (tooLarge) return failed({ code: "too_large" });
  const file = files.file;
  if (!file) return failed({ code: "required" });
  if (file.size === 0) return failed({ code: "empty" });
  const result = await previewImport(
    { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) },
    staffActor(staff, context),
  );
  if (!result.ok) return failed(result.problem);
  return redirect(`/staff/returns/import/${result.id}`, 303);
}

export default function ImportReturns() {
  const { columns, mb, recent } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const { t } = useTranslation(["returns", "staff"]);
  const error = actionData ? t(actionData.errors.file, actionData.params) : undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/staff/returns" />
        <ErrorSummary errors={error ? [{ href: "#file", text: error }] : []} focusKey={actionData} />
        <h1 className="govuk-heading-l">{t("import.title")}</h1>
        <p className="govuk-body">{t("import.intro")}</p>
        <h2 className="govuk-heading-m">{t("import.format.title")}</h2>
        <p className="govuk-body">{t("import.format.header")}</p>
        <Table
          caption={t("import.format.caption")}
          captionSize="s"
          firstCellIsHeader
          head={["name", "contents", "required"].map((c) => ({ text: t(`import.format.columns.${c}`) }))}
          rows={columns.map((c) => [
            { text: <code>{c.name}</code> },
            { text: t(`import.format.contents.${c.name}`) },
            { text: t(c.required ? "import.format.required" : "import.format.optional") },
          ])}
        />
        <p className="govuk-body">{t("import.format.rules")}</p>
        <p className="govuk-body">{t("import.format.again")}</p>
        <Form method="post" encType="multipart/form-data">
          <CsrfInput />
          <FileUpload
            name="file"
            label={t("import.file.label")}
            hint={t("import.file.hint", { mb })}
            error={error}
            accept=".csv,text/csv"
          />
          <Button preventDoubleClick>{t("import.submit")}</Button>
        </Form>
      </div>
      {recent.length > 0 && (
        <div className="govuk-grid-column-full">
          <ScrollRegion label={t("import.recent.caption")}>
            <Table
              caption={t("import.recent.caption")}
              captionSize="m"
              head={["file", "status", "lines", "uploaded", "uploadedBy"].map((c) => ({
                text: t(`import.recent.columns.${c}`),
                ...(c === "lines" && { format: "numeric" as const }),
              }))}
              rows={recent.map((i) => [
                {
                  text: (
                    <Link className="govuk-link" to={`/staff/returns/import/${i.id}`}>
                      {i.fileName}
                    </Link>
                  ),
                },
                { text: t(`import.statuses.${i.status}`) },
                { text: i.lines, format: "numeric" },
                { text: i.uploaded },
                { text: i.uploadedBy },
              ])}
            />
          </ScrollRegion>
        </div>
      )}
    </div>
  );
}
