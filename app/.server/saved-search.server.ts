import { STAFF_IDLE_MINUTES } from "../domain/staff/staff.rules";
import { decryptJson, encryptJson, randomToken } from "./crypto.server";
import { commitSession, getSession } from "./session.server";

/**
 * ASVS 8.3.1: what names a person (an applicant's name, a case or person reference, a colleague's
 * email) never goes into a URL, where browser history, proxy and server logs and the Referer
 * header would keep it. A back-office search form posts; its personal terms are kept, encrypted,
 * in the staff member's own server-side session under a random id, and the results page's URL
 * carries only that id (`?search=…`) beside the filters that name nobody, which stay shareable.
 * The id means nothing in another session, and the terms end with the session (decision 020).
 */

/** The URL parameter that stands for the saved terms. */
export const SEARCH_PARAM = "search";

/** A session keeps its latest searches only (an older one in another tab must be typed again). */
const KEPT = 20;

interface Saved {
  id: string;
  page: string;
  terms: string;
}

const savedOf = (session: { get(key: string): unknown }) =>
  (session.get("searches") as Saved[] | undefined) ?? [];

/** Saves a page's personal terms and returns their id, or null when none was given. */
export async function saveSearch(
  request: Request,
  page: string,
  terms: Record<string, string | undefined>,
): Promise<string | null> {
  const given = Object.fromEntries(Object.entries(terms).filter(([, value]) => value?.trim()));
  if (Object.keys(given).length === 0) return null;
  const session = await getSession(request);
  const id = randomToken(16);
  session.set("searches", [...savedOf(session), { id, page, terms: encryptJson(given) }].slice(-KEPT));
  // Same session id: the cookie the browser holds (a browser-session cookie) is left as it is.
  await commitSession(session, STAFF_IDLE_MINUTES);
  return id;
}

/**
 * The search the URL names, with its terms: `{ id: null, terms: {} }` when it names none, and null
 * when it names one this session does not have (another person's link, or an ended session).
 */
export async function savedSearch(
  request: Request,
  page: string,
): Promise<{ id: string | null; terms: Record<string, string> } | null> {
  const id = new URL(request.url).searchParams.get(SEARCH_PARAM);
  if (!id) return { id: null, terms: {} };
  const found = savedOf(await getSession(request)).find((s) => s.id === id && s.page === page);
  return found ? { id, terms: decryptJson<Record<string, string>>(found.terms) } : null;
}
