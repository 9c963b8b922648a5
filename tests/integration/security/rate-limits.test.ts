import { describe, expect, it } from "vitest";
import { readPreDraft } from "~/.server/applicant.server";
import { commitSession, getSession } from "~/.server/session.server";
import { loadEoi } from "~/domain/eoi/eoi.service.server";
import { generateReference } from "~/domain/eoi/reference";
import * as contact from "~/routes/lang/apply/contact";
import * as declaration from "~/routes/lang/apply/declaration";
import * as verify from "~/routes/lang/apply/verify";
import * as statusSignIn from "~/routes/lang/status/sign-in";
import * as staffSignIn from "~/routes/staff/sign-in";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, openWindowNow } from "../../support/eoi";
import { routeContext, staffRequest } from "../../support/staff";

setupTestDatabase("security-rate-limits");

// The limits of app/.server/limits.server.ts, through the routes that apply them (ASVS 2.2.1,
// 11.1.4): the request after the limit gets 429 with Retry-After, and the page says how long to wait.

type Handler = (args: never) => unknown;

/** Posts the same form `times` times from one client and returns the statuses. */
async function post(
  handler: Handler,
  path: string,
  form: Record<string, string>,
  times: number,
  ip: string,
  cookie?: string,
) {
  const statuses: number[] = [];
  let last: unknown;
  for (let i = 0; i < times; i++) {
    const request = staffRequest(cookie ? { cookie } : null, path, form);
    const context = { ...routeContext, clientIp: ip };
    last = await handler({ request, params: { lang: "fr" }, context } as never);
    statuses.push(
      last instanceof Response
        ? last.status
        : ((last as { init?: { status?: number } } | null)?.init?.status ?? 200),
    );
  }
  return { statuses, last: last as { init: { status: number; headers: Record<string, string> } } };
}

const tooManyAfter = (statuses: number[], allowed: number) => {
  expect(statuses.slice(0, allowed).every((s) => s !== 429)).toBe(true);
  expect(statuses.slice(allowed)).toEqual(statuses.slice(allowed).map(() => 429));
};

describe("rate limits", () => {
  it("codes by email or SMS: 5 an hour per contact details, whatever the client", async () => {
    const form = { email: "limit.contact@example.org", mobile: "" };
    const first = await post(contact.action as Handler, "/fr/apply/resume", form, 3, "198.51.100.1");
    const second = await post(contact.action as Handler, "/fr/apply/resume", form, 3, "198.51.100.2");
    tooManyAfter([...first.statuses, ...second.statuses], 5);
    const retryAfter = Number(second.last.init.headers["Retry-After"]);
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
  });

  it("code guesses: 30 per client per 15 minutes", async () => {
    const contactDetails = { email: "limit.guess@example.org" };
    const preDraft = await (await readPreDraft(new Request("http://localhost/"))).save({
      contact: contactDetails,
    });
    const cookie = preDraft.split(";")[0] as string;
    const { statuses } = await post(
      verify.action as Handler,
      "/fr/apply/verify",
      { code: "123456" },
      31,
      "198.51.100.3",
      cookie,
    );
    // Wrong codes are answered 422 until the limit, then 429.
    expect(statuses.slice(0, 30)).toEqual(statuses.slice(0, 30).map(() => 422));
    expect(statuses[30]).toBe(429);
  });

  it("status sign-in: 5 per reference per 15 minutes", async () => {
    const form = {
      reference: generateReference(),
      "signInDateOfBirth-day": "1",
      "signInDateOfBirth-month": "2",
      "signInDateOfBirth-year": "1990",
    };
    const { statuses } = await post(statusSignIn.action as Handler, "/fr/status", form, 6, "198.51.100.4");
    tooManyAfter(statuses, 5);
  });

  it("submissions: 30 a minute per client; one over the limit leaves the draft as it was", async () => {
    await openWindowNow();
    const draftCookie = async (eoiId: string) => {
      const session = await getSession(new Request("http://localhost/fr/apply/declaration"));
      session.set("eoiId", eoiId);
      session.set("signedInAt", Date.now());
      return (await commitSession(session, 30)).split(";")[0] as string;
    };
    const submit = async (eoiId: string, times: number, ip: string) =>
      post(
        declaration.action as Handler,
        "/fr/apply/declaration",
        { declaration: "yes" },
        times,
        ip,
        await draftCookie(eoiId),
      );
    const first = await completeDraft();
    // A repeated submission of a submitted application still counts: it is a request all the same.
    const { statuses } = await submit(first, 30, "198.51.100.6");
    expect(statuses).toEqual(statuses.map(() => 303));

    const second = await completeDraft();
    const refused = await submit(second, 1, "198.51.100.6");
    expect(refused.statuses).toEqual([429]);
    expect(Number(refused.last.init.headers["Retry-After"])).toBeGreaterThan(50);
    expect((await loadEoi(second))?.status).toBe("draft");

    expect((await submit(second, 1, "198.51.100.7")).statuses).toEqual([303]);
    expect((await loadEoi(second))?.status).toBe("submitted");
  });

  it("staff sign-in: 20 attempts per client per 15 minutes, on top of the account lockout", async () => {
    const form = { email: "nobody@staff.test", password: "not the password at all" };
    const { statuses, last } = await post(
      staffSignIn.action as Handler,
      "/staff/sign-in",
      form,
      21,
      "198.51.100.5",
    );
    tooManyAfter(statuses, 20);
    expect(Number(last.init.headers["Retry-After"])).toBeGreaterThan(800);
  });
});
