// Simulated applicants for the HTTP benchmarks: complete drafts in a scratch database, and
// signed-in sessions for them with the production server's cookies.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type postgres from "postgres";
import { APPLICANT_SESSION_MINUTES, STATUS_SESSION_MINUTES } from "~/.server/applicant.server";
import { blindIndex, encryptJson } from "~/.server/crypto.server";
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
  raw: postgres.Sql,
  eoiIds: string[],
  key: "eoiId" | "statusEoiId",
): Promise<string[]> {
  const cookies: string[] = [];
  // As if each applicant had just opened a page: their session's idle timeout starts now.
  const minutes = key === "eoiId" ? APPLICANT_SESSION_MINUTES : STATUS_SESSION_MINUTES;
  const expires = new Date(Date.now() + minutes * 60_000).toISOString();
  for (let i = 0; i < eoiIds.length; i += 2000) {
    const rows = await Promise.all(
      eoiIds.slice(i, i + 2000).map(async (eoiId) => {
        const id = randomBytes(24).toString("base64url");
        const signed = (await sessionCookie.serialize(id)).split(";")[0] as string;
        cookies.push(`${signed}; ${csrfCookie}`);
        return { id: hashId(id), subject: `eoi:${eoiId}`, data: { [key]: eoiId, subject: `eoi:${eoiId}` } };
      }),
    );
    await raw`insert into sessions ${raw(rows.map((r) => ({ ...r, expires_at: expires })))}`;
  }
  return cookies;
}

/**
 * An open window and `count` complete drafts, each applicant distinct, with a signed-in session
 * each: returns the sessions' Cookie headers, in the drafts' order.
 */
export async function draftsReadyToSubmit(raw: postgres.Sql, count: number): Promise<string[]> {
  await raw`insert into application_windows (name, opens_at, closes_at)
            values ('Bench window', now() - interval '1 day', now() + interval '1 day')`;
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
        answers_enc: encryptJson({ contact, answers }),
        email_hash: blindIndex("email", contact.email),
        contact_verified_at: new Date().toISOString(),
      };
    });
    const inserted = await raw<{ id: string }[]>`insert into eois ${raw(rows)} returning id`;
    draftIds.push(...inserted.map((r) => r.id));
  }
  return sessionsFor(raw, draftIds, "eoiId");
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
