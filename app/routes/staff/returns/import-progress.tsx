import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { BackLink } from "~/components/govuk/back-link";
import { Button, ButtonGroup } from "~/components/govuk/button";
import { InsetText } from "~/components/govuk/inset-text";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { SummaryList } from "~/components/govuk/summary-list";
import { Table } from "~/components/govuk/table";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { isUuid } from "~/domain/cases/cases.rules";
import { confirmImport, discardImport, importView, startReturnImport } from "~/domain/returns/import.server";
import { formatDateTime } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

/**
 * Serves /staff/returns/import/:id: the preview of an uploaded file (counts, the lines with
 * errors, import or discard), then the import's progress and its result. Any member of staff who
 * keeps the register may see and confirm any import, not only the one who uploaded it: the
 * register is a shared record, and a colleague may have to finish a preview left open.
 */
export const handle = { i18n: ["returns", "staff"], titleKey: "returns:progress.title" };

/** The preview lists at most this many errors (a file with thousands is better fixed at source). */
const ERRORS_SHOWN = 500;

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "returns.manage");
  if (!isUuid(params.id)) throw notFound();
  const i = await importView(params.id);
  if (!i) throw notFound();
  const number = new Intl.NumberFormat(staff.lang);
  return {
    id: i.id,
    status: i.status,
    fileName: i.fileName,
    uploaded: formatDateTime(i.createdAt, staff.lang),
    uploadedBy: i.uploadedBy,
    total: i.totalLines,
    processed: i.processed,
    counts: {
      total: number.format(i.totalLines),
      processed: number.format(i.processed),
      added: number.format(i.added),
      updated: number.format(i.updated),
      unchanged: number.format(i.unchanged),
      errorLines: number.format(i.errorLines),
      toImport: number.format(i.added + i.updated),
      errorsShown: number.format(Math.min(i.errors.length, ERRORS_SHOWN)),
      errors: number.format(i.errors.length),
    },
    anythingToImport: i.added + i.updated > 0,
    errors: i.errors.slice(0, ERRORS_SHOWN),
  };
}

/** Confirm (the run starts and the request returns at once) or discard a preview. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "returns.manage");
  if (!isUuid(params.id)) throw notFound();
  const { values } = await readForm(request);
  const actor = staffActor(staff, context);
  if (values.intent === "confirm") {
    if (await confirmImport(params.id, actor)) startReturnImport(params.id, actor);
  } else if (values.intent === "discard") {
    await discardImport(params.id, actor);
  } else {
    throw new Response("Bad request", { status: 400 });
  }
  // A preview already confirmed or discarded (a second tab, a double click) shows where it is now.
  return redirect(`/staff/returns/import/${params.id}`, 303);
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function Counts({ i, preview }: { i: Loaded; preview: boolean }) {
  const { t } = useTranslation(["returns", "staff"]);
  const prefix = preview ? "progress.preview" : "progress.result";
  return (
    <ul className="govuk-list" data-testid="import-counts">
      <li>{t(`${prefix}.added`, { count: i.counts.added })}</li>
      <li>{t(`${prefix}.updated`, { count: i.counts.updated })}</li>
      <li>{t(`${prefix}.unchanged`, { count: i.counts.unchanged })}</li>
      <li>{t(`${prefix}.errors`, { count: i.counts.errorLines })}</li>
    </ul>
  );
}

function Errors({ i }: { i: Loaded }) {
  const { t } = useTranslation(["returns", "staff"]);
  if (i.errors.length === 0) return null;
  return (
    <>
      <h2 className="govuk-heading-m">{t("progress.errors.title")}</h2>
      <p className="govuk-body">{t("progress.errors.intro")}</p>
      {i.counts.errorsShown !== i.counts.errors && (
        <p className="govuk-body">
          {t("progress.errors.shown", { shown: i.counts.errorsShown, total: i.counts.errors })}
        </p>
      )}
      <ScrollRegion label={t("progress.errors.title")}>
        <div data-testid="import-errors">
          <Table
            head={["line", "column", "problem"].map((c) => ({ text: t(`progress.errors.columns.${c}`) }))}
            rows={i.errors.map((e) => [
              { text: e.line, format: "numeric" },
              { text: <code>{e.field}</code> },
              {
                text: t("progress.errors.message", {
                  line: e.line,
                  message: t(`lineErrors.${e.field}.${e.code}`),
                }),
              },
            ])}
          />
        </div>
      </ScrollRegion>
    </>
  );
}

/** While importing, JavaScript asks the server for the progress every second. */
function usePolling(active: boolean) {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(revalidate, 1000);
    return () => clearInterval(timer);
  }, [active, revalidate]);
}

export default function ImportProgress() {
  const i = useLoaderData<typeof loader>();
  const { t } = useTranslation(["returns", "staff"]);
  usePolling(i.status === "importing");
  const facts = (
    <SummaryList
      rows={[
        { key: t("progress.file"), value: i.fileName },
        {
          key: t("progress.uploaded"),
          value: t("progress.uploadedBy", { when: i.uploaded, who: i.uploadedBy }),
        },
        { key: t("progress.lines"), value: i.counts.total },
      ]}
    />
  );

  return (
    <>
      {/* Without JavaScript the page reloads itself while the import runs (with it, usePolling). */}
      {i.status === "importing" && (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      )}
      <BackLink to="/staff/returns/import" />
      {i.status === "imported" && (
        <NotificationBanner type="success" heading={t("progress.done.heading")}>
          <div data-testid="import-done">
            <Counts i={i} preview={false} />
            <p className="govuk-body">
              <Link className="govuk-link govuk-notification-banner__link" to="/staff/returns">
                {t("progress.done.register")}
              </Link>
            </p>
          </div>
        </NotificationBanner>
      )}
      <span className="govuk-caption-l">{t("progress.caption")}</span>
      <h1 className="govuk-heading-l">{t(`progress.titles.${i.status}`)}</h1>
      {facts}

      {i.status === "preview" && (
        <>
          <h2 className="govuk-heading-m">{t("progress.preview.title")}</h2>
          <Counts i={i} preview />
          <Errors i={i} />
          <Form method="post">
            <CsrfInput />
            {i.anythingToImport ? (
              <p className="govuk-body">{t("progress.preview.confirmIntro")}</p>
            ) : (
              <InsetText>{t("progress.preview.nothing")}</InsetText>
            )}
            <ButtonGroup>
              {i.anythingToImport && (
                <Button name="intent" value="confirm" preventDoubleClick id="confirm-import">
                  {t("progress.preview.confirm", { count: i.counts.toImport })}
                </Button>
              )}
              <Button
                name="intent"
                value="discard"
                variant="secondary"
                preventDoubleClick
                id="discard-import"
              >
                {t("progress.preview.discard")}
              </Button>
            </ButtonGroup>
          </Form>
        </>
      )}

      {i.status === "importing" && (
        <div className="govuk-form-group">
          <label className="govuk-label govuk-label--s" htmlFor="import-progress">
            {t("progress.running", { done: i.counts.processed, total: i.counts.total })}
          </label>
          <progress id="import-progress" max={i.total} value={i.processed} />
          <p className="govuk-body govuk-!-margin-top-2">{t("progress.leave")}</p>
        </div>
      )}

      {i.status === "imported" && <Errors i={i} />}

      {i.status === "discarded" && (
        <p className="govuk-body">
          <Link className="govuk-link" to="/staff/returns/import">
            {t("progress.discarded")}
          </Link>
        </p>
      )}
    </>
  );
}
