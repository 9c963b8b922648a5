import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { FieldControl, type FormActionData } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { InsetText } from "~/components/govuk/inset-text";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { SummaryList } from "~/components/govuk/summary-list";
import { Tag } from "~/components/govuk/tag";
import { WarningText } from "~/components/govuk/warning-text";
import { isUuid } from "~/domain/cases/cases.rules";
import { inputId, toFormValues } from "~/domain/forms/fields";
import { stageChangeFields } from "~/domain/returns/returns.pages";
import {
  nextStages,
  type ReturnStage,
  returnLimits,
  stageColour,
  stageDateFields,
} from "~/domain/returns/returns.rules";
import { stageChangeSchema } from "~/domain/returns/returns.schema";
import { changeStage, returnStageOf, viewReturn } from "~/domain/returns/returns.service.server";
import { parisDay } from "~/domain/windows/windows.rules";
import { formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

/** Serves /staff/returns/:id: the returned person, the stages so far, and the next stage. */
export const handle = { i18n: ["returns", "staff"], titleKey: "returns:return.title" };

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "returns.manage");
  if (!isUuid(params.id)) throw notFound();
  const r = await viewReturn(params.id, staffActor(staff, context));
  if (!r) throw notFound();
  const today = parisDay(new Date());
  const day = (d: string | null | undefined) => (d ? formatDay(d, staff.lang) : null);
  const { nationality } = r.identity;
  return {
    id: r.id,
    personRef: r.personRef,
    identity: {
      fullName: r.identity.fullName ?? null,
      dateOfBirth: day(r.identity.dateOfBirth),
      nationality:
        !nationality || nationality === "stateless"
          ? null
          : (new Intl.DisplayNames([staff.lang], { type: "region", fallback: "code" }).of(nationality) ??
            nationality),
      documentNumber: r.identity.documentNumber ?? null,
    },
    ageCategory: r.ageCategory,
    stage: r.stage,
    arrival: day(r.arrivalDay) as string,
    dates: stageDateFields.map((field) => ({ field, day: day(r.dates[field]) })),
    note: r.note,
    matchedTo: r.matchedTo,
    warnings: returnLimits(r, today)
      .filter((l) => l.state !== "ok")
      .map((l) => ({ kind: l.kind, state: l.state, due: day(l.due) as string })),
    next: r.matchedTo === null ? nextStages(r.stage) : [],
    values: toFormValues(stageChangeFields, { stageDate: today }),
    done: new URL(request.url).searchParams.get("done") === "stage_changed",
  };
}

/** Moves the return to its next stage: validated by the form's schema, then again under lock. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "returns.manage");
  if (!isUuid(params.id)) throw notFound();
  const { values } = await readForm(request);
  const current = await returnStageOf(params.id);
  if (!current) throw notFound();
  const schema = stageChangeSchema({
    from: current.stage,
    matched: current.matched,
    arrivalDay: current.arrivalDay,
    today: parisDay(new Date()),
  });
  const parsed = schema.safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const change = parsed.data as { stage: ReturnStage; stageDate: string; note?: string };
  const result = await changeStage(params.id, change, staffActor(staff, context));
  if (!result.ok) {
    if (result.reason === "not_found") throw notFound();
    return invalid({ stage: `returns:fields.stage.errors.${result.reason}` }, values);
  }
  return redirect(`/staff/returns/${params.id}?done=stage_changed`, 303);
}

export default function ReturnPage() {
  const r = useLoaderData<typeof loader>();
  const actionData = useActionData<FormActionData>();
  const { t, i18n } = useTranslation(["returns", "staff"]);
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? r.values;
  const fields = stageChangeFields.map((f) =>
    f.name === "stage" && f.kind === "radios" ? { ...f, options: r.next } : f,
  );
  const summary = fields
    .filter((f) => errors[f.name])
    .map((f) => ({ href: `#${inputId(f)}`, text: t(errors[f.name] as string) }));
  const notGiven = t("return.notGiven");

  return (
    <>
      <BackLink to="/staff/returns" />
      {r.done && <NotificationBanner type="success" heading={t("return.stageChanged")} />}
      <ErrorSummary errors={summary} focusKey={actionData} />
      <span className="govuk-caption-l">{t("return.caption")}</span>
      <h1 className="govuk-heading-l">
        <Ltr>{r.personRef}</Ltr>
      </h1>
      {r.warnings.map((w) => (
        <WarningText key={w.kind}>{t(`return.warnings.${w.kind}.${w.state}`, { date: w.due })}</WarningText>
      ))}

      <h2 className="govuk-heading-m">{t("return.person")}</h2>
      <SummaryList
        rows={[
          { key: t("return.fullName"), value: r.identity.fullName ?? notGiven },
          { key: t("return.dateOfBirth"), value: r.identity.dateOfBirth ?? notGiven },
          { key: t("return.nationality"), value: r.identity.nationality ?? t("stateless") },
          {
            key: t("return.documentNumber"),
            value: r.identity.documentNumber ? <Ltr>{r.identity.documentNumber}</Ltr> : notGiven,
          },
          { key: t("return.ageCategory"), value: t(`ageCategories.${r.ageCategory}`) },
        ]}
      />

      <h2 className="govuk-heading-m">{t("return.progress")}</h2>
      <SummaryList
        rows={[
          {
            key: t("return.stage"),
            value: <Tag colour={stageColour[r.stage]}>{t(`stages.${r.stage}`)}</Tag>,
          },
          { key: t("return.dates.arrival"), value: r.arrival },
          ...r.dates.map((d) => ({ key: t(`return.dates.${d.field}`), value: d.day ?? notGiven })),
          { key: t("return.note"), value: r.note ?? notGiven },
          {
            key: t("return.matched"),
            value: r.matchedTo ? (
              <span data-testid="matched-to">
                <Ltr>{r.matchedTo}</Ltr>
              </span>
            ) : (
              t("return.notMatched")
            ),
          },
        ]}
      />

      <h2 className="govuk-heading-m">{t("return.change.title")}</h2>
      {r.matchedTo !== null ? (
        <InsetText>{t("return.change.matched", { reference: r.matchedTo })}</InsetText>
      ) : r.next.length === 0 ? (
        <InsetText>{t("return.change.final")}</InsetText>
      ) : (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <Form method="post" noValidate id="stage-change">
              <CsrfInput />
              {fields.map((field) => (
                <FieldControl
                  key={field.name}
                  field={field}
                  ns="returns"
                  lang={i18n.language}
                  values={values}
                  errors={errors}
                />
              ))}
              <Button preventDoubleClick>{t("return.change.submit")}</Button>
            </Form>
          </div>
        </div>
      )}
    </>
  );
}
