import { createCookieSessionStorage, redirect } from "@remix-run/node";
import type { Actor } from "~/domain/audit/audit.server";
import type { AllAnswers } from "~/domain/eoi/eoi.pages";
import { type Draft, loadEoi } from "~/domain/eoi/eoi.service.server";
import type { Contact } from "~/domain/notifications/outbox.server";
import { env } from "./env.server";
import { commitSession, getSession } from "./session.server";

/**
 * Before a draft exists, eligibility answers and the contact details awaiting their code live in
 * a signed cookie on the applicant's own device: someone found not eligible leaves nothing stored.
 */
const preDraft = createCookieSessionStorage<{ answers: AllAnswers; contact: Contact; reference: string }>({
  cookie: {
    name: env.isProduction ? "__Host-apply" : "apply",
    httpOnly: true,
    sameSite: "lax",
    secure: env.isProduction,
    path: "/",
    maxAge: 2 * 60 * 60,
    secrets: [env.SESSION_SECRET],
  },
});

export async function readPreDraft(request: Request) {
  const session = await preDraft.getSession(request.headers.get("Cookie"));
  return {
    answers: session.get("answers") ?? {},
    contact: session.get("contact") ?? {},
    /** The reference being signed in to on the status pages. */
    reference: session.get("reference"),
    save: async (data: { answers?: AllAnswers; contact?: Contact; reference?: string }) => {
      if (data.answers) session.set("answers", data.answers);
      if (data.contact) session.set("contact", data.contact);
      if (data.reference) session.set("reference", data.reference);
      return preDraft.commitSession(session);
    },
    clear: () => preDraft.destroySession(session),
  };
}

/** Applicant sessions are short: 30 minutes after the last page. */
export const APPLICANT_SESSION_MINUTES = 30;

export function applicantActor(context: { clientIp: string; requestId: string }, eoiId?: string): Actor {
  return { type: "applicant", id: eoiId, ip: context.clientIp, requestId: context.requestId };
}

/** Status pages sign applicants in for a shorter time than a draft being filled in. */
export const STATUS_SESSION_MINUTES = 15;

/** The signed-in applicant's EOI id for the status pages, or a redirect to sign in. */
export async function requireStatusSession(
  request: Request,
  lang: string,
): Promise<{ eoiId: string; setCookie: string }> {
  const session = await getSession(request);
  const eoiId = session.get("statusEoiId") as string | undefined;
  if (!eoiId) throw redirect(`/${lang}/status`);
  return { eoiId, setCookie: await commitSession(session, STATUS_SESSION_MINUTES) };
}

/**
 * The draft of the signed-in applicant, or a redirect to "resume" (sign in again with a code).
 * Also returns the Set-Cookie that slides the session's expiry.
 */
export async function requireDraft(
  request: Request,
  lang: string,
): Promise<{ draft: Draft; setCookie: string }> {
  const session = await getSession(request);
  const eoiId = session.get("eoiId") as string | undefined;
  const draft = eoiId ? await loadEoi(eoiId) : null;
  if (!draft) throw redirect(`/${lang}/apply/resume`);
  return { draft, setCookie: await commitSession(session, APPLICANT_SESSION_MINUTES) };
}
