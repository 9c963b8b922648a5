import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { readPreDraft, requireStatusSession } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { limit, limitCodeRequest } from "~/.server/limits.server";
import { CodeForm } from "~/components/form/code-form";
import { QuestionForm } from "~/components/form/question-form";
import { atLeastOneContact, contactFields } from "~/domain/eoi/eoi.pages";
import { codeSchema, contactSchema } from "~/domain/eoi/eoi.schema";
import { maskContact } from "~/domain/notifications/mask";
import { confirmContactChange, requestContactChange } from "~/domain/status/account.service.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["apply", "journey", "status"] };

/**
 * Changing contact details, in two steps on two URLs served by this module: /status/contact (the
 * new details) and /status/contact/verify (the code sent to them). Nothing changes until the code
 * is entered.
 */
const isVerify = (request: Request) => new URL(request.url).pathname.endsWith("/verify");

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const { setCookie, helper } = await requireStatusSession(request, context, lang);
  // The codes and messages must reach the applicant: their helper may not change where they go.
  if (helper)
    return data(
      { helperRefused: true, verify: false, titleKey: "status:contact.helperTitle", sentTo: [] },
      { status: 403, headers: { "Set-Cookie": setCookie } },
    );
  const { contact } = await readPreDraft(request);
  const verify = isVerify(request);
  if (verify && !contact.email && !contact.mobile) throw redirect(`/${lang}/status/contact`);
  return data(
    {
      helperRefused: false,
      verify,
      titleKey: verify ? "journey:verify.title" : "status:contact.title",
      sentTo: verify ? maskContact(contact) : [],
    },
    { headers: { "Set-Cookie": setCookie } },
  );
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { eoiId, actor, helper } = await requireStatusSession(request, context, lang);
  if (helper) throw new Response("Forbidden", { status: 403 });
  const { values } = await readForm(request);
  const cookie = await readPreDraft(request);
  if (!isVerify(request)) {
    const parsed = contactSchema().safeParse(values);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
    const contact = { email: parsed.data.email, mobile: parsed.data.mobile };
    const tooMany = await limitCodeRequest(context.clientIp, contact);
    if (tooMany) return tooMany;
    await requestContactChange(eoiId, contact, lang);
    return redirect(`/${lang}/status/contact/verify`, {
      headers: { "Set-Cookie": await cookie.save({ contact }) },
    });
  }
  if (values.intent === "resend") {
    const tooMany = await limitCodeRequest(context.clientIp, cookie.contact);
    if (tooMany) return tooMany;
    await requestContactChange(eoiId, cookie.contact, lang);
    return { resent: true, errors: {}, values: {} };
  }
  const { intent: _intent, ...fields } = values;
  const parsed = codeSchema().safeParse(fields);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
  const tooMany = await limit("codeCheckPerClient", context.clientIp);
  if (tooMany) return tooMany;
  const changed = await confirmContactChange(eoiId, cookie.contact, parsed.data.code as string, actor);
  if (!changed) return invalid({ code: "journey:verify.wrongCode" }, fields);
  return redirect(`/${lang}/status/application`, { headers: { "Set-Cookie": await cookie.clear() } });
}

export default function ChangeContact() {
  const { verify, sentTo, helperRefused } = useLoaderData<typeof loader>();
  const { lang } = useParams();
  const { t } = useTranslation("status");
  if (helperRefused)
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{t("contact.helperTitle")}</h1>
          <p className="govuk-body">{t("contact.helperBody")}</p>
          <Link className="govuk-link" to={`/${lang}/status/application`}>
            {t("application.title")}
          </Link>
        </div>
      </div>
    );
  if (verify) return <CodeForm sentTo={sentTo} back={`/${lang}/status/contact`} />;
  return (
    <QuestionForm
      page={{ slug: "contact", fields: contactFields }}
      rule={atLeastOneContact}
      titleKey="status:contact.title"
      introKey="status:contact.intro"
      values={{}}
      back={`/${lang}/status/application`}
    />
  );
}
