// Matching at scale on PostgreSQL (issue 7), through the real service (matchNext: one set-based
// statement writing matches, statuses, history and audit rows, under the settings lock):
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:matching
//
// Each round fills a new scratch database with BENCH_APPLICANTS approved applicants (6% in
// families of three, spread over the four priority bands) and BENCH_RETURNS completed returns,
// runs ANALYZE, then times one "match the next N" for all of them (target, issue 7: at most 3 s
// for 100,000 × 100,000), then the announcements that take the matches to the applicants'
// records (statuses, history, audit, notifications; a background job, not part of the run), and
// checks the invariants.
// Options: BENCH_APPLICANTS=100000, BENCH_RETURNS=100000, BENCH_ROUNDS=3. tsx reads the tsconfig
// paths.
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { vitestEnv } from "../support/test-env";

Object.assign(process.env, { ...vitestEnv, LOG_LEVEL: "silent" });
const { createScratchDatabase, migrationsFolder, postgresBaseUrl } = await import("../support/db");
const { openDatabase, setDatabase } = await import("~/.server/db.server");
const { matchNext } = await import("~/domain/matching/matching.service.server");
const { announceMatches } = await import("~/domain/matching/announce.server");
const { encryptJson } = await import("~/.server/crypto.server");

const APPLICANTS = Number(process.env.BENCH_APPLICANTS ?? 100_000);
const RETURNS = Number(process.env.BENCH_RETURNS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const baseUrl = postgresBaseUrl();
if (!baseUrl) {
  console.error("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test");
  process.exit(2);
}

/** Fresh data, written in SQL so that filling 200,000 rows takes seconds, not minutes. */
async function fill(raw: postgres.Sql) {
  // Every applicant has the same (real, encrypted) answers: the announcement decrypts them.
  const answers = encryptJson({
    contact: { email: "bench@example.org", mobile: "+33612345678" },
    answers: {},
  });
  const [staff] = await raw<{ id: string }[]>`
    insert into staff_users (email, name, role, password_hash)
    values ('matching@bench.test', 'Bench officer', 'matching_officer', 'x') returning id`;
  const [window] = await raw<{ id: string }[]>`
    insert into application_windows (name, opens_at, closes_at)
    values ('Bench window', now() - interval '90 days', now() - interval '60 days') returning id`;
  // References in the format the checks require: n written in the 32-letter reference alphabet.
  await raw`
    create or replace function pg_temp.code(n bigint, len int) returns text language sql immutable as $$
      select string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ((n >> (5 * k)) & 31)::int + 1, 1), '' order by k)
      from generate_series(0, len - 1) k
    $$`;
  // Three applicants in every 50 form a family (6%).
  await raw`
    insert into family_groups (family_reference, window_id)
    select 'F-' || substr(c, 1, 4) || '-' || substr(c, 5, 4) || '-' || substr(c, 9, 1), ${window?.id as string}
    from generate_series(1, ${Math.ceil(APPLICANTS / 50) + 1}) g, pg_temp.code(g, 9) c`;
  await raw`
    with groups as (select id, row_number() over (order by id) as n from family_groups)
    insert into eois (status, lang, answers_enc, reference, window_id, family_role, family_group_id,
                      match_priority, submitted_at)
    select 'approved', 'fr', ${answers}, (select substr(c, 1, 4) || '-' || substr(c, 5, 4) || '-' || substr(c, 9, 2) from pg_temp.code(i, 10) c), ${window?.id as string},
           case when g.id is null then 'alone' else 'member' end, g.id, i % 4,
           now() - interval '80 days' + i * interval '1 second'
    from generate_series(1, ${APPLICANTS}) i
    left join groups g on i % 50 < 3 and g.n = i / 50 + 1`;
  await raw`
    insert into return_cases (person_ref, identity_enc, nationality, identity_hash, stage,
                              small_boat_arrival_at, transferred_at)
    select 'RET-BENCH-' || i, 'bench', 'AF', md5(i::text), 'transferred',
           now() - interval '100 days', now() - interval '70 days' + i * interval '1 second'
    from generate_series(1, ${RETURNS}) i`;
  await raw`analyze`;
  return { type: "staff" as const, id: staff?.id as string, requestId: "bench" };
}

async function checkInvariants(raw: postgres.Sql, expected: number) {
  const [row] = await raw<{ active: number; returns: number; people: number; matched: number }[]>`
    select (select count(*)::int from matches where unmatched_at is null) as active,
           (select count(distinct return_case_id)::int from matches where unmatched_at is null) as returns,
           (select count(distinct eoi_id)::int from matches where unmatched_at is null) as people,
           (select count(*)::int from eois where status = 'matched') as matched`;
  const ok = row && [row.active, row.returns, row.people, row.matched].every((n) => n === expected);
  if (!ok) throw new Error(`invariant broken: expected ${expected}, got ${JSON.stringify(row)}`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const runs: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const scratch = await createScratchDatabase(baseUrl, "matching_bench");
  const raw = postgres(scratch.url, { max: 1, onnotice: () => {} });
  try {
    const handle = await openDatabase({ url: scratch.url, poolMax: 4, migrationsFolder });
    setDatabase(handle);
    let started = performance.now();
    const officer = await fill(raw);
    const filling = performance.now() - started;
    started = performance.now();
    const result = await matchNext(APPLICANTS, officer);
    const run = performance.now() - started;
    runs.push(run);
    started = performance.now();
    const told = await announceMatches();
    const announcing = performance.now() - started;
    const expected = Math.min(APPLICANTS, RETURNS);
    if (told !== expected) throw new Error(`announced ${told}, expected ${expected}`);
    await checkInvariants(raw, expected);
    console.log(
      `round ${round}: matched ${result.matched} (${result.families} families) in ${seconds(run)};` +
        ` announced in ${seconds(announcing)} (fill ${seconds(filling)})`,
    );
    await handle.close();
  } finally {
    await raw.end();
    await scratch.drop();
  }
}
runs.sort((a, b) => a - b);
console.log(
  `\n${APPLICANTS.toLocaleString("en")} approved × ${RETURNS.toLocaleString("en")} returns, one run: ` +
    `median ${seconds(runs[Math.floor(runs.length / 2)] ?? 0)}, best ${seconds(runs[0] ?? 0)}`,
);
