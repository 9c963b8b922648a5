import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { decrypt } from "~/.server/crypto.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import {
  completeHelperSignIn,
  HELPER_PENDING_MINUTES,
  pendingHelperSignIn,
} from "~/.server/helper-auth.server";
import { limit } from "~/.server/limits.server";
import { commitSession } from "~/.server/session.server";
import { QuestionForm } from "~/components/form/question-form";
import { Ltr } from "~/components/govuk/ltr";
import { confirmAccountTotp, pendingTotpSetup } from "~/domain/auth/accounts.server";
import { totpFields } from "~/domain/helpers/accounts.pages";
import { totpSchema } from "~/domain/helpers/accounts.schema";
import { totpSetUpState } from "~/domain/helpers/accounts.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["helpers"], titleKey: "helpers:setUp.title" };

/**
 * First sign-in: the second factor is mandatory. The new secret waits (encrypted) in the pending
 * session until a code from it is typed back, so a half-finished set-up changes nothing.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const { session, helperId } = await pendingHelperSignIn(request, lang);
  const account = await totpSetUpState(helperId);
  if (!account) throw redirect(`/${lang}/helpers`);
  if (account.done) throw redirect(`/${lang}/helpers/code`);
  return data(await pendingTotpSetup(session, "helper", account.email), {
    headers: { "Set-Cookie": await commitSession(session, HELPER_PENDING_MINUTES) },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { session, helperId } = await pendingHelperSignIn(request, lang);
  const secretEnc = session.get("totpSetupSecret") as string | undefined;
  if (!secretEnc) throw redirect(`/${lang}/helpers/set-up`);
  const { values } = await readForm(request);
  const parsed = totpSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const tooMany = await limit("helperCodePerClient", context.clientIp);
  if (tooMany) return tooMany;
  const actor = { type: "helper" as const, id: helperId, ip: context.clientIp, requestId: context.requestId };
  const code = parsed.data.totpCode as string;
  if (!(await confirmAccountTotp("helper", helperId, decrypt(secretEnc), code, actor))) {
    return invalid({ totpCode: "helpers:code.wrong" }, {});
  }
  return completeHelperSignIn(request, helperId, lang);
}

export default function HelperTotpSetUp() {
  const { secret, qr } = useLoaderData<typeof loader>();
  const { t } = useTranslation("helpers");
  const { lang } = useParams();
  return (
    <QuestionForm
      page={{ slug: "setUp", fields: totpFields }}
      ns="helpers"
      titleKey="helpers:setUp.title"
      introKey="helpers:setUp.intro"
      values={{}}
      back={`/${lang}/helpers`}
      submitKey="helpers:setUp.submit"
      before={
        <ol className="govuk-list govuk-list--number">
          <li>{t("setUp.step1")}</li>
          <li>
            {t("setUp.step2")}
            <br />
            <img src={qr} alt={t("setUp.qrAlt")} width={200} height={200} />
          </li>
          <li>
            {t("setUp.step3")}{" "}
            <Ltr>
              <code data-testid="totp-secret">{secret}</code>
            </Ltr>
          </li>
          <li>{t("setUp.step4")}</li>
        </ol>
      }
    />
  );
}
