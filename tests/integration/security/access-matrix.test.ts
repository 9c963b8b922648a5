import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { uploads } from "#db/schema";
import { db } from "~/.server/db.server";
import { commitSession, getSession } from "~/.server/session.server";
import { saveUpload } from "~/domain/eoi/upload.service.server";
import * as applyFile from "~/routes/lang/apply/file";
import { png } from "../../e2e/applicant";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, testActor } from "../../support/eoi";
import { signedInHelper, testOrganisation } from "../../support/helpers";
import { configuredRoutes } from "../../support/routes";
import { routeContext, signedInStaff, staffRequest } from "../../support/staff";
import { repoRoot } from "../../support/test-env";

setupTestDatabase("security-access");

/**
 * The role × route × object matrix: every route of remix.config.js, with who may use it and how
 * the object it shows is found. A new route fails the first test until it is classified here.
 *
 * - public: anyone (pages, the starts of sign-ins, resources);
 * - pre-draft: the eligibility answers or the contact details awaiting a code, in the visitor's own
 *   signed cookie (nothing stored, nothing of anybody else's to reach);
 * - draft / status: an applicant signed in with a code (or a helper holding their consent); the
 *   application is the session's, never taken from the URL;
 * - staff: requireStaff(permission), one permission per loader and action
 *   (tests/integration/staff/permissions.test.ts checks each role against each);
 * - staff-pending / helper-pending: between the password and the second factor;
 * - helper: a signed-in NGO helper; helper-case: a case of the helper's own organisation, with the
 *   applicant's consent in force (tests/integration/helpers/access.test.ts: other organisations'
 *   cases and revoked consents are 404);
 * - token: a capability link (unknown, used or expired: 404);
 * - dev: absent (404) unless switched on (NOTIFICATIONS_TRANSPORT=dev, BENCH_ROUTES=1).
 */
type Access =
  | "public"
  | "pre-draft"
  | "draft"
  | "status"
  | "status-pre"
  | "staff"
  | "staff-pending"
  | "helper"
  | "helper-case"
  | "helper-pending"
  | "token"
  | "dev";

const matrix: Record<string, Access> = {
  "": "public",
  healthz: "public",
  "locales/:lang/:ns": "public",
  "dev/mailbox": "dev",
  "bench/bare-post": "dev",
  ":lang": "public",
  ":lang/": "public",
  ":lang/privacy": "public",
  ":lang/accessibility": "public",
  ":lang/cookies": "public",
  ":lang/apply": "public",
  ":lang/apply/eligibility/:slug": "public",
  ":lang/apply/eligible": "pre-draft",
  ":lang/apply/not-eligible/:reason": "public",
  ":lang/apply/contact": "pre-draft",
  ":lang/apply/resume": "public",
  ":lang/apply/verify": "pre-draft",
  ":lang/apply/resume/verify": "pre-draft",
  ":lang/apply/tasks": "draft",
  ":lang/apply/q/:slug": "draft",
  ":lang/apply/children": "draft",
  ":lang/apply/upload-document": "draft",
  ":lang/apply/upload-photo": "draft",
  ":lang/apply/files/:id": "draft",
  ":lang/apply/check": "draft",
  ":lang/apply/declaration": "draft",
  ":lang/apply/confirmation": "draft",
  ":lang/presence/:token": "token",
  ":lang/sign-out": "public",
  ":lang/signed-out": "public",
  ":lang/status": "public",
  ":lang/status/verify": "status-pre",
  ":lang/status/application": "status",
  ":lang/status/withdraw": "status",
  ":lang/status/contact": "status",
  ":lang/status/contact/verify": "status",
  ":lang/appointments": "status",
  ":lang/appointments/centre/:centre": "status",
  ":lang/appointments/confirm": "status",
  ":lang/appointments/booked": "status",
  ":lang/appointments/cancel": "status",
  ":lang/appointments/calendar.ics": "status",
  ":lang/helpers": "public",
  ":lang/helpers/code": "helper-pending",
  ":lang/helpers/set-up": "helper-pending",
  ":lang/helpers/invite/:token": "token",
  ":lang/helpers/sign-out": "public",
  ":lang/helpers/password": "helper",
  ":lang/helpers/team": "helper",
  ":lang/helpers/cases": "helper",
  ":lang/helpers/cases/new": "helper",
  ":lang/helpers/cases/:id": "helper-case",
  staff: "public",
  "staff/": "staff",
  "staff/sign-in": "public",
  "staff/sign-in/code": "staff-pending",
  "staff/sign-in/set-up": "staff-pending",
  "staff/sign-out": "public",
  "staff/language": "public",
  "staff/profile": "staff",
  "staff/profile/password": "staff",
  "staff/accounts": "staff",
  "staff/accounts/new": "staff",
  "staff/organisations": "staff",
  "staff/cases": "staff",
  "staff/cases/:id": "staff",
  "staff/cases/:id/decide": "staff",
  "staff/cases/:id/files/:uploadId": "staff",
  "staff/windows": "staff",
  "staff/windows/new": "staff",
  "staff/windows/:id": "staff",
  "staff/audit": "staff",
  "staff/audit/export": "staff",
  "staff/centres": "staff",
  "staff/centres/:code": "staff",
  "staff/centres/:code/day": "staff",
  "staff/returns": "staff",
  "staff/returns/import": "staff",
  "staff/returns/import/:id": "staff",
  "staff/returns/:id": "staff",
  "staff/matching": "staff",
  "staff/matching/matches/:id": "staff",
  "staff/parity": "staff",
  "staff/parity/export": "staff",
  "staff/parity/settings": "staff",
  "*": "public",
};

const routes = configuredRoutes();

// Values for each URL parameter: ids nobody has, so a page found would be a leak.
const paramValues: Record<string, string> = {
  lang: "fr",
  ns: "common",
  slug: "names",
  reason: "age",
  id: "7d9f5a50-0000-4000-8000-000000000001",
  uploadId: "7d9f5a50-0000-4000-8000-000000000002",
  token: "u4Vq3nS9zR1xY7wP2kL8mT5bH6cJ0dF3gA9eQ1rN4sW",
  centre: "PAR",
  code: "PAR",
};

const urlOf = (pattern: string) =>
  `/${pattern.replace(/:(\w+)/g, (_, name: string) => paramValues[name] ?? "x")}`.replace(/\/$/, "") || "/";
const paramsOf = (pattern: string) =>
  Object.fromEntries(
    [...pattern.matchAll(/:(\w+)/g)].map(([, name]) => [name as string, paramValues[name as string] ?? "x"]),
  );

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
interface Outcome {
  status: number;
  location: string | null;
}

async function outcomeOf(call: () => unknown): Promise<Outcome> {
  try {
    const result = (await call()) as { status?: number; init?: { status?: number } } | null;
    if (result instanceof Response)
      return { status: result.status, location: result.headers.get("Location") };
    return { status: result?.init?.status ?? 200, location: null };
  } catch (thrown) {
    if (thrown instanceof Response)
      return { status: thrown.status, location: thrown.headers.get("Location") };
    return { status: 500, location: String(thrown) };
  }
}

type Who = "anonymous" | "applicant" | "staff" | "helper";
const cookies: Record<Who, { cookie: string } | null> = {
  anonymous: null,
  applicant: null,
  staff: null,
  helper: null,
};

/** What a visitor who is not allowed gets, by kind of route (undefined: not asserted here). */
function refusal(access: Access, who: Who): ((o: Outcome) => boolean) | undefined {
  const redirectTo = (prefix: string) => (o: Outcome) => o.status === 302 && !!o.location?.startsWith(prefix);
  const notFound = (o: Outcome) => o.status === 404;
  switch (access) {
    case "draft":
      // A helper's session opens only a case of their organisation: without one, nothing is found.
      if (who === "helper") return notFound;
      return who === "applicant" ? undefined : redirectTo("/fr/apply/resume");
    case "status":
      if (who === "helper") return notFound;
      return who === "applicant" ? undefined : redirectTo("/fr/status");
    case "status-pre":
      return redirectTo("/fr/status");
    case "staff":
    case "staff-pending":
      return who === "staff" ? undefined : redirectTo("/staff/sign-in");
    case "helper":
    case "helper-case":
      return who === "helper" ? undefined : redirectTo("/fr/helpers");
    case "helper-pending":
      return redirectTo("/fr/helpers");
    case "token":
      // A helper's browser is refused the presence page outright (403), whatever the token.
      return (o) => o.status === 404 || (who === "helper" && o.status === 403);
    case "dev":
      // bench/bare-post exists only with BENCH_ROUTES=1; the mailbox only with the dev transport,
      // which the test environment uses (tests/unit/notifications/env.test.ts covers production).
      return (o) => o.status === 404 || o.status === 200;
    default:
      return undefined;
  }
}

beforeAll(async () => {
  const eoiId = await completeDraft();
  const session = await getSession(new Request("http://localhost/fr"));
  session.set("subject", `eoi:${eoiId}`);
  session.set("eoiId", eoiId);
  session.set("statusEoiId", eoiId);
  session.set("signedInAt", Date.now());
  cookies.applicant = { cookie: (await commitSession(session, 30)).split(";")[0] as string };
  cookies.staff = await signedInStaff("admin");
  cookies.helper = await signedInHelper(await testOrganisation());
});

describe("the access matrix", () => {
  it("classifies every route of remix.config.js, and only those", () => {
    const configured = routes.map((r) => r.path).sort();
    expect(configured).toEqual(Object.keys(matrix).sort());
  });

  const checks = routes.flatMap((route) =>
    (["anonymous", "applicant", "staff", "helper"] as const).flatMap((who) =>
      (["loader", "action"] as const).map((kind) => ({ ...route, who, kind, access: matrix[route.path] })),
    ),
  );

  it.each(
    checks.filter((c) => c.access && refusal(c.access, c.who) && existsSync(`${repoRoot}app/${c.file}`)),
  )("$kind of /$path ($access) refuses $who", async ({ path, file, who, kind, access }) => {
    const module = (await import(/* @vite-ignore */ `${repoRoot}app/${file}`)) as Record<string, unknown>;
    const handler = module[kind] as Handler | undefined;
    if (!handler) return;
    const url = urlOf(path);
    const request = staffRequest(cookies[who], url, kind === "action" ? { intent: "x" } : undefined);
    const outcome = await outcomeOf(() =>
      handler({ request, params: paramsOf(path), context: routeContext }),
    );
    expect(refusal(access as Access, who)?.(outcome), JSON.stringify(outcome)).toBe(true);
  });
});

describe("objects across applicants", () => {
  it("serves an uploaded file to its own applicant only; another's id is not found", async () => {
    const owner = await completeDraft();
    const saved = await saveUpload(
      owner,
      "photo",
      { bytes: new Uint8Array(png(600, 750)), type: "image/png", name: "me.png" },
      testActor,
    );
    if (!saved.ok) throw new Error(saved.reason);
    const [row] = await db().select().from(uploads).where(eq(uploads.id, saved.id));
    expect(row?.eoiId).toBe(owner);

    const cookieOf = async (eoiId: string) => {
      const session = await getSession(new Request("http://localhost/fr"));
      session.set("eoiId", eoiId);
      session.set("signedInAt", Date.now());
      return { cookie: (await commitSession(session, 30)).split(";")[0] as string };
    };
    const fetchAs = async (eoiId: string, id: string) => {
      const request = staffRequest(await cookieOf(eoiId), `/fr/apply/files/${id}`);
      const outcome = await outcomeOf(() =>
        applyFile.loader({ request, params: { lang: "fr", id }, context: routeContext } as never),
      );
      return outcome.status;
    };

    expect(await fetchAs(owner, saved.id)).toBe(200);
    const intruder = await completeDraft();
    expect(await fetchAs(intruder, saved.id)).toBe(404);
    // Not a file id at all: not found either, never a server error.
    expect(await fetchAs(intruder, "not-a-uuid")).toBe(404);
  });
});
