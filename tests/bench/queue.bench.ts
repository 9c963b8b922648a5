// The caseworkers' queue on 100,000 submitted EOIs (plus 20,000 drafts), on PostgreSQL:
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:queue
//
// Options: BENCH_RUNS=20 (timed runs per case), BENCH_EXPLAIN=1 (print EXPLAIN ANALYZE of each
// case), BENCH_KEEP=1 (keep the scratch database and print its URL instead of dropping it).
// tsx reads the tsconfig paths (~/, #db/). The target is a first page in under 100 ms.
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { vitestEnv } from "../support/test-env";

// The app reads its environment at import time: the test secrets, so blindIndex is the tests' one.
Object.assign(process.env, { ...vitestEnv, LOG_LEVEL: "silent" });
const { createScratchDatabase, migrationsFolder, postgresBaseUrl } = await import("../support/db");
const { openDatabase, setDatabase } = await import("~/.server/db.server");
const { blindIndex } = await import("~/.server/crypto.server");
const { normaliseName } = await import("~/domain/identity/identity.rules");
const { listQueue, queueFilterOptions, queueQuery } = await import("~/domain/cases/queue.server");
type Filters = import("~/domain/cases/queue.rules").QueueFilters;
type Cursor = import("~/domain/cases/queue.rules").QueueCursor;
const { decodeCursor } = await import("~/domain/cases/queue.rules");

const SUBMITTED = 100_000;
const DRAFTS = 20_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const EXPLAIN = process.env.BENCH_EXPLAIN === "1";
const SEARCHED_NAME = "Amina Haddad";

const baseUrl = postgresBaseUrl();
if (!baseUrl) {
  console.error("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test");
  process.exit(2);
}

const scratch = await createScratchDatabase(baseUrl, "queue_bench");
const handle = await openDatabase({ url: scratch.url, poolMax: 2, migrationsFolder });
setDatabase(handle);
const raw = postgres(scratch.url, { max: 1, onnotice: () => {} });

/** Seeds with set-based SQL: a handful of statements, seconds in all. */
async function seed() {
  await raw`select setseed(0.42)`;
  await raw`
    insert into staff_users (email, name, role, password_hash)
    select 'caseworker' || g || '@bench.test', 'Caseworker ' || g, 'caseworker', 'x'
    from generate_series(1, 10) g`;
  // Five windows of a month each, the last one open now.
  await raw`
    insert into application_windows (name, opens_at, closes_at)
    select 'Window ' || g, now() - make_interval(days => 30 * (6 - g)), now() - make_interval(days => 30 * (5 - g)) + interval '1 day'
    from generate_series(1, 5) g`;
  await raw`
    create temporary table bench_windows as
    select row_number() over (order by opens_at) as n, id, opens_at from application_windows`;
  // 4,000 family groups; about one EOI in eight is in one. Codes are built from g, so they are
  // unique and have the database's format (it does not check the check character).
  await raw`
    insert into family_groups (family_reference, window_id)
    select 'F-' || substr(x, 1, 4) || '-' || substr(x, 5, 4) || '-K', (select id from bench_windows where n = 1 + g % 5)
    from generate_series(1, 4000) g,
         lateral (select translate(lpad(to_hex(g), 8, '0'), '0123456789abcdef', '23456789ABCDEFGH') as x) c`;
  await raw`create temporary table bench_groups as select row_number() over (order by id) as n, id from family_groups`;

  // Statuses follow the window's age, as in real life (old cases are decided, new ones wait for
  // the presence check): a filter on a status of recent cases, oldest first, must not read all
  // the old ones first. A few nationalities dominate.
  await raw`
    insert into eois (status, lang, answers_enc, reference, window_id, family_role, family_group_id,
                      nationality, name_hash, identity_hash, document_hash, submitted_at, created_at, updated_at)
    select case
             -- The open window: mostly waiting for the presence check or just checked.
             when w.n = 5 then case when r.s < 0.55 then 'submitted' when r.s < 0.85 then 'location_verified'
               when r.s < 0.93 then 'location_unverified' when r.s < 0.98 then 'under_review' else 'withdrawn' end
             -- Last month's: being reviewed.
             when w.n = 4 then case when r.s < 0.03 then 'submitted' when r.s < 0.40 then 'location_verified'
               when r.s < 0.45 then 'location_unverified' when r.s < 0.75 then 'under_review'
               when r.s < 0.80 then 'invalid' when r.s < 0.85 then 'not_eligible' when r.s < 0.95 then 'selected'
               else 'withdrawn' end
             -- Older windows: decided, further along.
             else case when r.s < 0.35 then 'not_selected' when r.s < 0.42 then 'selected'
               when r.s < 0.47 then 'appointment_booked' when r.s < 0.52 then 'biometrics_enrolled'
               when r.s < 0.62 then 'approved' when r.s < 0.67 then 'matched' when r.s < 0.77 then 'arrived'
               when r.s < 0.87 then 'refused' when r.s < 0.90 then 'invalid' when r.s < 0.94 then 'not_eligible'
               when r.s < 0.945 then 'location_unverified' else 'withdrawn' end
           end,
           'fr', repeat(md5(r.g::text), 24),
           substr(c.x, 1, 4) || '-' || substr(c.x, 5, 4) || '-' || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + r.g % 32, 1) || 'K',
           w.id,
           case when grp.id is null then 'alone' when r.g % 3 = 0 then 'main' else 'member' end,
           grp.id,
           (array['ER','SD','AF','SY','IR','IQ','VN','ET','EG','KW','AL','SO','YE','PK','TR','LY','ML','GN','CI','stateless'])
             [1 + floor(20 * power(r.n, 2))::int],
           md5('name' || r.g), md5('identity' || r.g), md5('document' || r.g),
           -- Whole seconds, so that some submissions tie and the id breaks the tie.
           date_trunc('second', w.opens_at + r.t * interval '30 days'),
           now(), now()
    from (select g, random() as n, random() as t, random() as s, random() as f
          from generate_series(1, ${SUBMITTED}) g) r
    cross join lateral (select translate(lpad(to_hex(r.g), 8, '0'), '0123456789abcdef', '23456789ABCDEFGH') as x) c
    join bench_windows w on w.n = 1 + (r.g % 5)
    left join bench_groups grp on r.f < 0.125 and grp.n = 1 + (r.g % 4000)`;
  await raw`
    insert into eois (status, lang, answers_enc, email_hash, created_at, updated_at)
    select 'draft', 'fr', repeat(md5(g::text), 12), md5('email' || g), now(), now()
    from generate_series(1, ${DRAFTS}) g`;
  // A hundred cases submitted in the same second (a batch from a helper organisation).
  await raw`
    update eois set submitted_at = (select opens_at from bench_windows where n = 3) + interval '3 days'
    where id in (select id from eois where status <> 'draft' order by md5(id::text) limit 100)`;
  // Three applicants share the searched name.
  await raw`
    update eois set name_hash = ${blindIndex("name", normaliseName(SEARCHED_NAME))}
    where id in (select id from eois where status <> 'draft' order by md5(id::text) desc limit 3)`;

  // Flags on about 3% of cases; a quarter of them resolved.
  await raw`
    insert into eoi_flags (eoi_id, kind, evidence_type, evidence_id, resolved)
    select id,
           case when r < 0.6 then 'possible_duplicate' when r < 0.75 then 'previously_returned' else 'location_unverified' end,
           'eoi', gen_random_uuid(), random() < 0.25
    from (select id, random() as r from eois where status <> 'draft') e
    where random() < 0.03`;
  // Claims on about 2% of cases, half of them expired.
  await raw`
    insert into case_claims (eoi_id, staff_id, claimed_at, expires_at)
    select e.id, (select id from staff_users order by email limit 1 offset (abs(hashtext(e.id::text)) % 10)),
           now() - interval '1 hour',
           now() + case when random() < 0.5 then interval '1 hour' else interval '-10 minutes' end
    from eois e where e.status <> 'draft' and random() < 0.02`;
  await raw`analyze`;
}

const median = (xs: number[]) => xs[Math.floor((xs.length - 1) / 2)] as number;
const p95 = (xs: number[]) => xs[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] as number;

async function explain(filters: Filters, cursor: Cursor | null) {
  const { sql: text, params } = queueQuery(filters, cursor, 50).toSQL();
  const plan = await raw.unsafe(`explain (analyze, buffers) ${text}`, params as never[]);
  console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
}

async function time(label: string, filters: Filters, cursor: Cursor | null = null) {
  let rows = 0;
  for (let i = 0; i < 3; i++) rows = (await listQueue(filters, cursor)).rows.length;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await listQueue(filters, cursor);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const verdict = p95(samples) < 100 ? "ok" : "SLOW";
  console.log(
    `${label.padEnd(34)} median ${median(samples).toFixed(1).padStart(6)} ms   p95 ${p95(samples).toFixed(1).padStart(6)} ms   ${String(rows).padStart(2)} rows   ${verdict}`,
  );
  if (EXPLAIN) await explain(filters, cursor);
}

try {
  const started = performance.now();
  await seed();
  const [{ count } = { count: 0 }] = await raw<{ count: number }[]>`select count(*)::int as count from eois`;
  console.log(`seeded ${count} EOIs in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  const [win] = await raw<
    { id: string }[]
  >`select id from application_windows order by opens_at limit 1 offset 3`;
  const [someCase] = await raw<{ reference: string }[]>`
    select reference from eois where status <> 'draft' order by md5(id::text) limit 1 offset 500`;
  const oldest: Filters = { sort: "oldest" };

  // The cursor of page 10: nine pages walked first.
  let cursor: Cursor | null = null;
  for (let page = 1; page < 10; page++) {
    const next: string | null = (await listQueue(oldest, cursor)).nextCursor;
    cursor = next ? decodeCursor(next) : null;
  }

  await time("no filter", oldest);
  await time("status = submitted", { sort: "oldest", status: "submitted" });
  await time("status = location_verified", { sort: "oldest", status: "location_verified" });
  await time("status = matched", { sort: "oldest", status: "matched" });
  await time("nationality = SY", { sort: "oldest", nationality: "SY" });
  await time("flag = possible_duplicate", { sort: "oldest", flag: "possible_duplicate" });
  await time("flag = previously_returned", { sort: "oldest", flag: "previously_returned" });
  await time("flag = location_unverified", { sort: "oldest", flag: "location_unverified" });
  await time("family = yes", { sort: "oldest", family: "yes" });
  await time("window (last month) + under_review", {
    sort: "oldest",
    windowId: win?.id,
    status: "under_review",
  });
  await time("newest first", { sort: "newest" });
  await time("newest, status = selected", { sort: "newest", status: "selected" });
  const reference = someCase?.reference as string;
  await time("reference search", {
    sort: "oldest",
    search: { text: reference, reference, name: normaliseName(reference) },
  });
  await time("name search", {
    sort: "oldest",
    search: { text: SEARCHED_NAME, reference: null, name: normaliseName(SEARCHED_NAME) },
  });
  await time("page 10 via cursor", oldest, cursor);

  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await queueFilterOptions();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `${"filter options".padEnd(34)} median ${median(samples).toFixed(1).padStart(6)} ms   p95 ${p95(samples).toFixed(1).padStart(6)} ms`,
  );
} finally {
  await raw.end({ timeout: 5 });
  await handle.close();
  if (process.env.BENCH_KEEP === "1") console.log(`\nkept ${scratch.url}`);
  else await scratch.drop();
}
