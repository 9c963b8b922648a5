import { zodResolver } from "@hookform/resolvers/zod";
import { Form, useActionData, useParams, useSubmit } from "@remix-run/react";
import type { ReactNode } from "react";
import { type FieldValues, type Resolver, type UseFormRegister, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type * as z from "zod/mini";
import { countryOptions } from "~/domain/eoi/countries";
import { type Field, flatFields, inputId, type Values } from "~/domain/forms/fields";
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
  // biome-ignore lint/suspicious/noExplicitAny: any page schema (input: raw strings, output: answers)
  schema: z.ZodMiniType<any, any>;
  values: Values;
  back?: string;
  /** Heading; defaults to the single field's label or `<ns>:pages.<slug>.title`. */
  titleKey?: string;
  introKey?: string;
  submitKey?: string;
  ns?: string;
  honeypot?: boolean;
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
 * react-hook-form posts what the browser would post: unticked boxes become absent, not `false`,
 * so the same schema judges both.
 */
function asPosted(values: FieldValues): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

/**
 * A question page: error summary, fields from their definitions, CSRF token and the button.
 * Without JavaScript the browser posts and the server's errors come back (422); with it,
 * react-hook-form runs the same zod schema first and only a valid form is sent.
 */
export function QuestionForm({
  page,
  schema,
  values,
  back,
  titleKey,
  introKey,
  submitKey = "common:components.saveAndContinue",
  ns = "apply",
  honeypot,
  hidden,
  before,
  children,
}: QuestionFormProps) {
  const { t, i18n } = useTranslation([ns, "common"]);
  const actionData = useActionData<FormActionData>();
  const submit = useSubmit();
  const { lang = i18n.language } = useParams();
  const shown = actionData?.values ?? values;
  const resolver = zodResolver(schema as never) as unknown as Resolver;
  const form = useForm({
    defaultValues: shown,
    resolver: (v, c, o) => resolver(asPosted(v), c, o),
    // GOV.UK: errors appear when the form is sent, then clear as each answer is corrected; focus
    // goes to the error summary, not the first field.
    mode: "onSubmit",
    reValidateMode: "onChange",
    shouldFocusError: false,
  });

  const clientErrors = Object.fromEntries(
    Object.entries(form.formState.errors).map(([k, e]) => [k, String(e?.message ?? "")]),
  );
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
          <ErrorSummary errors={summary} />
        )}
        <Form
          method="post"
          noValidate
          onSubmit={(event) => {
            const target = event.currentTarget;
            form.handleSubmit(() => submit(target))(event);
          }}
        >
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
              register={form.register}
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
  register: UseFormRegister<FieldValues>;
}

/** One field, as the GOV.UK component its kind calls for, wired to react-hook-form. */
export function FieldControl({
  field,
  ns,
  lang,
  isPageHeading,
  titleKey,
  intro,
  values,
  errors,
  register,
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
          {...register(field.name)}
          type={field.type ?? "text"}
          defaultValue={values[field.name]}
          autoComplete={field.autoComplete}
          inputMode={field.inputMode}
          spellCheck={field.spellCheck}
          width={field.width}
        />
      );
    case "textarea":
      return <Textarea {...common} {...register(field.name)} defaultValue={values[field.name]} rows={4} />;
    case "select": {
      const options = [
        { value: "", text: "" },
        ...countryOptions(
          lang,
          field.options.filter((o) => o !== "stateless"),
        ).map((o) => ({ value: o.value, text: o.label })),
        ...(field.options.includes("stateless")
          ? [{ value: "stateless", text: t(`${ns}:countries.stateless`) }]
          : []),
      ];
      return (
        <Select
          {...common}
          {...register(field.name)}
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
          inputProps={(part) => register(`${field.name}-${part}`)}
        />
      );
    case "checkbox":
      return (
        <Checkboxes
          {...register(field.name)}
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
          {...register(field.name)}
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
                    register={register}
                  />
                ))
              : undefined,
          }))}
        />
      );
  }
}
