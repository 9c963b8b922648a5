import type { Field } from "~/domain/forms/fields";
import { formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";
import { Ltr } from "../govuk/ltr";

/** An answer as the applicant would say it: option labels, country names, dates in their language. */
export function AnswerValue({
  field,
  value,
  lang,
  countryNames,
  ns = "apply",
}: {
  field: Field;
  value: string;
  lang: string;
  /** Country names from the server (see QuestionForm's `countries`). */
  countryNames: Record<string, string>;
  ns?: string;
}) {
  const { t } = useTranslation(ns);
  switch (field.kind) {
    case "radios":
    case "checkbox":
      return <>{t(`fields.${field.name}.options.${value}`)}</>;
    case "select":
      return <>{value === "stateless" ? t("countries.stateless") : (countryNames[value] ?? value)}</>;
    case "date":
      return <>{formatDay(value, lang)}</>;
    case "text":
      // Names, numbers and addresses typed in Latin script stay readable inside Arabic text.
      return <Ltr>{value}</Ltr>;
    default:
      return <span className="app-pre-line">{value}</span>;
  }
}
