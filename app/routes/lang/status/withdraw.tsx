import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { requireStatusSession } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { QuestionForm } from "~/components/form/question-form";
import { WarningText } from "~/components/govuk/warning-text";
import { loadAccount, withdraw } from "~/domain/status/account.service.server";
import { withdrawFields } from "~/domain/status/status.pages";
import { withdrawSchema } from "~/domain/status/status.schema";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["status"], titleKey: "status:withdraw.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { eoiId, setCookie } = await requireStatusSession(request, context, params.lang as string);
  const account = await loadAccount(eoiId);
  if (!account?.canWithdraw) throw redirect(`/${params.lang}/status/application`);
  return data(null, { headers: { "Set-Cookie": setCookie } });
}

/** Withdrawing is final: a confirmation box must be ticked; the reason is optional. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { eoiId, actor } = await requireStatusSession(request, context, lang);
  const { values } = await readForm(request);
  const parsed = withdrawSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  // A second press (double click, back button) finds it withdrawn already: the status page says so.
  if ((await loadAccount(eoiId))?.canWithdraw) await withdraw(eoiId, parsed.data.withdrawReason, actor);
  return redirect(`/${lang}/status/application`);
}

export default function Withdraw() {
  const { t } = useTranslation("status");
  const { lang } = useParams();
  return (
    <QuestionForm
      page={{ slug: "withdraw", fields: withdrawFields }}
      ns="status"
      titleKey="status:withdraw.title"
      introKey="status:withdraw.intro"
      values={{}}
      back={`/${lang}/status/application`}
      submitKey="status:withdraw.submit"
      before={<WarningText>{t("withdraw.warning")}</WarningText>}
    />
  );
}
