import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { BackLink } from "~/components/govuk/back-link";
import { Button, ButtonGroup } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Input } from "~/components/govuk/input";
import { Radios } from "~/components/govuk/radios";
import { SummaryList } from "~/components/govuk/summary-list";
import type { Values } from "~/domain/forms/fields";
import { MAX_TOLERANCE, parityPolicies } from "~/domain/matching/matching.rules";
import { paritySettingsSchema, settingsToValues } from "~/domain/parity/parity.schema";
import { paritySettings, updateParitySettings } from "~/domain/parity/parity.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["parity", "staff"], titleKey: "parity:settings.title" };

/** Admins only: the policy changes what matching officers may do. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "parity.manage");
  const current = await paritySettings();
  return {
    values: settingsToValues(current.settings),
    ahead: current.ahead,
    admittedThisWeek: current.admittedThisWeek,
  };
}

type ActionData = {
  errors: Record<string, string>;
  values: Values;
  /** The counts behind a refusal by the database, for its message. */
  params?: Record<string, number>;
};

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "parity.manage");
  const { values } = await readForm(request);
  const parsed = paritySettingsSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const next = parsed.data;
  const result = await updateParitySettings(next, staffActor(staff, context));
  if (result.ok) return redirect("/staff/parity?done=saved", 303);
  const refusal: Omit<ActionData, "values"> =
    result.refused === "cap"
      ? {
          errors: { weeklyCap: "parity:fields.weeklyCap.errors.belowAdmitted" },
          params: { admitted: result.admitted },
        }
      : next.policy === "tolerance"
        ? {
            errors: { parityTolerance: "parity:fields.parityTolerance.errors.belowAhead" },
            params: { ahead: result.ahead },
          }
        : {
            errors: { parityPolicy: "parity:fields.parityPolicy.errors.aheadOfReturns" },
            params: { ahead: result.ahead },
          };
  return data<ActionData>({ ...refusal, values }, { status: 422 });
}

/** In page order, for the error summary. */
const fieldOrder = ["parityPolicy", "parityTolerance", "weeklyCap"] as const;

export default function ParitySettings() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const { t, i18n } = useTranslation(["parity", "staff"]);
  const number = new Intl.NumberFormat(i18n.language);
  const values = actionData?.values ?? loaded.values;
  const errors = actionData?.errors ?? {};
  const params = Object.fromEntries(
    Object.entries({ max: MAX_TOLERANCE, ...actionData?.params }).map(([k, v]) => [k, number.format(v)]),
  );
  const message = (name: string) => (errors[name] ? t(errors[name] as string, params) : undefined);
  const summary = fieldOrder
    .filter((name) => errors[name])
    .map((name) => ({ href: `#${name}`, text: message(name) as string }));

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/staff/parity" />
        <ErrorSummary errors={summary} focusKey={actionData} />
        <h1 className="govuk-heading-l">{t("settings.title")}</h1>
        <p className="govuk-body">{t("settings.intro")}</p>
        <SummaryList
          rows={[
            { key: t("settings.ahead"), value: number.format(loaded.ahead) },
            { key: t("settings.admitted"), value: number.format(loaded.admittedThisWeek) },
          ]}
        />
        <Form method="post" noValidate>
          <CsrfInput />
          <Radios
            name="parityPolicy"
            legend={t("fields.parityPolicy.label")}
            legendSize="m"
            error={message("parityPolicy")}
            defaultValue={values.parityPolicy}
            items={parityPolicies.map((policy) => ({
              value: policy,
              label: t(`fields.parityPolicy.options.${policy}`),
              hint: t(`fields.parityPolicy.hints.${policy}`),
              conditional:
                policy === "tolerance" ? (
                  <Input
                    name="parityTolerance"
                    label={t("fields.parityTolerance.label")}
                    hint={t("fields.parityTolerance.hint", params)}
                    error={message("parityTolerance")}
                    defaultValue={values.parityTolerance}
                    inputMode="numeric"
                    spellCheck={false}
                    autoComplete="off"
                    width={4}
                  />
                ) : undefined,
            }))}
          />
          <Input
            name="weeklyCap"
            label={t("fields.weeklyCap.label")}
            labelSize="m"
            optional
            hint={t("fields.weeklyCap.hint")}
            error={message("weeklyCap")}
            defaultValue={values.weeklyCap}
            inputMode="numeric"
            spellCheck={false}
            autoComplete="off"
            width={5}
          />
          <ButtonGroup>
            <Button preventDoubleClick>{t("settings.submit")}</Button>
            <Link className="govuk-link" to="/staff/parity">
              {t("settings.cancel")}
            </Link>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  );
}
