import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { and, eq, isNull } from "drizzle-orm";
import { type consentMethods, helperConsents, helperUsers, organisations } from "../../db/schema";
import { type Actor, auditAccessDenied } from "../domain/audit/audit.server";
import { isUuid } from "../domain/cases/cases.rules";
import { db } from "./db.server";
import { type AppSession, extendSession, getSession, rotateSession, signedInTooLong } from "./session.server";

/**
 * NGO helpers' sessions and the object-level check behind every page they open. A helper's
 * session is the same cookie as an applicant's: while helping, it also carries the case being
 * worked on (`eoiId` for the application pages, `statusEoiId` for status and booking), and every
 * request re-checks that the organisation still holds the applicant's consent for it.
 */
export interface HelperMember {
  id: string;
  name: string;
  email: string;
  role: "helper" | "coordinator";
  lang: "fr" | "en" | "ar";
  organisationId: string;
  organisationName: string;
}

/** Helpers' sessions end after 30 minutes without activity. */
export const HELPER_IDLE_MINUTES = 30;
/** Between the password and the second factor. */
export const HELPER_PENDING_MINUTES = 10;

/** Consent recorded on the consent page, waiting for the draft it will belong to. */
export interface PendingConsent {
  applicantName: string;
  method: (typeof consentMethods)[number];
  lang: string;
  textShown: string;
  givenAt: string;
}

/**
 * The helper signed in on this session, or null (suspended, "signed out everywhere" and signed in
 * more than MAX_SIGNED_IN_HOURS ago count as out).
 */
export async function helperOfSession(session: AppSession): Promise<HelperMember | null> {
  const helperId = session.get("helperId") as string | undefined;
  const signedInAt = session.get("helperSignedInAt") as number | undefined;
  if (!helperId || !signedInAt) return null;
  const [row] = await db()
    .select({
      id: helperUsers.id,
      name: helperUsers.name,
      email: helperUsers.email,
      role: helperUsers.role,
      lang: helperUsers.lang,
      organisationId: helperUsers.organisationId,
      organisationName: organisations.name,
      suspendedAt: helperUsers.suspendedAt,
      sessionsValidAfter: helperUsers.sessionsValidAfter,
    })
    .from(helperUsers)
    .innerJoin(organisations, eq(organisations.id, helperUsers.organisationId))
    .where(eq(helperUsers.id, helperId));
  if (!row || row.suspendedAt || signedInAt < row.sessionsValidAfter.getTime() || signedInTooLong(signedInAt))
    return null;
  const { suspendedAt: _s, sessionsValidAfter: _v, ...helper } = row;
  return helper;
}

export const currentHelper = async (request: Request) => helperOfSession(await getSession(request));

/**
 * The guard of every helper page: not signed in → the helpers' sign-in page; a helper page for
 * coordinators only → 403. Each use slides the idle timeout forward.
 */
export async function requireHelper(
  request: Request,
  lang: string,
  options: { coordinator?: boolean } = {},
): Promise<HelperMember> {
  const session = await getSession(request);
  const helper = await helperOfSession(session);
  if (!helper) throw redirect(`/${lang}/helpers`);
  if (options.coordinator && helper.role !== "coordinator") {
    await auditAccessDenied({ type: "helper", id: helper.id }, "coordinator", request);
    throw new Response("Forbidden", { status: 403 });
  }
  await extendSession(session, HELPER_IDLE_MINUTES);
  return helper;
}

export const helperActor = (
  helper: { id: string },
  context: Pick<AppLoadContext, "clientIp" | "requestId">,
  eoiId?: string,
): Actor => ({
  type: "helper",
  id: helper.id,
  onBehalfOf: eoiId,
  ip: context.clientIp,
  requestId: context.requestId,
});

/** Whether the organisation holds the applicant's consent, in force now, for this EOI. */
export async function consentInForce(organisationId: string, eoiId: string): Promise<boolean> {
  if (!isUuid(eoiId)) return false;
  const [row] = await db()
    .select({ id: helperConsents.id })
    .from(helperConsents)
    .where(
      and(
        eq(helperConsents.eoiId, eoiId),
        eq(helperConsents.organisationId, organisationId),
        isNull(helperConsents.revokedAt),
      ),
    );
  return Boolean(row);
}

/**
 * A case of the helper's organisation, or 404: another organisation's case, a revoked consent
 * and a case that does not exist all look the same, so nothing can be learnt by guessing ids.
 */
export async function requireHelperCase(request: Request, lang: string, eoiId: string | undefined) {
  const helper = await requireHelper(request, lang);
  if (!eoiId || !(await consentInForce(helper.organisationId, eoiId)))
    throw new Response("Not found", { status: 404 });
  return helper;
}

/** The password passed: who, until the second factor, in a new session (no fixation). */
export const startPendingHelperSignIn = (request: Request, helperId: string) =>
  rotateSession(
    request,
    { subject: `helper-pending:${helperId}`, helperPendingId: helperId },
    HELPER_PENDING_MINUTES,
  );

export async function pendingHelperSignIn(request: Request, lang: string) {
  const session = await getSession(request);
  const helperId = session.get("helperPendingId") as string | undefined;
  if (!helperId) throw redirect(`/${lang}/helpers`);
  return { session, helperId };
}

/**
 * The second factor passed (or the password just changed, which ended every session): a new
 * session id, then the caseload.
 */
export async function completeHelperSignIn(
  request: Request,
  helperId: string,
  lang: string,
  to = `/${lang}/helpers/cases`,
) {
  const cookie = await rotateSession(
    request,
    { subject: `helper:${helperId}`, helperId, helperSignedInAt: Date.now() },
    HELPER_IDLE_MINUTES,
    { browserSession: true },
  );
  return redirect(to, { headers: { "Set-Cookie": cookie } });
}

/** The session keys that make a session a helper's, kept when the helper opens a case. */
export const helperSessionKeys = (session: AppSession) => ({
  subject: session.get("subject") as string,
  helperId: session.get("helperId") as string,
  helperSignedInAt: session.get("helperSignedInAt") as number,
});
