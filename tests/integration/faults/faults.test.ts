// Fault tests (issue 9): PostgreSQL stopped abruptly (immediate mode) during a burst of
// submissions, the Node server killed with SIGKILL mid-submit, and the connection pool exhausted.
// They run the production build against a PostgreSQL cluster of their own
// (tests/support/private-postgres.ts), never the shared server other suites use.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createCookie } from "@remix-run/node";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blindIndex, decryptJson, encryptJson } from "~/.server/crypto.server";
import { type DatabaseHandle, openDatabase, setDatabase } from "~/.server/db.server";
import { deliverBatch, LEASE_MS } from "~/domain/notifications/worker.server";
import { ensureBuild } from "../../support/build";
import { migrationsFolder } from "../../support/db";
import { completeAnswers } from "../../support/eoi";
import {
  type PrivatePostgres,
  privatePostgresAvailable,
  startPrivatePostgres,
} from "../../support/private-postgres";
import { type ServerProcess, startServer, waitForHealthy } from "../../support/server";
import { testSecrets } from "../../support/test-env";

const CYCLES = 20;
const BURST = 16;
/** When the fault strikes after the burst starts: spread over 80–480 ms, so some submissions finish first. */
const faultDelay = (cycle: number) => 80 + ((cycle * 53) % 400);

const sessionCookie = createCookie("__Host-session", { secrets: [testSecrets.SESSION_SECRET] });
const csrf = "faults-csrf-token";
const csrfCookie = `__Host-csrf=${csrf}.${createHmac("sha256", testSecrets.SESSION_SECRET).update(`csrf:${csrf}`).digest("base64url")}`;
const hashId = (id: string) => createHash("sha256").update(id).digest("base64url");

interface Draft {
  id: string;
  cookie: string;
  answersEnc: string;
  plain: unknown;
}

/** `text`: the body of a 5xx answer, which must be the service's own page or plain text. */
type Outcome = { draft: Draft; status: number; location?: string | null; text?: string };

let clients = 0;
const nextAddress = () => {
  clients += 1;
  return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
};

describe.runIf(privatePostgresAvailable())("faults on a private PostgreSQL cluster", () => {
  let cluster: PrivatePostgres;
  let url: string;
  let raw: postgres.Sql;
  let handle: DatabaseHandle;
  let drafted = 0;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    ensureBuild();
    cluster = await startPrivatePostgres("faults");
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await admin.unsafe("create database faults");
    await admin.end();
    url = cluster.urlFor("faults");
    handle = await openDatabase({ url, poolMax: 2, migrationsFolder });
    setDatabase(handle);
    raw = postgres(url, { max: 4, onnotice: () => {}, connect_timeout: 5 });
    await raw`insert into application_windows (name, opens_at, closes_at)
              values ('Faults window', now() - interval '1 day', now() + interval '1 day')`;
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await server.kill();
    await raw?.end({ timeout: 5 });
    await handle?.close();
    await cluster?.destroy();
  }, 60_000);

  /** Complete drafts with signed-in sessions, inserted directly (as tests/bench/http.bench.ts). */
  async function makeDrafts(count: number): Promise<Draft[]> {
    const rows = Array.from({ length: count }, () => {
      const n = drafted++;
      const contact = { email: `fault${n}@example.org`, mobile: "+33612345678" };
      const letters = n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + Number.parseInt(d, 26)));
      const plain = {
        contact,
        answers: completeAnswers({
          givenNames: `Fault ${letters}`,
          documentNumber: `FT${String(n).padStart(7, "0")}`,
        }),
      };
      return { plain, answersEnc: encryptJson(plain), emailHash: blindIndex("email", contact.email) };
    });
    const inserted = await raw<{ id: string }[]>`insert into eois ${raw(
      rows.map((r) => ({
        lang: "fr",
        answers_enc: r.answersEnc,
        email_hash: r.emailHash,
        contact_verified_at: new Date().toISOString(),
      })),
    )} returning id`;
    const expires = new Date(Date.now() + 2 * 3600_000).toISOString();
    const drafts: Draft[] = [];
    const sessions = await Promise.all(
      inserted.map(async ({ id: eoiId }, i) => {
        const id = randomBytes(24).toString("base64url");
        const signed = (await sessionCookie.serialize(id)).split(";")[0] as string;
        const row = rows[i] as (typeof rows)[number];
        drafts.push({
          id: eoiId,
          cookie: `${signed}; ${csrfCookie}`,
          answersEnc: row.answersEnc,
          plain: row.plain,
        });
        return {
          id: hashId(id),
          subject: `eoi:${eoiId}`,
          data: { eoiId, subject: `eoi:${eoiId}` },
          expires_at: expires,
        };
      }),
    );
    await raw`insert into sessions ${raw(sessions)}`;
    return drafts;
  }

  /** POSTs the declaration; any failure to get an answer (reset, timeout) is status 0. */
  async function submit(server: ServerProcess, draft: Draft): Promise<Outcome> {
    try {
      const response = await fetch(`${server.url}/fr/apply/declaration`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: server.url,
          cookie: draft.cookie,
          "x-forwarded-for": nextAddress(),
        },
        body: `csrf=${csrf}&declaration=yes`,
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text().catch(() => "");
      return {
        draft,
        status: response.status,
        location: response.headers.get("location"),
        ...(response.status >= 500 ? { text } : {}),
      };
    } catch {
      return { draft, status: 0 };
    }
  }

  /** notificationId → how many times a server handed it to the dev transport (from its log). */
  function sendsInLogs(outputs: string[]): Map<string, number> {
    const sends = new Map<string, number>();
    for (const output of outputs) {
      for (const line of output.split("\n")) {
        if (!line.includes("notification shown in the dev mailbox")) continue;
        const id = (JSON.parse(line) as { notificationId: string }).notificationId;
        sends.set(id, (sends.get(id) ?? 0) + 1);
      }
    }
    return sends;
  }

  /**
   * The checks after a run of faults: every acknowledged submission is there exactly once, every
   * other draft is intact or submitted exactly once, and the outbox holds one message per
   * submitted EOI, template and channel.
   */
  async function checkSubmissions(outcomes: Outcome[]) {
    const acknowledged = new Set(
      outcomes
        .filter((o) => o.status === 303 && o.location === "/fr/apply/confirmation")
        .map((o) => o.draft.id),
    );
    const ids = outcomes.map((o) => o.draft.id);
    const rows = await raw<
      {
        id: string;
        status: string;
        reference: string | null;
        answers_enc: string;
        audits: number;
        histories: number;
        outbox: number;
        per_channel_max: number;
      }[]
    >`select e.id, e.status, e.reference, e.answers_enc,
             (select count(*)::int from audit_log a where a.action = 'status.submitted' and a.subject_id = e.id::text) as audits,
             (select count(*)::int from status_history h where h.eoi_id = e.id and h.to_status = 'submitted') as histories,
             (select count(*)::int from notifications n where n.eoi_id = e.id and n.template in ('submitted', 'submittedMain')) as outbox,
             (select coalesce(max(c), 0)::int from (select count(*) as c from notifications n
                where n.eoi_id = e.id group by n.template, n.channel) x) as per_channel_max
        from eois e where e.id in ${raw(ids)}`;
    expect(rows).toHaveLength(ids.length);
    const byId = new Map(outcomes.map((o) => [o.draft.id, o.draft]));
    let submitted = 0;
    for (const row of rows) {
      const draft = byId.get(row.id) as Draft;
      if (row.status === "draft") {
        expect(acknowledged.has(row.id), `acknowledged ${row.id} is still a draft`).toBe(false);
        expect(row.answers_enc).toBe(draft.answersEnc);
        expect(decryptJson(row.answers_enc)).toEqual(draft.plain);
        expect([row.reference, row.audits, row.histories, row.outbox]).toEqual([null, 0, 0, 0]);
      } else {
        submitted++;
        expect(row.status).toBe("submitted");
        expect(row.reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
        // One audit row, one history row, one "submitted" email and one text; nothing twice.
        expect({
          audits: row.audits,
          histories: row.histories,
          outbox: row.outbox,
          max: row.per_channel_max,
        }).toEqual({ audits: 1, histories: 1, outbox: 2, max: 1 });
      }
    }
    return { acknowledged: acknowledged.size, submitted, drafts: rows.length - submitted };
  }

  /**
   * Waits until the servers' workers have sent every message they could (none left `pending`),
   * then delivers what a killed or crashed worker left `sending` with a lease, as a later worker
   * does once the lease runs out (its clock moved past LEASE_MS). Nothing may be sent twice by the
   * servers; a message a dead worker handed over but could not mark sent goes again only as a
   * later attempt, which GOV.UK Notify's transport checks by reference before sending.
   */
  async function checkOutbox(outputs: () => string[], eoiIds: string[], stop: () => Promise<unknown>) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await raw<{ pending: number }[]>`
        select count(*)::int as pending from notifications where status = 'pending' and eoi_id in ${raw(eoiIds)}`;
      const pending = row?.pending ?? 0;
      if (pending === 0) break;
      if (Date.now() > deadline) throw new Error(`${pending} messages still pending after 60 s`);
      await sleep(500);
    }
    // A clean stop finishes the batch in hand: what is still `sending` afterwards was left by a
    // worker that died (SIGKILL) or lost the database mid-send.
    await stop();
    const fromServers = sendsInLogs(outputs());
    const twice = [...fromServers].filter(([, n]) => n > 1);
    expect(twice, "messages the servers sent twice").toEqual([]);

    // Everything not yet sent, before the later delivery: what it should find is the `sending` rows.
    const unsent = await raw<{ id: string; status: string }[]>`
      select id, eoi_id, template, channel, status, attempts, last_error, created_at, next_attempt_at
        from notifications where status <> 'sent' and eoi_id in ${raw(eoiIds)}`;
    const stuck = unsent.filter((m) => m.status === "sending");
    const later: { id: string; attempt: number }[] = [];
    const recording = {
      async send(message: { id: string; attempt: number }) {
        later.push({ id: message.id, attempt: message.attempt });
      },
    };
    for (let round = 0; round < 50; round++) {
      const result = await deliverBatch({
        transport: recording,
        batchSize: 100,
        now: new Date(Date.now() + LEASE_MS + 60_000),
      });
      if (result.claimed === 0) break;
    }
    // The lease-expired messages, each once, as a later attempt; nothing else. (Any other message
    // delivered here is described in the failure, for the rare run where this has happened.)
    const stuckIds = new Set(stuck.map((s) => s.id));
    const others = unsent.filter((m) => m.status !== "sending");
    expect(later.map((l) => l.id).sort(), JSON.stringify(others)).toEqual(stuck.map((s) => s.id).sort());
    for (const l of later) expect(l.attempt).toBeGreaterThanOrEqual(2);

    const [counts = { sent: 0, other: 0 }] = await raw<{ sent: number; other: number }[]>`
      select count(*) filter (where status = 'sent')::int as sent,
             count(*) filter (where status <> 'sent')::int as other
        from notifications where eoi_id in ${raw(eoiIds)}`;
    expect(counts.other).toBe(0);
    // Every message was claimed once and sent, except those whose worker died mid-send: claimed
    // once more after the lease. (A SIGKILLed server's last log lines can be lost, so the database's
    // claim count is the evidence, and the logs only show that nothing was sent twice.)
    const claims = await raw<{ id: string; attempts: number }[]>`
      select id, attempts from notifications where eoi_id in ${raw(eoiIds)}`;
    for (const { id, attempts } of claims) {
      if (stuckIds.has(id)) expect(attempts, `message ${id}`).toBeGreaterThanOrEqual(2);
      else expect(attempts, `message ${id}`).toBe(1);
    }
    // Of those, handed to the transport by the dead worker before it died (at-least-once).
    const resent = stuck.filter((m) => fromServers.has(m.id)).length;
    return { messages: counts.sent, leaseExpired: stuck.length, resentAfterLease: resent };
  }

  it(`PostgreSQL stopped abruptly during a burst of submissions, ${CYCLES} times`, async () => {
    const started = Date.now();
    const server = await startServer({
      DATABASE_URL: url,
      TRUST_PROXY: "1",
      LOG_LEVEL: "info",
      DB_POOL_MAX: "6",
    });
    servers.push(server);
    const pid = server.child.pid;
    const outcomes: Outcome[] = [];
    const drafts = await makeDrafts(CYCLES * BURST);
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const burst = drafts.slice(cycle * BURST, (cycle + 1) * BURST).map((d) => submit(server, d));
      await sleep(faultDelay(cycle));
      await cluster.crash();
      await cluster.start();
      outcomes.push(...(await Promise.all(burst)));
      // The same process reconnects: no restart.
      await waitForHealthy(server, 20_000);
      expect(server.child.pid).toBe(pid);
      expect(server.child.exitCode).toBeNull();
    }
    // After the last fault the server takes submissions again. A pooled connection that died with
    // the database fails the one query sent on it as it is found closed (a 500); the applicant's
    // second press, on a fresh connection, goes through (submitting is idempotent).
    const after = await Promise.all(
      (await makeDrafts(4)).map(async (d) => {
        const first = await submit(server, d);
        return first.status === 303 ? first : submit(server, d);
      }),
    );
    expect(after.map((o) => o.status)).toEqual([303, 303, 303, 303]);
    outcomes.push(...after);

    const result = await checkSubmissions(outcomes);
    const statuses = outcomes.reduce<Record<number, number>>((acc, o) => {
      acc[o.status] = (acc[o.status] ?? 0) + 1;
      return acc;
    }, {});
    expect(server.child.pid).toBe(pid);
    const outbox = await checkOutbox(
      () => [server.output()],
      outcomes.map((o) => o.draft.id),
      async () => {
        server.child.kill("SIGTERM");
        await server.waitForExit(15_000);
      },
    );
    // Requests caught by a crash are answered 500, with the service's page and never a stack
    // trace (ASVS 7.4.1: the one place a 500 can be caused over HTTP), or 503 in plain text.
    const errors = outcomes.filter((o) => o.status >= 500);
    expect(statuses[500], "a crash caught some requests mid-transaction").toBeGreaterThan(0);
    for (const { status, text = "" } of errors) {
      expect(text, `${status}`).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.server\.ts|Error:|postgres/i);
      if (status === 500) expect(text).toContain("Désolé, le service rencontre un problème");
    }
    console.log(
      `database crashes: ${JSON.stringify(statuses)} · ${JSON.stringify(result)} · ${JSON.stringify(outbox)} · ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(result.acknowledged).toBeGreaterThan(0);
  }, 180_000);

  it(`the server killed with SIGKILL mid-submit, ${CYCLES} times`, async () => {
    const started = Date.now();
    const env = { DATABASE_URL: url, TRUST_PROXY: "1", LOG_LEVEL: "info", DB_POOL_MAX: "6" };
    const outcomes: Outcome[] = [];
    const outputs: ServerProcess[] = [];
    const drafts = await makeDrafts(CYCLES * BURST);
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const server = await startServer(env);
      servers.push(server);
      outputs.push(server);
      const burst = drafts.slice(cycle * BURST, (cycle + 1) * BURST).map((d) => submit(server, d));
      await sleep(faultDelay(cycle));
      server.child.kill("SIGKILL");
      outcomes.push(...(await Promise.all(burst)));
      await server.exited;
    }
    const server = await startServer(env);
    servers.push(server);
    outputs.push(server);
    const after = await Promise.all((await makeDrafts(4)).map((d) => submit(server, d)));
    expect(after.map((o) => o.status)).toEqual([303, 303, 303, 303]);
    outcomes.push(...after);

    const result = await checkSubmissions(outcomes);
    const statuses = outcomes.reduce<Record<number, number>>((acc, o) => {
      acc[o.status] = (acc[o.status] ?? 0) + 1;
      return acc;
    }, {});
    const outbox = await checkOutbox(
      () => outputs.map((s) => s.output()),
      outcomes.map((o) => o.draft.id),
      async () => {
        server.child.kill("SIGTERM");
        await server.waitForExit(15_000);
      },
    );
    console.log(
      `server kills: ${JSON.stringify(statuses)} · ${JSON.stringify(result)} · ${JSON.stringify(outbox)} · ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(result.acknowledged).toBeGreaterThan(0);
  }, 180_000);

  it("with every pooled connection stuck, requests get 503 with Retry-After within 2 s, and service is back within 5 s", async () => {
    const busy: Record<string, string> = {
      fr: (await import("../../../locales/fr/common.json")).errors.busy,
      ar: (await import("../../../locales/ar/common.json")).errors.busy,
    };
    const server = await startServer({
      DATABASE_URL: url,
      TRUST_PROXY: "1",
      LOG_LEVEL: "warn",
      DB_POOL_MAX: "2",
    });
    servers.push(server);
    const drafts = await makeDrafts(12);
    const page = async (draft: Draft, lang = "fr") => {
      const t0 = Date.now();
      const response = await fetch(`${server.url}/${lang}/apply/declaration`, {
        headers: { cookie: draft.cookie, "x-forwarded-for": nextAddress() },
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      return {
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        ms: Date.now() - t0,
        text,
        lang,
      };
    };
    expect((await page(drafts[0] as Draft)).status).toBe(200);

    // A transaction holding sessions locked: every request's session look-up blocks on it, holding
    // its pooled connection, and the rest queue for the pool.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const lock = raw.begin(async (tx) => {
      await tx`lock table sessions in access exclusive mode`;
      locked();
      await held;
    });
    await isLocked;
    try {
      const answers = await Promise.all(drafts.slice(1, 11).map((d, i) => page(d, i % 2 ? "ar" : "fr")));
      for (const a of answers) {
        // "Busy, try again", in the page's language.
        expect(a).toMatchObject({ status: 503, retryAfter: "5", text: `${busy[a.lang]}\n` });
        expect(a.ms).toBeLessThan(2_000);
      }
      console.log(`pool exhausted: 503 after ${answers.map((a) => a.ms).join(", ")} ms`);
    } finally {
      release();
      await lock;
    }
    const releasedAt = Date.now();
    for (;;) {
      const answer = await page(drafts[11] as Draft).catch(() => ({ status: 0, ms: 0 }));
      if (answer.status === 200) break;
      expect(Date.now() - releasedAt, "back to 200 within 5 s").toBeLessThan(5_000);
      await sleep(100);
    }
    console.log(`pool recovered: 200 after ${Date.now() - releasedAt} ms`);
    expect(Date.now() - releasedAt).toBeLessThan(5_000);
    expect(server.child.exitCode).toBeNull();
    server.child.kill("SIGTERM");
    await server.waitForExit(15_000);
  }, 60_000);
});
