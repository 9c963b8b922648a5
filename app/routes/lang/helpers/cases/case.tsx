import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { HELPER_IDLE_MINUTES, helperActor, requireHelperCase } from "~/.server/helper-auth.server";
import { languageInfo } from "~/.server/i18n.server";
import { commitSession, getSession } from "~/.server/session.server";
import { CsrfInput } from "~/components/form/csrf-input";
import type { FormActionData } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { Button, ButtonGroup } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { Radios } from "~/components/govuk/radios";
import { SummaryList } from "~/components/govuk/summary-list";
import { WarningText } from "~/components/govuk/warning-text";
import { StatusTag } from "~/components/status-tag";
import { activeColleagues, caseSummary, handOver, recordCaseOpened } from "~/domain/helpers/caseload.server";
import { allowedIntents, isCaseIntent, urgency } from "~/domain/helpers/cases.rules";
import { handOverSchema } from "~/domain/helpers/cases.schema";
import { formatDateTime } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";
import { DeadlineTag } from "./deadline";

export const handle = { i18n: ["caseload", "status"], titleKey: "caseload:case.title" };

const notFound = () => new Response("Not found", { status: 404 });

/** The case, only while the organisation holds the applicant's consent (404 otherwise), and who could take it over. */
async function loadCase(request: Request, lang: string, id: string | undefined) {
  const helper = await requireHelperCase(request, lang, id);
  const view = await caseSummary(helper.organisationId, id as string);
  if (!view) throw notFound();
  const colleagues = (await activeColleagues(helper.organisationId)).filter(
    (c) => c.id !== view.assignedHelper.id,
  );
  return { helper, view, colleagues };
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const { helper, view, colleagues } = await loadCase(request, lang, params.id);
  const now = new Date();
  const consentLanguage = languageInfo(view.consent.lang);
  return {
    reference: view.reference,
    applicantName: view.applicantName,
    status: view.status,
    next: view.next.key,
    // Formatted here, in Paris time, so the page hydrates as rendered.
    deadline: view.next.deadline ? formatDateTime(view.next.deadline, lang) : null,
    urgency: urgency(view.next.deadline, now),
    ledBy: view.assignedHelper.id === helper.id ? null : view.assignedHelper.name,
    consent: {
      givenAt: formatDateTime(view.consent.givenAt, lang),
      method: view.consent.method,
      language: consentLanguage,
      recordedBy: view.consent.recordedBy,
    },
    intents: allowedIntents(view.status),
    colleagues,
    handedOver: new URL(request.url).searchParams.get("done") === "handed-over",
  };
}

const opens = { continue: "/apply/tasks", status: "/status/application", appointments: "/appointments" };
const openKeys = {
  continue: "case.openContinue",
  status: "case.openStatus",
  appointments: "case.openAppointments",
};

/**
 * Opening the application, status or booking pages for the applicant (the shared journey reads
 * the case from the session, re-checking consent on every request), or handing the case over.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { helper, view, colleagues } = await loadCase(request, lang, params.id);
  const { values } = await readForm(request);
  const { intent, ...fields } = values;
  if (!isCaseIntent(intent) || !allowedIntents(view.status).includes(intent))
    throw new Response("Bad request", { status: 400 });
  const actor = helperActor(helper, context, view.eoiId);
  if (intent === "hand-over") {
    const parsed = handOverSchema(colleagues.map((c) => c.id)).safeParse(fields);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
    const { colleague } = parsed.data as { colleague: string };
    if (!(await handOver(helper.organisationId, view.eoiId, colleague, actor)))
      return invalid({ colleague: "caseload:fields.colleague.errors.required" }, fields);
    return redirect(`/${lang}/helpers/cases/${view.eoiId}?done=handed-over`, 303);
  }
  await recordCaseOpened(view.eoiId, intent, actor);
  const session = await getSession(request);
  session.set("eoiId", view.eoiId);
  session.set("statusEoiId", view.eoiId);
  session.unset("pendingConsent");
  return redirect(`/${lang}${opens[intent]}`, {
    status: 303,
    headers: { "Set-Cookie": await commitSession(session, HELPER_IDLE_MINUTES) },
  });
}

const presenceSteps = new Set(["confirmLocation", "linkExpired", "newLink"]);

/** One case: where it stands, what is next, who leads it, the consent, and what the helper can open. */
export default function Case() {
  const { t } = useTranslation(["caseload", "status"]);
  const { lang = "" } = useParams();
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<FormActionData>();
  const error = actionData?.errors?.colleague ? t(actionData.errors.colleague) : undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/${lang}/helpers/cases`}>{t("case.back")}</BackLink>
        <ErrorSummary errors={error ? [{ href: "#colleague", text: error }] : []} focusKey={actionData} />
        {view.handedOver && (
          <NotificationBanner type="success">
            {t("case.handedOver", { name: view.ledBy ?? t("caseload.you") })}
          </NotificationBanner>
        )}
        <span className="govuk-caption-l">
          {t("case.reference")} {view.reference ? <Ltr>{view.reference}</Ltr> : t("caseload.notSent")}
        </span>
        <h1 className="govuk-heading-l">
          <Ltr>{view.applicantName}</Ltr>
        </h1>
        <SummaryList
          rows={[
            {
              key: t("case.status"),
              value: <StatusTag status={view.status}>{t(`status:states.${view.status}.title`)}</StatusTag>,
            },
            { key: t("case.next"), value: t(`next.${view.next}`, { date: view.deadline ?? "" }) },
            ...(view.deadline
              ? [
                  {
                    key: t("case.deadline"),
                    value: <DeadlineTag deadline={view.deadline} urgency={view.urgency} />,
                  },
                ]
              : []),
            { key: t("case.ledBy"), value: view.ledBy ? <Ltr>{view.ledBy}</Ltr> : t("caseload.you") },
          ]}
        />
        {presenceSteps.has(view.next) && <WarningText>{t("case.presenceReminder")}</WarningText>}
        <h2 className="govuk-heading-m">{t("case.consentTitle")}</h2>
        <SummaryList
          rows={[
            { key: t("case.consentGiven"), value: view.consent.givenAt },
            { key: t("case.consentMethod"), value: t(`fields.consentMethod.options.${view.consent.method}`) },
            {
              key: t("case.consentLanguage"),
              value: (
                <span lang={view.consent.language.code} dir={view.consent.language.dir}>
                  {view.consent.language.name}
                </span>
              ),
            },
            { key: t("case.consentRecordedBy"), value: <Ltr>{view.consent.recordedBy}</Ltr> },
          ]}
        />
        <h2 className="govuk-heading-m">{t("case.actionsTitle")}</h2>
        <Form method="post">
          <CsrfInput />
          <ButtonGroup>
            {view.intents.map(
              (intent, i) =>
                intent !== "hand-over" && (
                  <Button
                    key={intent}
                    name="intent"
                    value={intent}
                    variant={i === 0 ? "primary" : "secondary"}
                  >
                    {t(openKeys[intent])}
                  </Button>
                ),
            )}
          </ButtonGroup>
        </Form>
        <h2 className="govuk-heading-m">{t("case.handOverTitle")}</h2>
        {view.colleagues.length === 0 ? (
          <p className="govuk-body">{t("case.noColleagues")}</p>
        ) : (
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="hand-over" />
            <Radios
              name="colleague"
              legend={t("fields.colleague.label")}
              legendSize="s"
              hint={t("case.handOverIntro")}
              error={error}
              defaultValue={actionData?.values?.colleague}
              items={view.colleagues.map((c) => ({ value: c.id, label: <Ltr>{c.name}</Ltr> }))}
            />
            <Button variant="secondary" preventDoubleClick>
              {t("case.handOver")}
            </Button>
          </Form>
        )}
      </div>
    </div>
  );
}
