import { data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { requireDraft } from "~/.server/applicant.server";
import { Ltr } from "~/components/govuk/ltr";
import { Panel } from "~/components/govuk/panel";
import { answersOf, PRESENCE_LINK_HOURS } from "~/domain/eoi/eoi.pages";
import { maskContact } from "~/domain/notifications/mask";
import { useTranslation } from "~/i18n/react";

// Text and links only: sent without scripts when loaded as a document (root.tsx).
export const handle = { i18n: ["journey"], titleKey: "journey:confirmation.title", hydrate: false };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { draft, setCookie } = await requireDraft(request, context, params.lang as string);
  if (draft.status === "draft") throw redirect(`/${params.lang}/apply/tasks`);
  return data(
    {
      reference: draft.reference as string,
      familyReference:
        answersOf(draft.answers, "applying-with")?.familyRole === "main" ? draft.familyReference : null,
      sentTo: maskContact(draft.contact),
    },
    { headers: { "Set-Cookie": setCookie } },
  );
}

export default function Confirmation() {
  const { t } = useTranslation("journey");
  const { lang = "" } = useParams();
  const { reference, familyReference, sentTo } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Panel title={t("confirmation.title")}>
          {t("confirmation.referenceLabel")}
          <br />
          <strong data-testid="reference">
            <Ltr>{reference}</Ltr>
          </strong>
        </Panel>
        <p className="govuk-body">
          {t("confirmation.sentTo")} <Ltr>{sentTo.join(", ")}</Ltr>
        </p>
        {familyReference && (
          <>
            <h2 className="govuk-heading-m">{t("confirmation.familyTitle")}</h2>
            <p className="govuk-body">
              {t("confirmation.familyReferenceLabel")}{" "}
              <strong data-testid="family-reference">
                <Ltr>{familyReference}</Ltr>
              </strong>
            </p>
            <p className="govuk-body">{t("confirmation.familyExplain")}</p>
          </>
        )}
        <h2 className="govuk-heading-m">{t("confirmation.nextTitle")}</h2>
        <p className="govuk-body">{t("confirmation.presence", { hours: PRESENCE_LINK_HOURS })}</p>
        <p className="govuk-body">{t("confirmation.wait")}</p>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/${lang}/status`}>
            {t("confirmation.statusLink")}
          </Link>
        </p>
      </div>
    </div>
  );
}
