import { env } from "../../.server/env.server";
import { fixedT } from "../../.server/i18n.server";

export interface RenderedMessage {
  subject: string;
  body: string;
}

/**
 * Message texts live in locales/<lang>/notifications.json under the template name, with an
 * email subject and body and a short SMS text. A `path` parameter becomes a full link.
 */
export async function renderMessage(
  template: string,
  lang: string,
  channel: "email" | "sms",
  params: Record<string, string>,
): Promise<RenderedMessage> {
  const t = await fixedT(lang, "notifications");
  const values = { ...params, ...(params.path ? { link: `${env.PUBLIC_URL}${params.path}` } : {}) };
  if (channel === "sms") return { subject: "", body: t(`${template}.sms`, values) };
  return { subject: t(`${template}.subject`, values), body: t(`${template}.body`, values) };
}
