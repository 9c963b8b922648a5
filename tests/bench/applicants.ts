// Simulated applicants for the HTTP benchmarks: complete drafts in a scratch database, and
// signed-in sessions for them with the production server's cookies.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { APPLICANT_SESSION_MINUTES, STATUS_SESSION_MINUTES } from "~/.server/applicant.server";
import { blindIndex, encryptJson } from "~/.server/crypto.server";
import type { Database } from "~/.server/db.server";
import { applicationWindows, eois, sessions } from "../../db/schema";
import { completeAnswers } from "../support/eoi";
import { vitestEnv } from "../support/test-env";

// The production server's cookies: `__Host-` names, signed with the same secret.
const sessionCookie = createCookie("__Host-session", { secrets: [vitestEnv.SESSION_SECRET] });
export const csrf = "bench-csrf-token";
export const csrfCookie = `__Host-csrf=${csrf}.${createHmac("sha256", vitestEnv.SESSION_SECRET).update(`csrf:${csrf}`).digest("base64url")}`;
/**
 * What a phone's browser sends with every request (Chrome for Android's Accept-Encoding): pages
 * come back compressed, as they do in real use, and their compression is part of the measure.
 */
export const browser = { "accept-encoding": "gzip, deflate, br, zstd" };
const hashId = (id: string) => createHash("sha256").update(id).digest("base64url");

/** Signed-in sessions holding `key` = each EOI id, created in bulk; returns their Cookie headers. */
export async function sessionsFor(
  db: Database,
  eoiIds: string[],
  key: "eoiId" | "statusEoiId",
): Promise<string[]> {
  const cookies: string[] = [];
  // As if each applicant had just opened a page: their session's idle timeout starts now.
  const minutes = key === "eoiId" ? APPLICANT_SESSION_MINUTES : STATUS_SESSION_MINUTES;
  const expiresAt = new Date(Date.now() + minutes * 60_000);
  for (let i = 0; i < eoiIds.length; i += 2000) {
    const rows = await Promise.all(
      eoiIds.slice(i, i + 2000).map(async (eoiId) => {
        const id = randomBytes(24).toString("base64url");
        const signed = (await sessionCookie.serialize(id)).split(";")[0] as string;
        cookies.push(`${signed}; ${csrfCookie}`);
        const subject = `eoi:${eoiId}`;
        return { id: hashId(id), subject, data: { [key]: eoiId, subject }, expiresAt };
      }),
    );
    await db.insert(sessions).values(rows);
  }
  return cookies;
}

/**
 * An open window and `count` complete drafts, each applicant distinct, with a signed-in session
 * each: returns the sessions' Cookie headers, in the drafts' order.
 */
export async function draftsReadyToSubmit(db: Database, count: number): Promise<string[]> {
  const day = 24 * 3600_000;
  await db.insert(applicationWindows).values({
    name: "Bench window",
    opensAt: new Date(Date.now() - day),
    closesAt: new Date(Date.now() + day),
  });
  return completeDrafts(db, count);
}

/** `count` complete drafts, each applicant distinct, each with a signed-in session (Cookie headers). */
export async function completeDrafts(db: Database, count: number): Promise<string[]> {
  const draftIds: string[] = [];
  for (let i = 0; i < count; i += 2000) {
    const rows = Array.from({ length: Math.min(2000, count - i) }, (_, j) => {
      const n = i + j;
      const contact = { email: `bench${n}@example.org`, mobile: "+33612345678" };
      // Names have no digits: the number in letters (base 26) keeps every applicant distinct.
      const letters = n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + Number.parseInt(d, 26)));
      const answers = completeAnswers({
        givenNames: `Bench ${letters}`,
        documentNumber: `BN${String(n).padStart(7, "0")}`,
      });
      return {
        lang: "fr",
        answersEnc: encryptJson({ contact, answers }),
        emailHash: blindIndex("email", contact.email),
        contactVerifiedAt: new Date(),
      };
    });
    const inserted = await db.insert(eois).values(rows).returning({ id: eois.id });
    draftIds.push(...inserted.map((r) => r.id));
  }
  return sessionsFor(db, draftIds, "eoiId");
}

/** The applicant a connection is playing: autocannon's per-connection context. */
interface Applicant {
  cookie: string;
  address: string;
}

/**
 * autocannon's requests for one submission: POST the declaration of the next draft, then GET the
 * confirmation. `nextCookie` gives the next applicant's Cookie header, `nextAddress` their address.
 */
export function submissionRequests(
  origin: string,
  nextCookie: () => string,
  nextAddress: () => string,
): NonNullable<import("autocannon").Options["requests"]> {
  return [
    {
      method: "POST",
      setupRequest: (request, context) => {
        const applicant = context as Applicant;
        applicant.cookie = nextCookie();
        applicant.address = nextAddress();
        return {
          ...request,
          path: "/fr/apply/declaration",
          headers: {
            ...browser,
            "content-type": "application/x-www-form-urlencoded",
            origin,
            cookie: applicant.cookie,
            "x-forwarded-for": applicant.address,
          },
          body: `csrf=${csrf}&declaration=yes`,
        };
      },
    },
    {
      method: "GET",
      setupRequest: (request, context) => {
        const { cookie, address } = context as Applicant;
        return {
          ...request,
          path: "/fr/apply/confirmation",
          headers: { ...browser, cookie, "x-forwarded-for": address },
        };
      },
    },
  ];
}
