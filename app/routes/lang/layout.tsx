import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData, useLocation, useParams } from "@remix-run/react";
import { helperOfSession, type PendingConsent } from "~/.server/helper-auth.server";
import { fixedT, isLanguage } from "~/.server/i18n.server";
import { type AppSession, getSession, signedInTooLong } from "~/.server/session.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { Ltr } from "~/components/govuk/ltr";
import { Chrome } from "~/components/layout/chrome";
import { caseLabel } from "~/domain/helpers/caseload.server";
import { useTranslation } from "~/i18n/react";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const lang = params.lang;
  if (!isLanguage(lang)) throw new Response("Not found", { status: 404 });
  const session = await getSession(request);
  return { helperBar: await helperBar(session, lang), applicantSignedIn: applicantSignedIn(session) };
}

/**
 * An applicant signed in to their draft or their status pages, read from the session alone (no
 * query of its own: every public page has this layout). A helper's session has its own bar.
 */
const applicantSignedIn = (session: AppSession): boolean =>
  !session.get("helperId") &&
  Boolean(session.get("eoiId") ?? session.get("statusEoiId")) &&
  !signedInTooLong(session.get("signedInAt") as number | undefined);

/**
 * Who is signed in, when it is a helper, and for whom they are acting. Its few texts are
 * translated here so that applicants' pages never load the caseload namespace. The applicant's
 * name shows only while the organisation holds their consent.
 */
async function helperBar(session: AppSession, lang: string) {
  const helper = await helperOfSession(session);
  if (!helper) return null;
  const caseId = (session.get("eoiId") ?? session.get("statusEoiId")) as string | undefined;
  const pending = session.get("pendingConsent") as PendingConsent | undefined;
  const open = caseId ? await caseLabel(helper.organisationId, caseId) : null;
  const t = await fixedT(lang, "caseload");
  return {
    name: helper.name,
    organisation: helper.organisationName,
    acting: open
      ? { applicant: open.applicantName, reference: open.reference, href: `/${lang}/helpers/cases/${caseId}` }
      : pending
        ? { applicant: pending.applicantName, reference: null, href: null }
        : null,
    texts: {
      label: t("bar.label"),
      signedInAs: t("bar.signedInAs"),
      caseload: t("bar.caseload"),
      password: t("bar.password"),
      signOut: t("bar.signOut"),
      actingFor: t("bar.actingFor"),
      notSent: t("bar.notSent"),
      casePage: t("bar.casePage"),
    },
  };
}

type HelperBarData = NonNullable<Awaited<ReturnType<typeof helperBar>>>;

export default function LanguageLayout() {
  // A new page is a new form, as it is without JavaScript: keyed by path, nothing (typed values,
  // a pressed button's double-click guard) carries over from one question page to the next.
  const { pathname } = useLocation();
  const { helperBar, applicantSignedIn } = useLoaderData<typeof loader>();
  return (
    <Chrome banner={helperBar ? <HelperBar bar={helperBar} /> : applicantSignedIn && <ApplicantBar />}>
      <Outlet key={pathname} />
    </Chrome>
  );
}

/** A slim line above the page, like the phase banner: no script, a few links and one small form. */
function HelperBar({ bar }: { bar: HelperBarData }) {
  const { lang = "" } = useParams();
  const { texts, acting } = bar;
  return (
    <div className="govuk-width-container" data-testid="helper-bar">
      <nav className="govuk-phase-banner" aria-label={texts.label}>
        <div className="govuk-body-s govuk-!-margin-bottom-0">
          {texts.signedInAs} <Ltr>{bar.name}</Ltr> (<Ltr>{bar.organisation}</Ltr>) ·{" "}
          <Link className="govuk-link" to={`/${lang}/helpers/cases`}>
            {texts.caseload}
          </Link>{" "}
          ·{" "}
          <Link className="govuk-link" to={`/${lang}/helpers/password`}>
            {texts.password}
          </Link>{" "}
          <Form method="post" action={`/${lang}/helpers/sign-out`} className="app-inline-form">
            <CsrfInput />
            <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
              {texts.signOut}
            </button>
          </Form>
        </div>
        {acting && (
          <p
            className="govuk-body-s govuk-!-font-weight-bold govuk-!-margin-top-0 govuk-!-margin-bottom-0"
            data-testid="acting-for"
          >
            {texts.actingFor} <Ltr>{acting.applicant}</Ltr>{" "}
            {acting.reference ? <Ltr>({acting.reference})</Ltr> : `(${texts.notSent})`}
            {acting.href && (
              <>
                {" "}
                ·{" "}
                <Link className="govuk-link" to={acting.href}>
                  {texts.casePage}
                </Link>
              </>
            )}
          </p>
        )}
      </nav>
    </div>
  );
}

/**
 * "Sign out" for an applicant, where GOV.UK services put it: above the page, at the end of the
 * line. A small form (POST with the CSRF token), so it works without JavaScript.
 */
function ApplicantBar() {
  const { lang = "" } = useParams();
  const { t } = useTranslation("common");
  return (
    <div className="govuk-width-container app-account-bar" data-testid="applicant-bar">
      <Form method="post" action={`/${lang}/sign-out`} className="app-inline-form">
        <CsrfInput />
        <button type="submit" className="app-link-button">
          {t("layout.signOut")}
        </button>
      </Form>
    </div>
  );
}
