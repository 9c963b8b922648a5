import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  APPLICANT_SESSION_MINUTES,
  applicantActor,
  readPreDraft,
  signInToCase,
} from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { helperActor, helperOfSession, type PendingConsent } from "~/.server/helper-auth.server";
import { limit, limitCodeRequest } from "~/.server/limits.server";
import { getSession } from "~/.server/session.server";
import { CodeForm } from "~/components/form/code-form";
import { issueCode, verifyCode } from "~/domain/auth/otp.service.server";
import { codeSchema } from "~/domain/eoi/eoi.schema";
import { createDraft, findByContact } from "~/domain/eoi/eoi.service.server";
import { maskContact } from "~/domain/notifications/mask";

export const handle = { i18n: ["apply", "journey"], titleKey: "journey:verify.title" };

/**
 * One module for two URLs: /apply/verify confirms the contact details of a new applicant (and
 * creates the draft); /apply/resume/verify signs an applicant back in to an existing application.
 */
type Purpose = "verify_contact" | "resume";
const purposeOf = (request: Request): Purpose =>
  new URL(request.url).pathname.includes("/resume/") ? "resume" : "verify_contact";
const backOf = (purpose: Purpose) => (purpose === "resume" ? "apply/resume" : "apply/contact");

export async function loader({ params, request }: LoaderFunctionArgs) {
  const purpose = purposeOf(request);
  const { contact } = await readPreDraft(request);
  if (!contact.email && !contact.mobile) throw redirect(`/${params.lang}/${backOf(purpose)}`);
  return { sentTo: maskContact(contact), back: `/${params.lang}/${backOf(purpose)}` };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const purpose = purposeOf(request);
  const lang = params.lang as string;
  const { values } = await readForm(request);
  const preDraft = await readPreDraft(request);
  const { contact } = preDraft;
  if (!contact.email && !contact.mobile) throw redirect(`/${lang}/${backOf(purpose)}`);
  if (values.intent === "resend") {
    const tooMany = await limitCodeRequest(context.clientIp, contact);
    if (tooMany) return tooMany;
    // A helper's applicant gets the code in their own language, as the first one.
    const consent = (await getSession(request)).get("pendingConsent") as PendingConsent | undefined;
    if (purpose === "verify_contact" || (await findByContact(contact)).length)
      await issueCode(purpose, contact, consent?.lang ?? lang);
    return { resent: true, errors: {}, values: {} };
  }
  const { intent: _intent, ...fields } = values;
  const parsed = codeSchema().safeParse(fields);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
  const tooMany = await limit("codeCheckPerClient", context.clientIp);
  if (tooMany) return tooMany;
  const verified = await verifyCode(purpose, contact, parsed.data.code as string);
  // A wrong, used or expired code all get the same answer.
  if (!verified) return invalid({ code: "journey:verify.wrongCode" }, fields);

  let eoiId: string | undefined;
  if (purpose === "verify_contact") {
    // A helper starts an application only after recording the applicant's consent; the draft is
    // then the applicant's (their language, their contact details), assisted by the organisation.
    const session = await getSession(request);
    const helper = await helperOfSession(session);
    const consent = session.get("pendingConsent") as PendingConsent | undefined;
    if (helper && !consent) throw redirect(`/${lang}/helpers/cases/new`);
    eoiId = await createDraft({
      lang: consent?.lang ?? lang,
      contact,
      answers: preDraft.answers,
      actor: helper ? helperActor(helper, context) : applicantActor(context),
      assistance: helper && consent ? { helper, consent } : undefined,
    });
  } else {
    const found = await findByContact(contact);
    eoiId = (found.find((e) => e.status === "draft") ?? found[0])?.id;
    if (!eoiId) return invalid({ code: "journey:verify.wrongCode" }, fields);
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await signInToCase(request, "eoiId", eoiId, APPLICANT_SESSION_MINUTES));
  headers.append("Set-Cookie", await preDraft.clear());
  return redirect(`/${lang}/apply/tasks`, { headers });
}

export default function Verify() {
  const { sentTo, back } = useLoaderData<typeof loader>();
  return <CodeForm sentTo={sentTo} back={back} />;
}
