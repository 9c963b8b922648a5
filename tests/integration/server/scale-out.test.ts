import { createHash, createHmac, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createCookie } from "@remix-run/node";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, caseClaims, eois, matches, notifications, sessions, slots } from "#db/schema";
import { encryptJson } from "~/.server/crypto.server";
import { type DatabaseHandle, db, openDatabase, rowsOf, setDatabase } from "~/.server/db.server";
import { generateReference } from "~/domain/eoi/reference";
import { ensureBuild } from "../../support/build";
import {
  createScratchDatabase,
  migrationsFolder,
  postgresBaseUrl,
  type ScratchDatabase,
} from "../../support/db";
import { openWindowNow } from "../../support/eoi";
import { type ServerProcess, startServer } from "../../support/server";
import { signedInStaff } from "../../support/staff";
import { testSecrets } from "../../support/test-env";
import { createCentre, selectedEois } from "../appointments/support";
import { approvedEois, registerReturns } from "../matching/support";
import { queueMessages } from "../notifications/outbox";

// Scale out (issue 9): two production servers (node build/index.js), A and B, on different ports
// and one PostgreSQL database, as behind a load balancer. Whatever a request does on one
// instance, the other sees: sessions, rate limits, case claims, bookings, matching and the
// outbox all live in the database. Needs PostgreSQL (PGlite has one owner per data folder):
// skipped without DATABASE_URL locally, an error in CI (postgresBaseUrl).

const base = postgresBaseUrl();

describe.runIf(base)("two instances on one PostgreSQL database", () => {
  let scratch: ScratchDatabase;
  let handle: DatabaseHandle;
  let a: ServerProcess;
  let b: ServerProcess;
  let windowId: string;

  beforeAll(async () => {
    ensureBuild();
    scratch = await createScratchDatabase(base as string, "scale_out");
    // Both start at once on the empty database, so both try to migrate it (one waits for the
    // other). Both sit behind one trusted proxy (the load balancer), which sets X-Forwarded-For,
    // and both run the outbox worker (NOTIFICATIONS_WORKER defaults to on), development transport.
    const env = { DATABASE_URL: scratch.url, TRUST_PROXY: "1", NOTIFICATIONS_TRANSPORT: "dev" };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    // The test process seeds through the app's own modules, on the same database.
    handle = await openDatabase({ url: scratch.url, poolMax: 4, migrationsFolder });
    setDatabase(handle);
    windowId = await openWindowNow();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await handle?.close();
    await scratch?.drop();
  });

  // The production cookies (`__Host-` names), signed with the servers' secret, as a browser
  // would hold them after signing in: the session row is created straight in the database.
  const sessionCookie = createCookie("__Host-session", { secrets: [testSecrets.SESSION_SECRET] });
  const CSRF = "scale-out-csrf-token";
  const csrfCookie = `__Host-csrf=${CSRF}.${createHmac("sha256", testSecrets.SESSION_SECRET).update(`csrf:${CSRF}`).digest("base64url")}`;
  const hashId = (id: string) => createHash("sha256").update(id).digest("base64url");

  async function signedIn(data: Record<string, unknown>): Promise<string> {
    const id = randomBytes(24).toString("base64url");
    await db()
      .insert(sessions)
      .values({
        id: hashId(id),
        subject: (data.subject as string | undefined) ?? null,
        data,
        expiresAt: new Date(Date.now() + 30 * 60_000),
      });
    return (await sessionCookie.serialize(id)).split(";")[0] as string;
  }

  const applicantSession = (eoiId: string) =>
    signedIn({ statusEoiId: eoiId, subject: `eoi:${eoiId}`, signedInAt: Date.now() });

  async function staffSession(role: "caseworker" | "matching_officer") {
    const staff = await signedInStaff(role);
    return signedIn({ subject: `staff:${staff.id}`, staffId: staff.id, signedInAt: Date.now() + 1 });
  }

  interface Answer {
    status: number;
    location: string | null;
  }

  /** One request through the "load balancer": the client's address in X-Forwarded-For. */
  async function send(
    server: ServerProcess,
    path: string,
    options: { cookie?: string; form?: Record<string, string>; client?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      Cookie: [options.cookie, csrfCookie].filter(Boolean).join("; "),
      "X-Forwarded-For": options.client ?? "192.0.2.1",
    };
    let body: URLSearchParams | undefined;
    if (options.form) {
      headers.Origin = server.url;
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams({ csrf: CSRF, ...options.form });
    }
    const response = await fetch(`${server.url}${path}`, {
      method: body ? "POST" : "GET",
      headers,
      body,
      redirect: "manual",
    });
    await response.text();
    return { status: response.status, location: response.headers.get("Location") };
  }

  /** A, B, A, B…: the load balancer's round robin. */
  const either = (i: number) => (i % 2 === 0 ? a : b);

  /**
   * Under contention a server may answer 503 (it sheds a request whose database work waits too
   * long) while that work still finishes. Before the database is checked, wait until no other
   * connection to it is busy (nothing running or in a transaction), twice in a row.
   */
  async function quiet(ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    let calm = 0;
    while (calm < 2) {
      if (Date.now() > deadline) throw new Error("the servers' database work did not finish");
      const [row] = await rowsOf<{ busy: number }>(
        db(),
        sql`select count(*)::int as busy from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
      );
      calm = row?.busy === 0 ? calm + 1 : 0;
      await sleep(100);
    }
  }

  /** Where each answer sent the client, counted. */
  function tally<K extends string>(answers: Answer[], kinds: Record<K, (r: Answer) => boolean>) {
    const counts = {} as Record<K, number>;
    for (const kind of Object.keys(kinds) as K[]) counts[kind] = answers.filter(kinds[kind]).length;
    return counts;
  }
  const shed = (r: Answer) => r.status === 503;

  it("a session made on A works on B, and signing out on B ends it on A", async () => {
    const [eoiId] = await selectedEois(db(), 1, {
      windowId,
      bookingDeadline: new Date(Date.now() + 14 * 86_400_000),
    });
    const cookie = await applicantSession(eoiId as string);
    const page = "/fr/status/application";

    expect(await send(a, page, { cookie })).toMatchObject({ status: 200 });
    expect(await send(b, page, { cookie })).toMatchObject({ status: 200 });

    const signOut = await send(b, "/fr/sign-out", { cookie, form: {} });
    expect(signOut).toEqual({ status: 303, location: "/fr/signed-out" });
    expect(
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.subject, `eoi:${eoiId}`)),
    ).toEqual([]);
    // The old cookie, replayed on A, no longer signs anyone in.
    expect(await send(a, page, { cookie })).toEqual({ status: 302, location: "/fr/status" });
  });

  it("one client alternating between A and B is limited at the same count as on one server", async () => {
    const signIn = (i: number, reference: string, client: string) =>
      send(either(i), "/fr/status", {
        client,
        form: {
          reference,
          "signInDateOfBirth-day": "1",
          "signInDateOfBirth-month": "1",
          "signInDateOfBirth-year": "1990",
        },
      });

    // Per reference: 5 sign-ins in 15 minutes, wherever they land.
    const reference = generateReference();
    const byReference: number[] = [];
    for (let i = 0; i < 8; i++) byReference.push((await signIn(i, reference, `198.51.100.${i + 1}`)).status);
    expect(byReference).toEqual([302, 302, 302, 302, 302, 429, 429, 429]);

    // Per client: 20 sign-ins in 15 minutes, whatever the reference; then 429 from A and from B.
    const byClient: number[] = [];
    for (let i = 0; i < 23; i++) byClient.push((await signIn(i, generateReference(), "203.0.113.9")).status);
    expect(byClient).toEqual([...Array(20).fill(302), 429, 429, 429]);
  });

  it("two caseworkers claiming the same case at once on A and B: exactly one gets it", async () => {
    const [first, second] = [await staffSession("caseworker"), await staffSession("caseworker")];
    const cases = await db()
      .insert(eois)
      .values(
        Array.from({ length: 10 }, (_, i) => ({
          status: "submitted" as const,
          lang: "fr",
          answersEnc: encryptJson({ contact: { email: `claimed${i}@example.org` }, answers: {} }),
          reference: generateReference(),
          windowId,
          familyRole: "alone" as const,
          submittedAt: new Date(),
        })),
      )
      .returning({ id: eois.id });

    for (const { id } of cases) {
      const claim = { intent: "claim" };
      const answers = await Promise.all([
        send(a, `/staff/cases/${id}`, { cookie: first, form: claim }),
        send(b, `/staff/cases/${id}`, { cookie: second, form: claim }),
      ]);
      // One 303 (claimed) and one 409 (held by the other); a 503 would be a shed request.
      expect(answers.every((r) => [303, 409, 503].includes(r.status))).toBe(true);
      expect(answers.filter((r) => r.status === 303).length).toBeLessThanOrEqual(1);
      expect(answers.filter((r) => r.status === 409).length).toBeLessThanOrEqual(1);
      await quiet();
      const claims = await db().select().from(caseClaims).where(eq(caseClaims.eoiId, id));
      expect(claims).toHaveLength(1);
    }
  });

  it("40 applicants booking the last 5 places of a slot through A and B: exactly 5 get one", async () => {
    const centreId = await createCentre(db(), "SCALE");
    // A slot three days ahead, well inside the booking period and past the booking notice.
    const startsAt = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000);
    const [slot] = await db()
      .insert(slots)
      .values({ centreId, startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000), capacity: 5 })
      .returning({ id: slots.id });
    const slotId = slot?.id as string;
    const ids = await selectedEois(db(), 40, {
      windowId,
      bookingDeadline: new Date(Date.now() + 14 * 86_400_000),
    });
    const cookies = await Promise.all(ids.map(applicantSession));

    const answers = await Promise.all(
      cookies.map((cookie, i) =>
        send(either(i), "/fr/appointments/confirm", {
          cookie,
          client: `10.0.0.${i + 1}`,
          form: { slot: slotId },
        }),
      ),
    );

    const counts = tally(answers, {
      booked: (r) => r.location === "/fr/appointments/booked",
      full: (r) => r.location?.endsWith("?error=full") ?? false,
      shed,
    });
    // Without shedding, exactly 5 booked and 35 full; a shed request may have booked or not.
    expect(counts.booked + counts.full + counts.shed).toBe(40);
    expect(counts.booked).toBeLessThanOrEqual(5);
    expect(counts.booked + counts.shed).toBeGreaterThanOrEqual(5);
    await quiet();
    const [after] = await db().select().from(slots).where(eq(slots.id, slotId));
    expect(after).toMatchObject({ booked: 5, capacity: 5 });
    const onSlot = await db()
      .select({ eoiId: appointments.eoiId })
      .from(appointments)
      .where(and(eq(appointments.slotId, slotId), eq(appointments.status, "booked")));
    expect(new Set(onSlot.map((r) => r.eoiId)).size).toBe(5);
    const bookedEois = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(eois)
      .where(and(inArray(eois.id, ids), eq(eois.status, "appointment_booked")));
    expect(bookedEois[0]?.n).toBe(5);
  });

  it("'match the next 30' fired twice on A and twice on B at once: each person and return matched once", async () => {
    const [first, second] = [await staffSession("matching_officer"), await staffSession("matching_officer")];
    const approved = await approvedEois(db(), 60, { windowId });
    const returns = await registerReturns(db(), 40);

    const run = { intent: "match-next", count: "30" };
    const answers = await Promise.all([
      send(a, "/staff/matching", { cookie: first, form: run }),
      send(b, "/staff/matching", { cookie: second, form: run }),
      send(a, "/staff/matching", { cookie: second, form: run }),
      send(b, "/staff/matching", { cookie: first, form: run }),
    ]);
    expect(answers.every((r) => r.status === 303 || shed(r))).toBe(true);
    await quiet();

    // Strict parity: admissions never run ahead of returns, so exactly the 40 returns are used.
    const active = await db()
      .select({ eoiId: matches.eoiId, returnCaseId: matches.returnCaseId })
      .from(matches)
      .where(isNull(matches.unmatchedAt));
    expect(active).toHaveLength(40);
    expect(new Set(active.map((m) => m.eoiId)).size).toBe(40);
    expect(active.every((m) => approved.includes(m.eoiId))).toBe(true);
    expect(new Set(active.map((m) => m.returnCaseId))).toEqual(new Set(returns));
  });

  it("both outbox workers deliver, and every message is delivered exactly once", async () => {
    await queueMessages(600);

    // Everything queued (these 600 and the earlier tests' booking and matching messages) is sent.
    let waiting = -1;
    for (let i = 0; i < 150 && waiting !== 0; i++) {
      if (i > 0) await sleep(200);
      const [row] = await db()
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(sql`${notifications.status} <> 'sent'`);
      waiting = row?.n ?? -1;
    }
    expect(waiting).toBe(0);

    const rows = await db()
      .select({ id: notifications.id, attempts: notifications.attempts })
      .from(notifications);
    expect(rows.length).toBeGreaterThanOrEqual(600);
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);

    // The development transport logs each hand-over to the provider: each id once, A and B together.
    const delivered = (server: ServerProcess) =>
      server
        .output()
        .split("\n")
        .filter((line) => line.includes("notification shown in the dev mailbox"))
        .map((line) => (JSON.parse(line) as { notificationId: string }).notificationId);
    const [byA, byB] = [delivered(a), delivered(b)];
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    expect([...byA, ...byB].sort()).toEqual(rows.map((r) => r.id).sort());
  });
});
