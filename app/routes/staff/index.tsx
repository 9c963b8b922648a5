import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/.server/staff-auth.server";
import { staffSections } from "~/domain/staff/staff.rules";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["staff"], titleKey: "staff:home.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  return { name: staff.name, sections: staffSections(staff.role) };
}

/** The back office's start page: the sections this role may use, each with what it is for. */
export default function StaffHome() {
  const { name, sections } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  return (
    <>
      <h1 className="govuk-heading-l">{t("home.title")}</h1>
      <p className="govuk-body">{t("home.welcome", { name })}</p>
      {sections.length === 0 ? (
        <p className="govuk-body">{t("home.nothingYet")}</p>
      ) : (
        <ul className="govuk-list">
          {sections.map((s) => (
            <li key={s.id}>
              <h2 className="govuk-heading-s govuk-!-margin-bottom-1">
                <Link className="govuk-link" to={s.path}>
                  {t(`layout.sections.${s.id}`)}
                </Link>
              </h2>
              <p className="govuk-body">{t(`home.about.${s.id}`)}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
