import { createHash } from "node:crypto";
import { createCookie, createSession, createSessionStorage, type Session } from "@remix-run/node";
import { eq, lt, sql } from "drizzle-orm";
import { eois, familyGroups, sessions } from "../../db/schema";
import { randomToken } from "./crypto.server";
import { db, reusable } from "./db.server";
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
  // Sessions are read by getSession below, which also keeps what was read.
  readData: async () => null,
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

/** The session as read, for commitSession to tell whether it needs writing. */
const asRead = new WeakMap<Session, { data: string; expiresAt: number }>();
/** One read per request: a page's layout and route loaders share it (they get the same Request). */
const perRequest = new WeakMap<Request, Promise<Session>>();

/**
 * The request's session. `withDraft: false` skips reading the draft with it, for a request that
 * reads the draft its own way (a submission reads it locked). The first read of a request decides.
 */
export function getSession(request: Request, { withDraft = true } = {}): Promise<Session> {
  let session = perRequest.get(request);
  if (!session) {
    session = readSession(request.headers.get("Cookie"), withDraft);
    perRequest.set(request, session);
  }
  return session;
}

/**
 * The session's row with the draft it works on (data.eoiId) joined in: the draft pages read both
 * in one round trip (draftRowOf). Nothing is decided on the draft here: requireDraft takes it
 * only after the session's checks, and only for the EOI they allowed.
 */
const sessionRow = reusable((executor) =>
  executor
    .select({
      data: sessions.data,
      expiresAt: sessions.expiresAt,
      eoi: eois,
      familyReference: familyGroups.familyReference,
    })
    .from(sessions)
    .leftJoin(eois, eq(eois.id, sql`(${sessions.data} ->> 'eoiId')::uuid`))
    .leftJoin(familyGroups, eq(familyGroups.id, eois.familyGroupId))
    .where(eq(sessions.id, sql.placeholder("id"))),
);
const sessionOnlyRow = reusable((executor) =>
  executor
    .select({ data: sessions.data, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(eq(sessions.id, sql.placeholder("id"))),
);

export interface DraftRow {
  eoi: typeof eois.$inferSelect;
  familyReference: string | null;
}

const draftRows = new WeakMap<Session, DraftRow>();

/** The row of EOI `eoiId` as read with the session, if it is the session's draft. */
export function draftRowOf(session: Session, eoiId: string): DraftRow | undefined {
  const row = draftRows.get(session);
  return row?.eoi.id === eoiId ? row : undefined;
}

async function readSession(header: string | null, withDraft: boolean): Promise<Session> {
  const id = header ? ((await cookie.parse(header)) as string | null) : null;
  if (!id) return createSession();
  const [row]: {
    data: unknown;
    expiresAt: Date;
    eoi?: DraftRow["eoi"] | null;
    familyReference?: string | null;
  }[] = withDraft
    ? await sessionRow(db(), { id: hashId(id) })
    : await sessionOnlyRow(db(), { id: hashId(id) });
  if (!row || row.expiresAt < new Date()) return createSession({}, id);
  const session = createSession(row.data as Record<string, unknown>, id);
  asRead.set(session, { data: JSON.stringify(row.data), expiresAt: row.expiresAt.getTime() });
  if (row.eoi) draftRows.set(session, { eoi: row.eoi, familyReference: row.familyReference ?? null });
  return session;
}

/**
 * A session whose data is unchanged is not written again within this long: sliding its expiry on
 * every page cost a write per request, so the idle timeout is kept to within a minute instead.
 */
const SLIDE_EVERY_MS = 60_000;

/** Saves the session, sliding its expiry forward by `minutes` (short for applicants). */
export async function commitSession(session: Session, minutes = 30): Promise<string> {
  const expires = new Date(Date.now() + minutes * 60_000);
  if (canWait(session, expires)) return cookie.serialize(session.id, { expires });
  const header = await storage.commitSession(session, { expires });
  // A new session's id is only in the cookie: without one here there is nothing to compare with.
  if (session.id) asRead.set(session, { data: JSON.stringify(session.data), expiresAt: expires.getTime() });
  return header;
}

/** Whether an unchanged session's expiry, slid to `expires`, can wait for a later write. */
function canWait(session: Session, expires: Date): boolean {
  const read = asRead.get(session);
  const slide = read ? expires.getTime() - read.expiresAt : -1;
  return slide >= 0 && slide < SLIDE_EVERY_MS && JSON.stringify(session.data) === read?.data;
}

export function destroySession(session: Session): Promise<string> {
  asRead.delete(session);
  return storage.destroySession(session);
}

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
  if (old.id) await destroySession(old);
  const fresh = await storage.getSession();
  for (const [key, value] of Object.entries(data)) fresh.set(key, value);
  const header = await commitSession(fresh, minutes);
  // A browser-session cookie (no Expires) for staff: the idle timeout is the row's expiry, slid
  // forward on every request by extendSession, so an active shift is never cut off mid-task.
  return options.browserSession ? header.replace(/; Expires=[^;]+/i, "") : header;
}

/** Slides a session's expiry forward without sending a new cookie (staff idle timeout). */
export async function extendSession(session: Session, minutes: number): Promise<void> {
  const expires = new Date(Date.now() + minutes * 60_000);
  if (!session.id || canWait(session, expires)) return;
  const read = asRead.get(session);
  if (read) asRead.set(session, { data: read.data, expiresAt: expires.getTime() });
  await db()
    .update(sessions)
    .set({ expiresAt: expires })
    .where(eq(sessions.id, hashId(session.id)));
}

export async function purgeExpiredSessions(): Promise<void> {
  await db().delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
