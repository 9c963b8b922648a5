import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { startPendingHelperSignIn } from "~/.server/helper-auth.server";
import { limit } from "~/.server/limits.server";
import { QuestionForm } from "~/components/form/question-form";
import { Ltr } from "~/components/govuk/ltr";
import { SummaryList } from "~/components/govuk/summary-list";
import { newPasswordFields, newPasswordRule } from "~/domain/helpers/accounts.pages";
import { newPasswordSchema } from "~/domain/helpers/accounts.schema";
import { acceptInvite, invitation } from "~/domain/helpers/accounts.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["helpers"], titleKey: "helpers:invite.title" };

/** Used, expired or never issued: the same page, with a 404 status. */
const unusable = () => data({ invite: null, titleKey: "helpers:invite.invalid.title" }, { status: 404 });

export async function loader({ params }: LoaderFunctionArgs) {
  const invite = await invitation(params.token as string);
  return invite ? { invite, titleKey: "helpers:invite.title" } : unusable();
}

/**
 * The invited person chooses their password; the link then stops working, and they go straight
 * on to set up their authenticator (a pending sign-in: the password has just been proved).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const token = params.token as string;
  const { values } = await readForm(request);
  if (!(await invitation(token))) return unusable();
  const parsed = newPasswordSchema().safeParse(values);
  // Passwords are never sent back to the page.
  if (!parsed.success) return invalid(fieldErrors(parsed.error), {});
  const tooMany = await limit("helperInvitePerClient", context.clientIp);
  if (tooMany) return tooMany;
  const actor = { type: "helper" as const, ip: context.clientIp, requestId: context.requestId };
  const helperId = await acceptInvite(token, parsed.data.newPassword as string, actor);
  if (!helperId) return unusable();
  const cookie = await startPendingHelperSignIn(request, helperId);
  return redirect(`/${lang}/helpers/set-up`, { headers: { "Set-Cookie": cookie } });
}

export default function AcceptInvitation() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<{ invite?: null }>();
  const { t } = useTranslation("helpers");
  const { lang } = useParams();
  // An action answering "unusable" wins over the page loaded before it (the link was just used).
  const invite = actionData?.invite === null ? null : loaded.invite;
  if (!invite)
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{t("invite.invalid.title")}</h1>
          <p className="govuk-body">{t("invite.invalid.body")}</p>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/${lang}/helpers`}>
              {t("invite.invalid.signIn")}
            </Link>
          </p>
        </div>
      </div>
    );
  return (
    <QuestionForm
      page={{ slug: "invite", fields: newPasswordFields }}
      rule={newPasswordRule}
      ns="helpers"
      titleKey="helpers:invite.title"
      introKey="helpers:invite.intro"
      values={{}}
      submitKey="helpers:invite.submit"
      before={
        <SummaryList
          rows={[
            { key: t("invite.name"), value: <Ltr>{invite.name}</Ltr> },
            { key: t("invite.email"), value: <Ltr>{invite.email}</Ltr> },
            { key: t("invite.organisation"), value: <Ltr>{invite.organisation}</Ltr> },
          ]}
        />
      }
    />
  );
}
