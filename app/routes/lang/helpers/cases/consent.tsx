import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useParams } from "@remix-run/react";
import { readPreDraft } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { HELPER_IDLE_MINUTES, type PendingConsent, requireHelper } from "~/.server/helper-auth.server";
import { isLanguage, languageInfo, languages } from "~/.server/i18n.server";
import { commitSession, getSession } from "~/.server/session.server";
import { QuestionForm } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Radios } from "~/components/govuk/radios";
import { consentFields } from "~/domain/helpers/cases.pages";
import { consentSchema } from "~/domain/helpers/cases.schema";
import { consentText } from "~/domain/helpers/consent.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["caseload"], titleKey: "caseload:consent.title" };

/**
 * Before an assisted application: first the applicant's language (a GET form, so it works without
 * JavaScript), then the consent text in that language and how the applicant agreed to it.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const helper = await requireHelper(request, params.lang as string);
  const query = new URL(request.url).searchParams;
  const chosen = query.get("applicantLang");
  if (!isLanguage(chosen ?? undefined)) {
    return {
      step: "language" as const,
      // Sent with nothing chosen (the button names itself, as no radio was ticked).
      error: query.has("step"),
      languages: languages(),
      consent: null,
    };
  }
  const applicantLang = chosen as string;
  return {
    step: "consent" as const,
    error: false,
    languages: languages(),
    consent: {
      lang: applicantLang,
      dir: languageInfo(applicantLang).dir,
      paragraphs: await consentText(applicantLang, helper.organisationName),
    },
  };
}

/**
 * Keeps the consent in the helper's session until the applicant's contact details are verified,
 * when it is stored with the new draft (apply/verify). The text kept is the one shown, rebuilt
 * here from the locale files rather than taken from the form.
 */
export async function action({ params, request }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const helper = await requireHelper(request, lang);
  const { values } = await readForm(request);
  const { applicantLang, ...fields } = values;
  if (!isLanguage(applicantLang)) throw new Response("Bad request", { status: 400 });
  const parsed = consentSchema().safeParse(fields);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
  const answers = parsed.data as { applicantName: string; consentMethod: PendingConsent["method"] };
  const pendingConsent: PendingConsent = {
    applicantName: answers.applicantName,
    method: answers.consentMethod,
    lang: applicantLang,
    textShown: (await consentText(applicantLang, helper.organisationName)).join("\n\n"),
    givenAt: new Date().toISOString(),
  };
  const session = await getSession(request);
  session.set("pendingConsent", pendingConsent);
  // A new applicant: no case stays open, and no eligibility answers carry over from the last one.
  session.unset("eoiId");
  session.unset("statusEoiId");
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSession(session, HELPER_IDLE_MINUTES));
  headers.append("Set-Cookie", await (await readPreDraft(request)).clear());
  return redirect(`/${lang}/apply`, { status: 303, headers });
}

export default function Consent() {
  const { t } = useTranslation("caseload");
  const { lang = "" } = useParams();
  const data = useLoaderData<typeof loader>();
  if (!data.consent) {
    const error = data.error ? t("consent.languageError") : undefined;
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <BackLink to={`/${lang}/helpers/cases`}>{t("consent.back")}</BackLink>
          <ErrorSummary errors={error ? [{ href: "#applicantLang", text: error }] : []} />
          <Form method="get">
            <Radios
              name="applicantLang"
              legend={t("consent.languageLegend")}
              isPageHeading
              hint={t("consent.languageHint")}
              error={error}
              items={data.languages.map((l) => ({
                value: l.code,
                label: (
                  <span lang={l.code} dir={l.dir}>
                    {l.name}
                  </span>
                ),
              }))}
            />
            <Button name="step" value="language">
              {t("consent.continue")}
            </Button>
          </Form>
        </div>
      </div>
    );
  }
  const { consent } = data;
  return (
    <QuestionForm
      page={{ slug: "consent", fields: consentFields }}
      ns="caseload"
      titleKey="caseload:consent.title"
      values={{}}
      back={`/${lang}/helpers/cases/new`}
      submitKey="caseload:consent.submit"
      hidden={{ applicantLang: consent.lang }}
      before={
        <>
          <h2 className="govuk-heading-m">{t("consent.textHeading")}</h2>
          <div className="govuk-inset-text" lang={consent.lang} dir={consent.dir} data-testid="consent-text">
            {consent.paragraphs.map((p) => (
              <p key={p} className="govuk-body">
                {p}
              </p>
            ))}
          </div>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/${lang}/helpers/cases/new`}>
              {t("consent.changeLanguage")}
            </Link>
          </p>
        </>
      }
    />
  );
}
