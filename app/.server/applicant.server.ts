import { type AppLoadContext, createCookieSessionStorage, redirect } from "@remix-run/node";
import type { Actor } from "~/domain/audit/audit.server";
import type { AllAnswers } from "~/domain/eoi/eoi.pages";
import { draftOf, loadEoi } from "~/domain/eoi/eoi.service.server";
import type { Contact } from "~/domain/notifications/outbox.server";
import { decryptJson, encryptJson } from "./crypto.server";
import { env } from "./env.server";
import {
  consentInForce,
  HELPER_IDLE_MINUTES,
  helperActor,
  helperOfSession,
  helperSessionKeys,
} from "./helper-auth.server";
import { commitSession, draftRowOf, getSession, rotateSession, signedInTooLong } from "./session.server";

type PreDraft = { answers?: AllAnswers; contact?: Contact; reference?: string };

/**
 * Before a draft exists, eligibility answers and the contact details awaiting their code live in
 * a cookie on the applicant's own device: someone found not eligible leaves nothing stored. The
 * cookie is sealed (AES-GCM, decision 006) as well as signed, so a shared phone shows nothing of
 * them (ASVS 8.2.2).
 */
const preDraft = createCookieSessionStorage<{ sealed: string }>({
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

/** What a sealed cookie holds; nothing if it cannot be opened (another key, or tampered with). */
function unseal(sealed: string | undefined): PreDraft {
  if (!sealed) return {};
  try {
    return decryptJson<PreDraft>(sealed);
  } catch {
    return {};
  }
}

export async function readPreDraft(request: Request) {
  const session = await preDraft.getSession(request.headers.get("Cookie"));
  let data = unseal(session.get("sealed"));
  return {
    answers: data.answers ?? {},
    contact: data.contact ?? {},
    /** The reference being signed in to on the status pages. */
    reference: data.reference,
    save: async (changes: PreDraft) => {
      data = {
        answers: changes.answers ?? data.answers,
        contact: changes.contact ?? data.contact,
        reference: changes.reference ?? data.reference,
      };
      session.set("sealed", encryptJson(data));
      return preDraft.commitSession(session);
    },
    clear: () => preDraft.destroySession(session),
  };
}

/** Applicant sessions are short: 30 minutes after the last page. */
export const APPLICANT_SESSION_MINUTES = 30;

export function applicantActor(context: RequestContext, eoiId?: string): Actor {
  return { type: "applicant", id: eoiId, ip: context.clientIp, requestId: context.requestId };
}

/** Status pages sign applicants in for a shorter time than a draft being filled in. */
export const STATUS_SESSION_MINUTES = 15;

type RequestContext = Pick<AppLoadContext, "clientIp" | "requestId">;
type CaseKey = "eoiId" | "statusEoiId";

/**
 * The EOI this session works on, and who is acting: the applicant, or an NGO helper acting for
 * them. A helper's access is checked again on every request (their organisation must hold the
 * applicant's consent, in force now), so a revoked consent or a suspension ends it at once.
 */
async function requireCaseSession(
  request: Request,
  context: RequestContext,
  lang: string,
  key: CaseKey,
  withDraft = false,
) {
  const session = await getSession(request, { withDraft });
  const eoiId = session.get(key) as string | undefined;
  const helperId = session.get("helperId") as string | undefined;
  if (!helperId) {
    if (!eoiId || signedInTooLong(session.get("signedInAt") as number | undefined))
      throw redirect(key === "eoiId" ? `/${lang}/apply/resume` : `/${lang}/status`);
    const minutes = key === "eoiId" ? APPLICANT_SESSION_MINUTES : STATUS_SESSION_MINUTES;
    return {
      eoiId,
      helper: null,
      actor: applicantActor(context, eoiId),
      setCookie: await commitSession(session, minutes),
    };
  }
  const helper = await helperOfSession(session);
  if (!helper) throw redirect(`/${lang}/helpers`);
  if (!eoiId || !(await consentInForce(helper.organisationId, eoiId)))
    throw new Response("Not found", { status: 404 });
  return {
    eoiId,
    helper,
    actor: helperActor(helper, context, eoiId),
    setCookie: await commitSession(session, HELPER_IDLE_MINUTES),
  };
}

/** The EOI followed on the status and booking pages, or a redirect to sign in. */
export const requireStatusSession = (request: Request, context: RequestContext, lang: string) =>
  requireCaseSession(request, context, lang, "statusEoiId");

/** The session of a draft being filled in, without reading the draft (the caller will). */
export const requireDraftSession = (request: Request, context: RequestContext, lang: string) =>
  requireCaseSession(request, context, lang, "eoiId");

/**
 * The draft being filled in, or a redirect to "resume" (sign in again with a code). Also returns
 * the Set-Cookie that slides the session's expiry, and the actor for the audit log.
 */
export async function requireDraft(request: Request, context: RequestContext, lang: string) {
  const { eoiId, ...rest } = await requireCaseSession(request, context, lang, "eoiId", true);
  // Read with the session when it is the session's own draft (session.server.ts).
  const row = draftRowOf(await getSession(request), eoiId);
  const draft = row ? draftOf(row) : await loadEoi(eoiId);
  if (!draft) throw redirect(`/${lang}/apply/resume`);
  return { draft, ...rest };
}

/**
 * After a code proved the contact details: the session now works on this EOI. An applicant gets a
 * new session of their own; a helper keeps theirs (whose case it is, is checked on every request).
 */
export async function signInToCase(request: Request, key: CaseKey, eoiId: string, minutes: number) {
  const session = await getSession(request);
  if (await helperOfSession(session)) {
    const other: CaseKey = key === "eoiId" ? "statusEoiId" : "eoiId";
    return rotateSession(
      request,
      { ...helperSessionKeys(session), [key]: eoiId, [other]: session.get(other) },
      HELPER_IDLE_MINUTES,
      { browserSession: true },
    );
  }
  return rotateSession(request, { [key]: eoiId, subject: `eoi:${eoiId}`, signedInAt: Date.now() }, minutes);
}
