import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { readPreDraft } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { limitCodeRequest } from "~/.server/limits.server";
import { QuestionForm } from "~/components/form/question-form";
import { issueCode } from "~/domain/auth/otp.service.server";
import { atLeastOneContact, contactFields, eligibilityOutcome } from "~/domain/eoi/eoi.pages";
import { contactSchema } from "~/domain/eoi/eoi.schema";
import { findByContact } from "~/domain/eoi/eoi.service.server";

export const handle = { i18n: ["apply", "journey"] };

/**
 * One module for two URLs: /apply/contact (a new applicant gives the email and/or mobile to
 * confirm) and /apply/resume (a returning applicant asks for a code to get back in, from any device).
 */
const isResume = (request: Request) => new URL(request.url).pathname.endsWith("/resume");

export async function loader({ params, request }: LoaderFunctionArgs) {
  const resume = isResume(request);
  const { answers, contact } = await readPreDraft(request);
  if (!resume && eligibilityOutcome(answers) !== "eligible")
    throw redirect(`/${params.lang}/apply/eligibility/in-france`);
  return {
    resume,
    titleKey: resume ? "journey:resume.title" : "journey:contact.title",
    values: { email: contact.email, mobile: contact.mobile },
    back: `/${params.lang}/apply${resume ? "" : "/eligible"}`,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const resume = isResume(request);
  const lang = params.lang as string;
  const { values } = await readForm(request);
  const parsed = contactSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const contact = { email: parsed.data.email, mobile: parsed.data.mobile };
  const tooMany = await limitCodeRequest(context.clientIp, contact);
  if (tooMany) return tooMany;
  // Resuming: a code goes out only if we hold an application for these details, but the answer is
  // the same either way, so nobody can learn who has applied.
  if (!resume || (await findByContact(contact)).length) {
    await issueCode(resume ? "resume" : "verify_contact", contact, lang);
  }
  const preDraft = await readPreDraft(request);
  return redirect(`/${lang}/apply${resume ? "/resume" : ""}/verify`, {
    headers: { "Set-Cookie": await preDraft.save({ contact }) },
  });
}

export default function Contact() {
  const { resume, titleKey, values, back } = useLoaderData<typeof loader>();
  return (
    <QuestionForm
      page={{ slug: "contact", fields: contactFields }}
      rule={atLeastOneContact}
      titleKey={titleKey}
      introKey={resume ? "journey:resume.intro" : "journey:contact.intro"}
      values={values}
      back={back}
      honeypot
    />
  );
}
