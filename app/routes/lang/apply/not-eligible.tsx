import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["journey"], titleKey: "journey:notEligible.title" };

const reasons = ["not-in-france", "under-18", "no-document", "eea"] as const;

export async function loader({ params }: LoaderFunctionArgs) {
  const reason = reasons.find((r) => r === params.reason);
  if (!reason) throw new Response("Not found", { status: 404 });
  return { reason };
}

/** Why they cannot apply, in plain words, and what else they can do (nothing was stored). */
export default function NotEligible() {
  const { t } = useTranslation("journey");
  const { lang = "" } = useParams();
  const { reason } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{t("notEligible.title")}</h1>
        <p className="govuk-body">{t(`notEligible.reasons.${reason}.why`)}</p>
        <h2 className="govuk-heading-m">{t("notEligible.otherTitle")}</h2>
        <p className="govuk-body">{t(`notEligible.reasons.${reason}.other`)}</p>
        <p className="govuk-body">{t("notEligible.help")}</p>
        <p className="govuk-body">{t("notEligible.nothingKept")}</p>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/${lang}/apply/eligibility/in-france`}>
            {t("notEligible.restart")}
          </Link>
        </p>
      </div>
    </div>
  );
}
