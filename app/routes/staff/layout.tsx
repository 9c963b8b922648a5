import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Outlet, useLocation, useRouteError } from "@remix-run/react";
import { currentStaff } from "~/.server/staff-auth.server";
import { StaffChrome } from "~/components/staff/staff-chrome";
import { staffSections } from "~/domain/staff/staff.rules";
import { useTranslation } from "~/i18n/react";

import staffStyles from "~/styles/staff.css";

export const handle = { i18n: ["staff"] };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: staffStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await currentStaff(request);
  return {
    staff: staff && { name: staff.name, role: staff.role, lang: staff.lang },
    // Nothing to reach until an administrator's initial password is changed.
    sections: staff && !staff.mustChangePassword ? staffSections(staff.role) : [],
  };
}

export default function StaffLayout() {
  // Keyed by the query too: the list a filter form (queue, audit log) redirects to, or "clear
  // filters", shows exactly what the URL says, as it does without JavaScript.
  const { pathname, search } = useLocation();
  return (
    <StaffChrome>
      <Outlet key={pathname + search} />
    </StaffChrome>
  );
}

/** A refused or missing page inside the back office keeps the back office's frame and language. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation("common");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 404 ? "notFound" : status === 403 ? "forbidden" : "serverError";
  return (
    <StaffChrome>
      <h1 className="govuk-heading-l">{t(`errors.${key}.title`)}</h1>
      <p className="govuk-body">{t(`errors.${key}.body`)}</p>
    </StaffChrome>
  );
}
