import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { requireHelper } from "~/.server/helper-auth.server";
import { Button } from "~/components/govuk/button";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { Table } from "~/components/govuk/table";
import { StatusTag } from "~/components/status-tag";
import { caseload } from "~/domain/helpers/caseload.server";
import { urgency } from "~/domain/helpers/cases.rules";
import { formatDateTime } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";
import { DeadlineTag } from "./deadline";

export const handle = { i18n: ["caseload", "status"], titleKey: "caseload:caseload.title" };

export async function loader({ params, request }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const helper = await requireHelper(request, lang);
  const now = new Date();
  const cases = await caseload(helper.organisationId, now);
  return {
    passwordChanged: new URL(request.url).searchParams.get("done") === "password",
    organisation: helper.organisationName,
    cases: cases.map((c) => ({
      id: c.eoiId,
      reference: c.reference,
      applicantName: c.applicantName,
      status: c.status,
      ledBy: c.assignedHelper.id === helper.id ? null : c.assignedHelper.name,
      next: c.next.key,
      // Formatted here, in Paris time, so the page hydrates as rendered.
      deadline: c.next.deadline ? formatDateTime(c.next.deadline, lang) : null,
      urgency: urgency(c.next.deadline, now),
    })),
  };
}

/** The organisation's cases: who, where each stands, what is next and by when, who leads it. */
export default function Caseload() {
  const { t } = useTranslation(["caseload", "status"]);
  const { lang = "" } = useParams();
  const { cases, passwordChanged } = useLoaderData<typeof loader>();
  return (
    <>
      {passwordChanged && <NotificationBanner type="success" heading={t("caseload.passwordChanged")} />}
      <h1 className="govuk-heading-l">{t("caseload.title")}</h1>
      <p className="govuk-body">{t("caseload.intro")}</p>
      <Button href={`/${lang}/helpers/cases/new`}>{t("caseload.start")}</Button>
      {cases.length === 0 ? (
        <p className="govuk-body">{t("caseload.empty")}</p>
      ) : (
        <Table
          caption={t("caseload.title")}
          className="govuk-!-margin-bottom-6"
          head={["applicant", "reference", "status", "next", "deadline", "ledBy"].map((k) => ({
            text: t(`caseload.${k}`),
          }))}
          firstCellIsHeader
          rows={cases.map((c) => [
            {
              text: (
                <Link className="govuk-link" to={`/${lang}/helpers/cases/${c.id}`}>
                  <Ltr>{c.applicantName}</Ltr>
                </Link>
              ),
            },
            { text: c.reference ? <Ltr>{c.reference}</Ltr> : t("caseload.notSent") },
            { text: <StatusTag status={c.status}>{t(`status:states.${c.status}.title`)}</StatusTag> },
            { text: t(`next.${c.next}`, { date: c.deadline ?? "" }) },
            { text: c.deadline ? <DeadlineTag deadline={c.deadline} urgency={c.urgency} /> : "" },
            { text: c.ledBy ? <Ltr>{c.ledBy}</Ltr> : t("caseload.you") },
          ])}
        />
      )}
    </>
  );
}
