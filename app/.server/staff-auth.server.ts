import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { type StaffRole, staffUsers } from "../../db/schema";
import { type Actor, auditAccessDenied } from "../domain/audit/audit.server";
import { can, type Permission, STAFF_IDLE_MINUTES, STAFF_PASSWORD_PATH } from "../domain/staff/staff.rules";
import { db } from "./db.server";
import { env } from "./env.server";
import { staffLanguageCookie } from "./i18n.server";
import { extendSession, getSession, rotateSession, signedInTooLong } from "./session.server";

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  lang: "en" | "fr";
  /** The password is still the one an administrator chose. */
  mustChangePassword: boolean;
}

export const staffActor = (
  staff: { id: string },
  context: Pick<AppLoadContext, "clientIp" | "requestId">,
): Actor => ({
  type: "staff",
  id: staff.id,
  ip: context.clientIp,
  requestId: context.requestId,
});

/**
 * The signed-in staff member, or null. A session counts only if it was completed with the second
 * factor, the account is not disabled, and it started after the account's last "sign out
 * everywhere" and less than MAX_SIGNED_IN_HOURS ago. Each use slides the idle timeout forward.
 */
export async function currentStaff(request: Request): Promise<StaffMember | null> {
  const session = await getSession(request);
  const staffId = session.get("staffId") as string | undefined;
  const signedInAt = session.get("signedInAt") as number | undefined;
  if (!staffId || !signedInAt) return null;
  const [user] = await db()
    .select({
      id: staffUsers.id,
      name: staffUsers.name,
      email: staffUsers.email,
      role: staffUsers.role,
      lang: staffUsers.lang,
      mustChangePassword: staffUsers.mustChangePassword,
      disabledAt: staffUsers.disabledAt,
      sessionsValidAfter: staffUsers.sessionsValidAfter,
    })
    .from(staffUsers)
    .where(eq(staffUsers.id, staffId));
  if (
    !user ||
    user.disabledAt ||
    signedInAt < user.sessionsValidAfter.getTime() ||
    signedInTooLong(signedInAt)
  )
    return null;
  await extendSession(session, STAFF_IDLE_MINUTES);
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    lang: user.lang,
    mustChangePassword: user.mustChangePassword,
  };
}

/**
 * The guard of the password page: signed in, whether or not the password must still be changed.
 * Not signed in → the sign-in page, coming back here afterwards.
 */
export async function requireStaffForPasswordChange(request: Request): Promise<StaffMember> {
  const staff = await currentStaff(request);
  if (!staff) {
    const url = new URL(request.url);
    const back = request.method === "GET" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
    throw redirect(`/staff/sign-in${back}`);
  }
  return staff;
}

/**
 * The guard of every other back-office loader and action: not signed in → the sign-in page;
 * a password an administrator chose → the password page first (ASVS 2.3.1); signed in without
 * the permission → 403. Checked on the server for every request, whatever the page shows.
 */
export async function requireStaff(request: Request, permission?: Permission): Promise<StaffMember> {
  const staff = await requireStaffForPasswordChange(request);
  if (staff.mustChangePassword) throw redirect(STAFF_PASSWORD_PATH);
  if (permission) await requirePermission(staff, permission, request);
  return staff;
}

/**
 * A permission of the signed-in staff member: a refusal is audited, then answered 403. The actor
 * carries the address and request id where the caller has them.
 */
export async function requirePermission(
  staff: StaffMember,
  permission: Permission,
  request: Request,
  actor: Actor = { type: "staff", id: staff.id },
): Promise<void> {
  if (can(staff.role, permission)) return;
  await auditAccessDenied(actor, permission, request);
  throw new Response("Forbidden", { status: 403 });
}

/** Only back-office paths may be returned to after sign-in (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/staff(\/[\w\-/?=&%.]*)?$/.test(next) && !next.startsWith("/staff/sign-")
    ? next
    : "/staff";
}

/** Remembers the staff member's language for the back office (profile, or before sign-in). */
export const staffLanguageHeader = (lang: "en" | "fr") =>
  `${staffLanguageCookie}=${lang}; Path=/staff; Max-Age=31536000; SameSite=Lax; HttpOnly${env.isProduction ? "; Secure" : ""}`;

/** Between the password and the second factor: who, where to go next, and for how long. */
export const PENDING_SIGN_IN_MINUTES = 10;

export async function pendingSignIn(request: Request) {
  const session = await getSession(request);
  const staffId = session.get("staffPendingId") as string | undefined;
  if (!staffId) throw redirect("/staff/sign-in");
  return { session, staffId, next: session.get("next") as string | undefined };
}

/**
 * The second factor passed (or the password just changed, which ended every session): a new
 * session id (no fixation), the profile's language, onwards.
 */
export async function completeSignIn(request: Request, staffId: string, next: string | undefined) {
  const [user] = await db()
    .select({ lang: staffUsers.lang })
    .from(staffUsers)
    .where(eq(staffUsers.id, staffId));
  const headers = new Headers();
  headers.append(
    "Set-Cookie",
    await rotateSession(
      request,
      { subject: `staff:${staffId}`, staffId, signedInAt: Date.now() },
      STAFF_IDLE_MINUTES,
      { browserSession: true },
    ),
  );
  headers.append("Set-Cookie", staffLanguageHeader(user?.lang ?? "en"));
  return redirect(safeNext(next), { headers });
}
