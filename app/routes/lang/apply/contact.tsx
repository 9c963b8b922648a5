import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { readPreDraft } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { helperOfSession, type PendingConsent } from "~/.server/helper-auth.server";
import { fixedT } from "~/.server/i18n.server";
import { limitCodeRequest } from "~/.server/limits.server";
import { getSession } from "~/.server/session.server";
import { QuestionForm } from "~/components/form/question-form";
import { InsetText } from "~/components/govuk/inset-text";
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

/**
 * A helper starts a new application only with the applicant's consent recorded (helpers/cases/new);
 * the code then goes to the applicant's own details, in the applicant's language.
 */
async function assistedBy(request: Request, lang: string) {
  const session = await getSession(request);
  if (!(await helperOfSession(session))) return null;
  const consent = session.get("pendingConsent") as PendingConsent | undefined;
  if (!consent) throw redirect(`/${lang}/helpers/cases/new`);
  return consent;
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  const resume = isResume(request);
  const lang = params.lang as string;
  const consent = resume ? null : await assistedBy(request, lang);
  const { answers, contact } = await readPreDraft(request);
  if (!resume && eligibilityOutcome(answers) !== "eligible")
    throw redirect(`/${params.lang}/apply/eligibility/in-france`);
  // Translated here so applicants' pages never load the helpers' namespace.
  const helperNote = consent
    ? (await fixedT(lang, "caseload"))("contactNote", { name: consent.applicantName })
    : null;
  return {
    helperNote,
    resume,
    titleKey: resume ? "journey:resume.title" : "journey:contact.title",
    values: { email: contact.email, mobile: contact.mobile },
    back: `/${params.lang}/apply${resume ? "" : "/eligible"}`,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const resume = isResume(request);
  const lang = params.lang as string;
  const consent = resume ? null : await assistedBy(request, lang);
  const { values } = await readForm(request);
  const parsed = contactSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const contact = { email: parsed.data.email, mobile: parsed.data.mobile };
  const tooMany = await limitCodeRequest(context.clientIp, contact);
  if (tooMany) return tooMany;
  // Resuming: a code goes out only if we hold an application for these details, but the answer is
  // the same either way, so nobody can learn who has applied.
  if (!resume || (await findByContact(contact)).length) {
    await issueCode(resume ? "resume" : "verify_contact", contact, consent?.lang ?? lang);
  }
  const preDraft = await readPreDraft(request);
  return redirect(`/${lang}/apply${resume ? "/resume" : ""}/verify`, {
    headers: { "Set-Cookie": await preDraft.save({ contact }) },
  });
}

export default function Contact() {
  const { resume, titleKey, values, back, helperNote } = useLoaderData<typeof loader>();
  return (
    <QuestionForm
      before={helperNote && <InsetText>{helperNote}</InsetText>}
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
