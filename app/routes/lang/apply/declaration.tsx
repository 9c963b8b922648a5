import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useParams } from "@remix-run/react";
import { requireDraft, requireDraftSession } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { rateLimitHit, tooMany } from "~/.server/limits.server";
import { QuestionForm } from "~/components/form/question-form";
import { WarningText } from "~/components/govuk/warning-text";
import { declarationFields, isComplete } from "~/domain/eoi/eoi.pages";
import { declarationSchema } from "~/domain/eoi/eoi.schema";
import { submitEoi } from "~/domain/eoi/eoi.service.server";
import { formatDate } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["apply", "journey"], titleKey: "journey:declaration.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { draft, setCookie } = await requireDraft(request, context, params.lang as string);
  if (draft.status !== "draft") throw redirect(`/${params.lang}/apply/confirmation`);
  if (!isComplete(draft.answers)) throw redirect(`/${params.lang}/apply/tasks`);
  return data(null, { headers: { "Set-Cookie": setCookie } });
}

/**
 * Declaration and submit. Idempotent: a double click or a retried request finds the application
 * already submitted and lands on the same confirmation.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  // The session alone: the submission reads the draft itself, locked.
  const { eoiId, actor } = await requireDraftSession(request, context, lang);
  const { values } = await readForm(request);
  const parsed = declarationSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const result = await submitEoi(eoiId, actor, new Date(), {
    rateLimit: rateLimitHit("submitPerClient", context.clientIp),
  });
  if (result.ok) return redirect(`/${lang}/apply/confirmation`, 303);
  if (result.error === "too-many") return tooMany(result.retryAfter);
  if (result.error === "not-found") return redirect(`/${lang}/apply/resume`);
  if (result.error === "incomplete") return redirect(`/${lang}/apply/tasks`);
  // Outside a window, or a family reference that does not fit: nothing is lost, the draft stays.
  return data(
    { problem: result.error, opensAt: result.opensAt?.toISOString() ?? null, errors: {}, values },
    { status: 409 },
  );
}

export default function Declaration() {
  const { t } = useTranslation("journey");
  const { lang = "" } = useParams();
  const problem = useActionData<{ problem?: string; opensAt?: string | null }>();
  return (
    <QuestionForm
      page={{ slug: "declaration", fields: declarationFields }}
      titleKey="journey:declaration.title"
      introKey="journey:declaration.intro"
      values={{}}
      back={`/${lang}/apply/check`}
      submitKey="journey:declaration.submit"
    >
      {problem?.problem && (
        <WarningText>
          {problem.problem === "window-closed"
            ? problem.opensAt
              ? t("declaration.windowClosedNext", { date: formatDate(problem.opensAt, lang) })
              : t("declaration.windowClosed")
            : t(`declaration.${problem.problem}`)}{" "}
          {problem.problem.startsWith("family") && (
            <Link className="govuk-link" to={`/${lang}/apply/q/family-reference?from=check`}>
              {t("declaration.changeFamilyReference")}
            </Link>
          )}
        </WarningText>
      )}
    </QuestionForm>
  );
}
