// Two builds compared side by side under the same submission load, at the same time (decision 024):
//
//   DIR_A=/path/to/other/checkout DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:ab
//
// This machine's speed drifts by ±10–25% within a day, so runs of two builds one after the other
// cannot show a change of a few percent. Here two builds (DIR_A, and DIR_B, by default this
// checkout, which is built first; build another checkout there with `npm run build`) run each as
// one web process on its own scratch database, and both take submissions (declaration POST, then
// the confirmation page) for the same seconds: drift falls on both. Reported per build:
// submissions a second and CPU a submission, its server processes' and its database's (the
// PostgreSQL backends of that database). Run it both ways round and average: two runs of one
// build against itself differed by 1–1.5%, but side A led in five of six runs on 2026-11-24,
// whatever it ran (decision 027).
// Options: BENCH_SECONDS=40, BENCH_CONNECTIONS=12 (each build), WEB_CONCURRENCY=1 (each build),
// NODE_ARGS_A / NODE_ARGS_B (extra node flags for one side). Loopback only.
import autocannon from "autocannon";
import postgres from "postgres";
import { repoRoot, vitestEnv } from "../support/test-env";
import { processCpuMs, processTreeCpuMs } from "./cpu";

Object.assign(process.env, { ...vitestEnv, LOG_LEVEL: "silent" });
const { createScratchDatabase, migrationsFolder, postgresBaseUrl } = await import("../support/db");
const { ensureBuild } = await import("../support/build");
const { spawnServer, waitForHealthy } = await import("../support/server");
const { openDatabase } = await import("~/.server/db.server");
const { draftsReadyToSubmit, submissionRequests } = await import("./applicants");

const SECONDS = Number(process.env.BENCH_SECONDS ?? 40);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 12);
const WARM_UP_SECONDS = 5;
// Enough for 400 a second each, warm-up included (one web process each makes about 150–170).
const DRAFTS = (SECONDS + WARM_UP_SECONDS) * 400;

const baseUrl = postgresBaseUrl();
const dirA = process.env.DIR_A;
if (!baseUrl || !dirA) {
  console.error("Set DIR_A (another checkout, built) and DATABASE_URL (PostgreSQL)");
  process.exit(2);
}
const dirs = { A: dirA, B: process.env.DIR_B ?? repoRoot };

const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
/** CPU time of the PostgreSQL backends connected to one database. */
async function databaseCpuMs(name: string): Promise<number> {
  const backends = await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${name}`;
  return backends.reduce((sum, { pid }) => sum + processCpuMs(pid), 0);
}

async function side(label: "A" | "B") {
  const scratch = await createScratchDatabase(baseUrl as string, `ab_${label}`);
  // Migrated by this checkout: both builds must share the schema (compare builds, not migrations).
  const handle = await openDatabase({ url: scratch.url, poolMax: 4, migrationsFolder });
  const cookies = await draftsReadyToSubmit(handle.db, DRAFTS);
  await handle.close();
  const server = await spawnServer(
    {
      DATABASE_URL: scratch.url,
      TRUST_PROXY: "1",
      LOG_LEVEL: "info",
      WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? "1",
    },
    process.env[`NODE_ARGS_${label}`]?.split(" ").filter(Boolean) ?? [],
    dirs[label],
  );
  await waitForHealthy(server);
  return { label, scratch, server, cookies, next: 0, database: new URL(scratch.url).pathname.slice(1) };
}

let clients = 0;
/** A new address for each simulated applicant (10.x.y.z): per-client rate limits apply. */
const nextAddress = () => {
  clients += 1;
  return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
};

type Side = Awaited<ReturnType<typeof side>>;
const load = (s: Side, duration: number) =>
  new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      {
        url: s.server.url,
        connections: CONNECTIONS,
        duration,
        // Past the last draft, the first one again: a submission already made, which is no measure.
        requests: submissionRequests(
          s.server.url,
          () => s.cookies[s.next++] ?? (s.cookies[0] as string),
          nextAddress,
        ),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );

ensureBuild(); // this checkout's; another one is built there
console.log(`preparing ${DRAFTS} drafts for each build…`);
const sides = [await side("A"), await side("B")];
try {
  await Promise.all(sides.map((s) => load(s, WARM_UP_SECONDS)));
  const before = await Promise.all(
    sides.map(async (s) => ({
      server: processTreeCpuMs(s.server.child.pid as number),
      db: await databaseCpuMs(s.database),
    })),
  );
  const results = await Promise.all(sides.map((s) => load(s, SECONDS)));
  for (const [i, s] of sides.entries()) {
    const result = results[i] as autocannon.Result;
    const accepted = result.statusCodeStats?.["303" as `${number}`]?.count ?? 0;
    const errors = result.errors + result.timeouts + result.non2xx - accepted;
    const server = (processTreeCpuMs(s.server.child.pid as number) - (before[i]?.server ?? 0)) / accepted;
    const database = ((await databaseCpuMs(s.database)) - (before[i]?.db ?? 0)) / accepted;
    if (s.next > s.cookies.length) {
      console.error(`${s.label} ran out of drafts: its figures count resubmissions`);
      process.exitCode = 1;
    }
    console.log(
      `${s.label} (${dirs[s.label]}): ${(accepted / SECONDS).toFixed(0)} submissions/s, ${errors} errors · CPU a submission: server ${server.toFixed(2)} ms, PostgreSQL ${database.toFixed(2)} ms, both ${(server + database).toFixed(2)} ms`,
    );
    if (errors > 0) process.exitCode = 1;
  }
} finally {
  for (const s of sides) {
    s.server.child.kill("SIGTERM");
    await s.server.waitForExit(30_000).catch(() => s.server.kill());
    await s.scratch.drop();
  }
  await admin.end();
}
