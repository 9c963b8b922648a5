import { createHash } from "node:crypto";
import { createCookie, createSessionStorage, type Session } from "@remix-run/node";
import { eq, lt } from "drizzle-orm";
import { sessions } from "../../db/schema";
import { randomToken } from "./crypto.server";
import { db } from "./db.server";
import { env } from "./env.server";

// The cookie holds only a signed random id; the data lives in the database, hashed by id, so a
// session can be ended everywhere and a leaked table row cannot be replayed as a cookie.
const hashId = (id: string) => createHash("sha256").update(id).digest("base64url");

const cookie = createCookie(env.isProduction ? "__Host-session" : "session", {
  httpOnly: true,
  sameSite: "lax",
  secure: env.isProduction,
  path: "/",
  secrets: [env.SESSION_SECRET],
});

const storage = createSessionStorage({
  cookie,
  async createData(data, expires) {
    const id = randomToken();
    await db()
      .insert(sessions)
      .values({
        id: hashId(id),
        subject: (data.subject as string | undefined) ?? null,
        data,
        expiresAt: expires ?? new Date(Date.now() + 30 * 60_000),
      });
    return id;
  },
  async readData(id) {
    const [row] = await db()
      .select()
      .from(sessions)
      .where(eq(sessions.id, hashId(id)));
    if (!row || row.expiresAt < new Date()) return null;
    return row.data;
  },
  async updateData(id, data, expires) {
    await db()
      .update(sessions)
      .set({
        data,
        subject: (data.subject as string | undefined) ?? null,
        expiresAt: expires ?? new Date(Date.now() + 30 * 60_000),
      })
      .where(eq(sessions.id, hashId(id)));
  },
  async deleteData(id) {
    await db()
      .delete(sessions)
      .where(eq(sessions.id, hashId(id)));
  },
});

export type AppSession = Session;

/**
 * However active it stays, a sign-in lasts at most this long: then the password and second factor
 * (staff, helpers) or a code (applicants) again. Idle timeouts are shorter and set per kind.
 */
export const MAX_SIGNED_IN_HOURS = 12;

/** Whether a sign-in made at `signedInAt` (ms) is past MAX_SIGNED_IN_HOURS. */
export const signedInTooLong = (signedInAt: number | undefined, now = Date.now()): boolean =>
  signedInAt !== undefined && now - signedInAt > MAX_SIGNED_IN_HOURS * 3_600_000;

export const getSession = (request: Request) => storage.getSession(request.headers.get("Cookie"));

/** Saves the session, sliding its expiry forward by `minutes` (short for applicants). */
export const commitSession = (session: Session, minutes = 30) =>
  storage.commitSession(session, { expires: new Date(Date.now() + minutes * 60_000) });

export const destroySession = (session: Session) => storage.destroySession(session);

/**
 * Sign-in rotates the session id (no fixation): the old row is removed and a new one is created
 * with the given data.
 */
export async function rotateSession(
  request: Request,
  data: Record<string, unknown>,
  minutes = 30,
  options: { browserSession?: boolean } = {},
) {
  const old = await getSession(request);
  if (old.id) await storage.destroySession(old);
  const fresh = await storage.getSession();
  for (const [key, value] of Object.entries(data)) fresh.set(key, value);
  const header = await commitSession(fresh, minutes);
  // A browser-session cookie (no Expires) for staff: the idle timeout is the row's expiry, slid
  // forward on every request by extendSession, so an active shift is never cut off mid-task.
  return options.browserSession ? header.replace(/; Expires=[^;]+/i, "") : header;
}

/** Slides a session's expiry forward without sending a new cookie (staff idle timeout). */
export async function extendSession(session: Session, minutes: number): Promise<void> {
  if (!session.id) return;
  await db()
    .update(sessions)
    .set({ expiresAt: new Date(Date.now() + minutes * 60_000) })
    .where(eq(sessions.id, hashId(session.id)));
}

export async function purgeExpiredSessions(): Promise<void> {
  await db().delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
