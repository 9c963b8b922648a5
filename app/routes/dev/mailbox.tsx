import { useLoaderData } from "@remix-run/react";
import { env } from "~/.server/env.server";
import { Ltr } from "~/components/govuk/ltr";
import { Chrome } from "~/components/layout/chrome";
import { mailbox } from "~/domain/notifications/mailbox.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["dev"], titleKey: "dev:mailbox.title" };

/**
 * What the development transport "sent" by email and SMS. The page exists only while that
 * transport is in use, so never in production with GOV.UK Notify (the production default).
 */
export async function loader() {
  if (env.NOTIFICATIONS_TRANSPORT !== "dev") throw new Response("Not found", { status: 404 });
  return { messages: await mailbox() };
}

export default function Mailbox() {
  const { t } = useTranslation("dev");
  const { messages } = useLoaderData<typeof loader>();
  return (
    <Chrome>
      <h1 className="govuk-heading-l">{t("mailbox.title")}</h1>
      <p className="govuk-body">{t("mailbox.intro")}</p>
      {messages.length === 0 && <p className="govuk-body">{t("mailbox.empty")}</p>}
      {messages.map((m) => (
        <article key={m.id} className="app-mail" data-testid="mail">
          <p className="govuk-body-s">
            {t(`mailbox.channel.${m.channel}`)} · <Ltr>{m.to}</Ltr> · {m.at} · {m.status}
          </p>
          {m.subject && (
            <h2 className="govuk-heading-s" lang={m.lang}>
              {m.subject}
            </h2>
          )}
          <p className="govuk-body app-pre-line" lang={m.lang} dir="auto">
            {m.body}
          </p>
        </article>
      ))}
    </Chrome>
  );
}
