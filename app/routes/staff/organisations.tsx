import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { QuestionForm } from "~/components/form/question-form";
import { Button } from "~/components/govuk/button";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { Table } from "~/components/govuk/table";
import { type HelperLanguage, organisationFields } from "~/domain/helpers/accounts.pages";
import { organisationSchema } from "~/domain/helpers/accounts.schema";
import {
  DuplicateHelperEmailError,
  DuplicateOrganisationError,
  listOrganisations,
  registerOrganisation,
} from "~/domain/helpers/accounts.server";
import { useTranslation } from "~/i18n/react";

/** Serves /staff/organisations: the NGOs whose helpers may assist applicants, and registering one. */
export const handle = { i18n: ["staff"], titleKey: "staff:organisations.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "organisations.manage");
  const url = new URL(request.url);
  const registering = url.searchParams.get("view") === "register";
  return {
    registering,
    titleKey: registering ? "staff:pages.organisation.title" : "staff:organisations.title",
    registered: url.searchParams.get("done") === "registered",
    organisations: registering ? [] : await listOrganisations(),
  };
}

/** Registers the organisation and invites its coordinator, who then invites their own team. */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "organisations.manage");
  const { values } = await readForm(request);
  const parsed = organisationSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const input = parsed.data as {
    organisationName: string;
    city: string;
    coordinatorName: string;
    coordinatorEmail: string;
    coordinatorLang: HelperLanguage;
  };
  try {
    await registerOrganisation(
      {
        name: input.organisationName,
        city: input.city,
        coordinator: {
          name: input.coordinatorName,
          email: input.coordinatorEmail,
          lang: input.coordinatorLang,
        },
      },
      staffActor(staff, context),
    );
  } catch (error) {
    if (error instanceof DuplicateOrganisationError)
      return invalid({ organisationName: "staff:fields.organisationName.errors.taken" }, values);
    if (error instanceof DuplicateHelperEmailError)
      return invalid({ coordinatorEmail: "staff:fields.coordinatorEmail.errors.taken" }, values);
    throw error;
  }
  return redirect("/staff/organisations?done=registered", 303);
}

export default function Organisations() {
  const { registering, registered, organisations } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");

  if (registering)
    return (
      <QuestionForm
        page={{ slug: "organisation", fields: organisationFields }}
        ns="staff"
        values={{ coordinatorLang: "fr" }}
        back="/staff/organisations"
        submitKey="staff:pages.organisation.submit"
      />
    );

  return (
    <>
      {registered && <NotificationBanner type="success" heading={t("organisations.done.registered")} />}
      <h1 className="govuk-heading-l">{t("organisations.title")}</h1>
      <p className="govuk-body">{t("organisations.intro")}</p>
      <Button href="/staff/organisations?view=register" id="register-organisation">
        {t("organisations.register")}
      </Button>
      {organisations.length === 0 ? (
        <p className="govuk-body">{t("organisations.none")}</p>
      ) : (
        <Table
          caption={t("organisations.caption")}
          captionSize="m"
          firstCellIsHeader
          head={[
            { text: t("organisations.columns.name") },
            { text: t("organisations.columns.city") },
            { text: t("organisations.columns.helpers"), format: "numeric" },
            { text: t("organisations.columns.coordinators") },
          ]}
          rows={organisations.map((o) => [
            { text: o.name },
            { text: o.city },
            { text: o.helpers, format: "numeric" },
            {
              text: o.coordinators.length ? o.coordinators.join(", ") : t("organisations.noCoordinator"),
            },
          ])}
        />
      )}
    </>
  );
}
