import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor, staffLanguageHeader } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { QuestionForm } from "~/components/form/question-form";
import { Button } from "~/components/govuk/button";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { profileFields } from "~/domain/staff/staff.pages";
import { STAFF_PASSWORD_PATH } from "~/domain/staff/staff.rules";
import { profileSchema } from "~/domain/staff/staff.schema";
import { setStaffLanguage, signOutEverywhere } from "~/domain/staff/staff.service.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["staff"], titleKey: "staff:profile.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const passwordChanged = new URL(request.url).searchParams.get("done") === "password";
  return { lang: staff.lang, email: staff.email, passwordChanged };
}

/**
 * The profile: the back office's language, changing one's password (its own page), and "sign out
 * everywhere" (a lost phone or laptop).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const { values } = await readForm(request);
  const actor = staffActor(staff, context);
  if (values.intent === "signOutEverywhere") {
    await signOutEverywhere(staff.id, actor);
    return redirect("/staff/sign-in?signedOut=1");
  }
  const { intent: _intent, ...fields } = values;
  const parsed = profileSchema().safeParse(fields);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
  const lang = parsed.data.lang as "en" | "fr";
  await setStaffLanguage(staff.id, lang, actor);
  return redirect("/staff/profile", { headers: { "Set-Cookie": staffLanguageHeader(lang) } });
}

export default function StaffProfile() {
  const { lang, email, passwordChanged } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  return (
    <>
      {passwordChanged && <NotificationBanner type="success" heading={t("password.changed")} />}
      <QuestionForm
        page={{ slug: "profile", fields: profileFields }}
        ns="staff"
        titleKey="staff:profile.title"
        values={{ lang }}
        submitKey="staff:profile.save"
        hidden={{ intent: "language" }}
        before={<p className="govuk-body">{t("profile.signedInAs", { email })}</p>}
      />
      <h2 className="govuk-heading-m">{t("profile.password.title")}</h2>
      <p className="govuk-body">
        <Link className="govuk-link" to={STAFF_PASSWORD_PATH}>
          {t("profile.password.link")}
        </Link>
      </p>
      <h2 className="govuk-heading-m">{t("profile.everywhere.title")}</h2>
      <p className="govuk-body">{t("profile.everywhere.body")}</p>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="signOutEverywhere" />
        <Button variant="warning" type="submit">
          {t("profile.everywhere.submit")}
        </Button>
      </Form>
    </>
  );
}
