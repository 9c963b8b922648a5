import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { QuestionForm } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { InsetText } from "~/components/govuk/inset-text";
import { Ltr } from "~/components/govuk/ltr";
import { WarningText } from "~/components/govuk/warning-text";
import { decisionInput } from "~/domain/cases/cases.pages";
import { BOOKING_DAYS, decidedTogether } from "~/domain/cases/cases.rules";
import { decisionFormFields, decisionSchema } from "~/domain/cases/cases.schema";
import {
  CaseNotFoundError,
  ClaimRequiredError,
  DecisionNotAllowedError,
  type DecisionView,
  decide,
  FamilyMemberClaimedError,
  FamilyNotReadyError,
  loadDecision,
} from "~/domain/cases/cases.service.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["case", "staff"], titleKey: "case:pages.decide.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "cases.decide");
  return loadDecision(params.id ?? "", staffActor(staff, context)).catch((error) => {
    throw error instanceof CaseNotFoundError ? new Response("Not found", { status: 404 }) : error;
  });
}

/** Why the service refused a valid form, as the decision field's error. */
function refusal(error: unknown): string | null {
  if (error instanceof ClaimRequiredError) return "claimRequired";
  if (error instanceof FamilyNotReadyError) return "familyNotReady";
  if (error instanceof FamilyMemberClaimedError) return "familyClaimed";
  if (error instanceof DecisionNotAllowedError) return "notAllowed";
  return null;
}

/**
 * Records the decision. The form offers only what the case's status allows, but the status may
 * have moved since, so the service checks again (claim, state machine, family) in its transaction.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "cases.decide");
  const id = params.id ?? "";
  const { values } = await readForm(request);
  const parsed = decisionSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  try {
    const input = { ...decisionInput(parsed.data), vulnerable: parsed.data.vulnerable === "yes" };
    await decide(id, input, staffActor(staff, context));
  } catch (error) {
    if (error instanceof CaseNotFoundError) throw new Response("Not found", { status: 404 });
    const code = refusal(error);
    if (code) return invalid({ decision: `case:fields.decision.errors.${code}` }, values);
    throw error;
  }
  return redirect(`/staff/cases/${id}?done=decided`, 303);
}

export default function Decide() {
  const view = useLoaderData<typeof loader>() as DecisionView;
  const { t } = useTranslation(["case", "staff"]);
  const back = `/staff/cases/${view.id}`;
  const caption = (
    <span className="govuk-caption-l">
      <Ltr>{view.name}</Ltr> – <Ltr>{view.reference}</Ltr>
    </span>
  );

  if (!view.claim?.mine || view.decisions.length === 0) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <BackLink to={back} />
          {caption}
          <h1 className="govuk-heading-l">{t("pages.decide.title")}</h1>
          {!view.claim?.mine ? (
            <WarningText>
              {view.claim
                ? t("decide.claimedByOther", { name: view.claim.staffName })
                : t("decide.claimFirst")}
            </WarningText>
          ) : (
            <p className="govuk-body">
              {t("decide.nothingAllowed", { status: t(`statuses.${view.status}`) })}
            </p>
          )}
          <p className="govuk-body">
            <Link className="govuk-link" to={back}>
              {t("decide.backToCase")}
            </Link>
          </p>
        </div>
      </div>
    );
  }

  const open = view.family.filter((m) => m.open);
  const settled = view.family.filter((m) => !m.open);
  const familyDecisions = view.decisions.filter(decidedTogether);
  const blocked = open.filter((m) => m.blocks.length > 0);

  return (
    <QuestionForm
      page={{ slug: "decide", fields: decisionFormFields(view.decisions) }}
      ns="case"
      values={{ bookingDays: String(BOOKING_DAYS.default) }}
      back={back}
      submitKey="case:decide.submit"
      before={
        <>
          {caption}
          <p className="govuk-body">
            {t("decide.currentStatus")} <strong>{t(`statuses.${view.status}`)}</strong>
          </p>
          {view.returnFlags.length > 0 && (
            <WarningText>{t("decide.returnFlag", { references: view.returnFlags.join(", ") })}</WarningText>
          )}
          {view.family.length > 0 && familyDecisions.length > 0 && (
            <InsetText>
              <h2 className="govuk-heading-s">{t("decide.familyTitle")}</h2>
              {open.length > 0 ? (
                <>
                  <p className="govuk-body">{t("decide.familyApplies")}</p>
                  <ul className="govuk-list govuk-list--bullet" data-testid="family-targets">
                    {open.map((m) => (
                      <li key={m.id}>
                        <Ltr>{m.name}</Ltr> (<Ltr>{m.reference}</Ltr>): {t(`statuses.${m.status}`)}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <p className="govuk-body">{t("decide.familyNoneOpen")}</p>
              )}
              {settled.length > 0 && (
                <p className="govuk-body">
                  {t("decide.familySettled", {
                    names: settled.map((m) => `${m.name} (${t(`statuses.${m.status}`)})`).join(", "),
                  })}
                </p>
              )}
              {blocked.map((m) => (
                <WarningText key={m.id}>
                  {t("decide.familyBlocked", { name: m.name, reference: m.reference ?? "" })}
                </WarningText>
              ))}
              <p className="govuk-body">{t("decide.individual")}</p>
            </InsetText>
          )}
        </>
      }
    />
  );
}
