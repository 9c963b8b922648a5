import { Form, useActionData, useParams, useSubmit } from "@remix-run/react";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { type Field, flatFields, inputId, type PageRule, type Values } from "~/domain/forms/fields";
import { useTranslation } from "~/i18n/react";
import { BackLink } from "../govuk/back-link";
import { Button } from "../govuk/button";
import { Checkboxes } from "../govuk/checkboxes";
import { DateInput } from "../govuk/date-input";
import { ErrorSummary } from "../govuk/error-summary";
import { Input } from "../govuk/input";
import { Radios } from "../govuk/radios";
import { Select } from "../govuk/select";
import { Textarea } from "../govuk/textarea";
import { useReportFormErrors } from "../layout/form-errors";
import { CsrfInput, Honeypot } from "./csrf-input";

export interface FormActionData {
  errors?: Record<string, string>;
  values?: Values;
  tooMany?: number;
}

interface QuestionFormProps {
  page: { slug: string; fields: Field[] };
  /** A rule across fields, as the page's schema on the server has it (e.g. "email or mobile"). */
  rule?: PageRule;
  values: Values;
  back?: string;
  /** Heading; defaults to the single field's label or `<ns>:pages.<slug>.title`. */
  titleKey?: string;
  introKey?: string;
  submitKey?: string;
  ns?: string;
  honeypot?: boolean;
  /**
   * Country names for select questions, from the loader: named and sorted on the server, because
   * browsers and Node name some countries differently and the page must hydrate as rendered.
   */
  countries?: { value: string; label: string }[];
  /** Hidden inputs sent with the form (e.g. which button's intent). */
  hidden?: Record<string, string>;
  /** Extra content after the heading, before the questions. */
  before?: ReactNode;
  /** Extra content between the questions and the button. */
  children?: ReactNode;
}

/** The page heading's key: a one-question page uses its question as the heading (GOV.UK). */
export function questionTitleKey(page: { slug: string; fields: Field[] }, ns = "apply"): string {
  const [only] = page.fields;
  return page.fields.length === 1 && only
    ? `${ns}:fields.${only.name}.label`
    : `${ns}:pages.${page.slug}.title`;
}

/**
 * A question page: error summary, fields from their definitions, CSRF token and the button.
 * Without JavaScript the browser posts and the server's errors come back (422). With it, the
 * validator (react-hook-form and the page's zod schema) loads when the form is first used, checks
 * the answers before anything is sent, and clears each error as it is corrected. If it cannot
 * load, the form simply posts and the server answers.
 */
export function QuestionForm({
  page,
  rule,
  values,
  back,
  titleKey,
  introKey,
  submitKey = "common:components.saveAndContinue",
  ns = "apply",
  honeypot,
  countries = [],
  hidden,
  before,
  children,
}: QuestionFormProps) {
  const { t, i18n } = useTranslation([ns, "common"]);
  const actionData = useActionData<FormActionData>();
  const submit = useSubmit();
  const { lang = i18n.language } = useParams();
  const shown = actionData?.values ?? values;
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const validator = useRef<Promise<import("./validator.client").Validator | null> | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const load = () => {
    const form = formRef.current;
    validator.current ??= form
      ? import("./validator.client")
          .then(({ attachValidator }) =>
            attachValidator(form, { ns, fields: page.fields, rule, onErrors: setClientErrors }),
          )
          .catch(() => null)
      : Promise.resolve(null);
    return validator.current;
  };
  useEffect(() => () => void validator.current?.then((v) => v?.detach()), []);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    event.preventDefault();
    void load()
      .then(async (v) => !v || (await v.validate()))
      // A validator that failed to load or run leaves the decision to the server.
      .then(
        (ok) => ok && submit(form),
        () => submit(form),
      );
  };
  // Live errors from the browser while the user corrects the form; otherwise the server's answer.
  const errors = Object.keys(clientErrors).length ? clientErrors : (actionData?.errors ?? {});
  useReportFormErrors(Object.keys(clientErrors).length > 0);
  const fields = flatFields(page.fields);
  const intro = t(introKey ?? `${ns}:pages.${page.slug}.intro`, { defaultValue: "" });
  // One question per page: the question itself is the heading, and what the page has to say
  // about it goes with its hint (GOV.UK question pages).
  const single = page.fields.length === 1;
  const heading = titleKey ?? questionTitleKey(page, ns);

  const summary = fields
    .filter((f) => errors[f.name])
    .map((f) => ({ href: `#${inputId(f)}`, text: t(errors[f.name] as string) }));

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {back && <BackLink to={back} />}
        {actionData?.tooMany ? (
          <ErrorSummary
            errors={[
              { href: "#main-content", text: t("common:errors.tooMany", { minutes: actionData.tooMany }) },
            ]}
          />
        ) : (
          <ErrorSummary errors={summary} focusKey={actionData} />
        )}
        <Form method="post" noValidate ref={formRef} onSubmit={onSubmit} onFocus={load}>
          <CsrfInput />
          {honeypot && <Honeypot />}
          {Object.entries(hidden ?? {}).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {!single && <h1 className="govuk-heading-l">{t(heading)}</h1>}
          {!single && intro && <p className="govuk-body">{intro}</p>}
          {before}
          {page.fields.map((field) => (
            <FieldControl
              key={field.name}
              field={field}
              ns={ns}
              lang={lang}
              isPageHeading={single}
              titleKey={single ? heading : undefined}
              intro={single ? intro : undefined}
              values={shown}
              errors={errors}
              countries={countries}
            />
          ))}
          {children}
          <Button preventDoubleClick>{t(submitKey)}</Button>
        </Form>
      </div>
    </div>
  );
}

interface FieldControlProps {
  field: Field;
  ns: string;
  lang: string;
  isPageHeading?: boolean;
  titleKey?: string;
  /** The page's introduction, shown with the hint when the field is the page's only question. */
  intro?: string;
  values: Values;
  errors: Record<string, string>;
  countries?: { value: string; label: string }[];
}

/** One field, as the GOV.UK component its kind calls for. */
export function FieldControl({
  field,
  ns,
  lang,
  isPageHeading,
  titleKey,
  intro,
  values,
  errors,
  countries = [],
}: FieldControlProps) {
  const { t } = useTranslation([ns, "common"]);
  const key = `${ns}:fields.${field.name}`;
  const label = t(titleKey ?? `${key}.label`);
  const fieldHint = t(`${key}.hint`, { defaultValue: "" });
  const hint =
    intro && fieldHint ? (
      <>
        <span className="app-hint-paragraph">{intro}</span>
        <span className="app-hint-paragraph">{fieldHint}</span>
      </>
    ) : (
      intro || fieldHint || undefined
    );
  const error = errors[field.name] ? t(errors[field.name] as string) : undefined;
  const common = { label, hint, error, optional: field.optional, isPageHeading };

  switch (field.kind) {
    case "text":
      return (
        <Input
          {...common}
          name={field.name}
          type={field.type ?? "text"}
          defaultValue={values[field.name]}
          autoComplete={field.autoComplete}
          inputMode={field.inputMode}
          spellCheck={field.spellCheck}
          width={field.width}
        />
      );
    case "textarea":
      return <Textarea {...common} name={field.name} defaultValue={values[field.name]} rows={4} />;
    case "select": {
      const options = [
        { value: "", text: "" },
        ...countries
          .filter((o) => field.options.includes(o.value))
          .map((o) => ({ value: o.value, text: o.label })),
        ...(field.options.includes("stateless")
          ? [{ value: "stateless", text: t(`${ns}:countries.stateless`) }]
          : []),
      ];
      return (
        <Select
          {...common}
          name={field.name}
          defaultValue={values[field.name] ?? ""}
          options={options}
          autoComplete={field.autoComplete}
        />
      );
    }
    case "date":
      return (
        <DateInput
          name={field.name}
          legend={label}
          hint={hint}
          error={error}
          optional={field.optional}
          isPageHeading={isPageHeading}
          autoComplete={field.autoComplete}
          defaultValue={{
            day: values[`${field.name}-day`],
            month: values[`${field.name}-month`],
            year: values[`${field.name}-year`],
          }}
        />
      );
    case "checkbox":
      return (
        <Checkboxes
          name={field.name}
          legend={isPageHeading ? label : undefined}
          isPageHeading={isPageHeading}
          hint={hint}
          error={error}
          defaultValue={values[field.name] ? [values[field.name] as string] : []}
          items={[{ value: "yes", label: t(`${key}.options.yes`) }]}
        />
      );
    case "radios":
      return (
        <Radios
          name={field.name}
          legend={label}
          isPageHeading={isPageHeading}
          legendSize={isPageHeading ? undefined : "m"}
          hint={hint}
          error={error}
          defaultValue={values[field.name]}
          inline={field.options.length === 2 && !field.conditional}
          items={field.options.map((value) => ({
            value,
            label: t(`${key}.options.${value}`),
            conditional: field.conditional?.[value]?.length
              ? field.conditional[value]?.map((sub) => (
                  <FieldControl
                    key={sub.name}
                    field={sub}
                    ns={ns}
                    lang={lang}
                    values={values}
                    errors={errors}
                    countries={countries}
                  />
                ))
              : undefined,
          }))}
        />
      );
  }
}
