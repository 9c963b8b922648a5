import { Form, useActionData } from "@remix-run/react";
import { codeFields } from "~/domain/eoi/eoi.pages";
import { useTranslation } from "~/i18n/react";
import { Ltr } from "../govuk/ltr";
import { CsrfInput } from "./csrf-input";
import { type FormActionData, QuestionForm } from "./question-form";

/**
 * "Enter the code we sent": the code form, where it went (when the page may say so), and a way to
 * get a new one.
 */
export function CodeForm({
  sentTo,
  back,
  introKey = "journey:verify.intro",
}: {
  sentTo?: string[];
  back: string;
  introKey?: string;
}) {
  const { t } = useTranslation("journey");
  const resent = useActionData<FormActionData & { resent?: boolean }>()?.resent;
  return (
    <>
      <QuestionForm
        page={{ slug: "verify", fields: codeFields }}
        titleKey="journey:verify.title"
        introKey={introKey}
        values={{}}
        back={back}
        submitKey="common:components.continue"
      >
        {sentTo && (
          <p className="govuk-body">
            {t("verify.sentTo")}{" "}
            {sentTo.map((s, i) => (
              <span key={s}>
                {i > 0 && ", "}
                <strong>
                  <Ltr>{s}</Ltr>
                </strong>
              </span>
            ))}
          </p>
        )}
      </QuestionForm>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {resent && (
            <p className="govuk-body" role="status">
              {t("verify.resent")}
            </p>
          )}
          {sentTo ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="resend" />
              <p className="govuk-body">{t("verify.notReceived")}</p>
              <button type="submit" className="govuk-button govuk-button--secondary">
                {t("verify.resend")}
              </button>
            </Form>
          ) : (
            <p className="govuk-body">
              {t("verify.notReceived")}{" "}
              <a className="govuk-link" href={back}>
                {t("verify.startAgain")}
              </a>
            </p>
          )}
        </div>
      </div>
    </>
  );
}
