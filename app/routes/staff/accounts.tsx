import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { Button } from "~/components/govuk/button";
import { Table } from "~/components/govuk/table";
import { Tag } from "~/components/govuk/tag";
import { isUuid } from "~/domain/cases/cases.rules";
import {
  disableStaffAccount,
  listStaffAccounts,
  resetAuthenticator,
} from "~/domain/staff/staff.service.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["staff"], titleKey: "staff:accounts.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "staff.manage");
  return { accounts: await listStaffAccounts(), me: staff.id };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "staff.manage");
  const { values } = await readForm(request);
  // Never on one's own account: another admin must do it. What is not an account id names none
  // (PostgreSQL would refuse the query).
  if (isUuid(values.disable) && values.disable !== staff.id) {
    await disableStaffAccount(values.disable, staffActor(staff, context));
  }
  if (isUuid(values.resetAuthenticator) && values.resetAuthenticator !== staff.id) {
    await resetAuthenticator(values.resetAuthenticator, staffActor(staff, context));
  }
  return redirect("/staff/accounts");
}

const stateColour = { active: "green", awaitingMfa: "yellow", locked: "red", disabled: "grey" } as const;

export default function StaffAccounts() {
  const { accounts, me } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  return (
    <>
      <h1 className="govuk-heading-l">{t("accounts.title")}</h1>
      <Button href="/staff/accounts/new">{t("accounts.create")}</Button>
      <Table
        caption={t("accounts.caption")}
        captionSize="m"
        head={["name", "email", "role", "lang", "state", "actions"].map((c) => ({
          text: t(`accounts.columns.${c}`),
        }))}
        rows={accounts.map((a) => [
          { text: a.name },
          { text: a.email },
          { text: t(`roles.${a.role}`) },
          { text: t(`languages.${a.lang}`) },
          { text: <Tag colour={stateColour[a.state]}>{t(`accounts.states.${a.state}`)}</Tag> },
          {
            text:
              a.state === "disabled" || a.id === me ? null : (
                <Form method="post">
                  <CsrfInput />
                  {a.state === "active" && (
                    <button
                      type="submit"
                      name="resetAuthenticator"
                      value={a.id}
                      className="app-link-button govuk-link app-inline-form"
                    >
                      {t("accounts.resetAuthenticator")}
                      <span className="govuk-visually-hidden"> {a.name}</span>
                    </button>
                  )}
                  <button type="submit" name="disable" value={a.id} className="app-link-button govuk-link">
                    {t("accounts.disable")}
                    <span className="govuk-visually-hidden"> {a.name}</span>
                  </button>
                </Form>
              ),
          },
        ])}
      />
    </>
  );
}
