// Booking throughput and contention on PostgreSQL (issue 6), through the real service
// (app/domain/appointments: book() with its conditional UPDATE, status change, audit, outbox):
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:booking
//
// 1. Throughput: N concurrent clients (each a pooled connection) book places spread over many
//    slots (60 days × 40 slots × 5 places); a client that finds its slot full tries another.
// 2. Contention: C clients fire at ONE slot of 5 places at once; exactly 5 must succeed, every
//    other one must be told "full", none may fail.
// Options: BENCH_BOOKINGS=1000 (bookings per throughput run), BENCH_CLIENTS=1,4,16,32,
// BENCH_CONTENDERS=500, BENCH_ROUNDS=3 (contention runs per pool size), BENCH_KEEP=1 (keep the
// scratch database and print its URL instead of dropping it). tsx reads the tsconfig paths.
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { vitestEnv } from "../support/test-env";

// The app reads its environment at import time: the test secrets.
Object.assign(process.env, { ...vitestEnv, LOG_LEVEL: "silent" });
const { createScratchDatabase, migrationsFolder, postgresBaseUrl } = await import("../support/db");
const { openDatabase, setDatabase } = await import("~/.server/db.server");
const { book, generateSlots } = await import("~/domain/appointments/appointments.service.server");
const { addDays, wallClock } = await import("~/domain/appointments/appointments.rules");
const { addDailyPattern, createCentre, selectedEois } = await import("../integration/appointments/support");
const { applicationWindows, slots } = await import("../../db/schema");
type Handle = Awaited<ReturnType<typeof openDatabase>>;

const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 1000);
const CLIENTS = (process.env.BENCH_CLIENTS ?? "1,4,16,32").split(",").map(Number);
const CONTENDERS = Number(process.env.BENCH_CONTENDERS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONTENTION_POOLS = [10, 50];
const DAYS = 60;

const baseUrl = postgresBaseUrl();
if (!baseUrl) {
  console.error("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test");
  process.exit(2);
}

const scratch = await createScratchDatabase(baseUrl, "booking_bench");
const raw = postgres(scratch.url, { max: 1, onnotice: () => {} });
const applicant = { type: "applicant" as const, requestId: "bench" };
const staff = { type: "staff" as const, id: "bench" };

/** A handle with `pool` connections, installed as the app's database. */
async function connect(pool: number): Promise<Handle> {
  const handle = await openDatabase({ url: scratch.url, poolMax: pool, migrationsFolder });
  setDatabase(handle);
  return handle;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))] ?? 0;

async function checkInvariants() {
  const [row] = await raw<{ over: number; booked: number; active: number }[]>`
    select (select count(*)::int from slots where booked > capacity or booked < 0) as over,
           (select coalesce(sum(booked), 0)::int from slots) as booked,
           (select count(*)::int from appointments where status = 'booked') as active`;
  const broken = !row || row.over > 0 || row.booked !== row.active;
  if (broken) throw new Error(`invariant broken: ${JSON.stringify(row)}`);
}

try {
  const setup = await connect(4);
  const now = new Date();
  const [window] = await setup.db
    .insert(applicationWindows)
    .values({ name: "Bench window", opensAt: new Date(now.getTime() - 86_400_000), closesAt: now })
    .returning({ id: applicationWindows.id });
  const windowId = window?.id as string;
  const centreId = await createCentre(setup.db, "BEN");
  // 08:00–18:00 every day in 15-minute slots of 5 places: 40 slots a day.
  await addDailyPattern(setup.db, centreId, { startTime: "08:00", endTime: "18:00", slotMinutes: 15 });
  const today = wallClock(now).day;
  let started = performance.now();
  const generated = await generateSlots(centreId, addDays(today, 1), addDays(today, DAYS), staff, now);
  const generation = performance.now() - started;
  const slotIds = (await setup.db.select({ id: slots.id }).from(slots)).map((s) => s.id);
  const deadline = new Date(now.getTime() + (DAYS + 2) * 86_400_000);
  const invite = (count: number) => selectedEois(setup.db, count, { windowId, bookingDeadline: deadline });
  console.log(
    `PostgreSQL ${(await raw<{ v: string }[]>`select current_setting('server_version') as v`)[0]?.v}; ` +
      `generated ${generated.created} slots (${DAYS} days) in ${ms(generation)}\n`,
  );

  // 1. Throughput over many slots.
  const throughput: string[][] = [];
  for (const clients of CLIENTS) {
    const eois = await invite(BOOKINGS);
    const handle = await connect(clients);
    let next = 0;
    let fullAnswers = 0;
    let errors = 0;
    const latencies: number[] = [];
    started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = next++; i < eois.length; i = next++) {
          const t0 = performance.now();
          for (let attempt = 0; attempt < 20; attempt++) {
            const slotId = slotIds[Math.floor(Math.random() * slotIds.length)] as string;
            try {
              const result = await book(eois[i] as string, slotId, applicant, now);
              if (result.ok) break;
              if (result.reason === "full") fullAnswers += 1;
              else throw new Error(result.reason);
            } catch {
              errors += 1;
              break;
            }
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = performance.now() - started;
    await handle.close();
    latencies.sort((a, b) => a - b);
    throughput.push([
      String(clients),
      String(BOOKINGS),
      `${(elapsed / 1000).toFixed(2)} s`,
      (BOOKINGS / (elapsed / 1000)).toFixed(0),
      ms(percentile(latencies, 0.5)),
      ms(percentile(latencies, 0.95)),
      String(fullAnswers),
      String(errors),
    ]);
    await checkInvariants();
  }

  // 2. Contention: everyone at once at one slot of 5 places.
  const contention: string[][] = [];
  const spare = (
    await raw<
      { id: string }[]
    >`select id from slots where booked = 0 order by starts_at desc limit ${ROUNDS * CONTENTION_POOLS.length}`
  ).map((r) => r.id);
  for (const pool of CONTENTION_POOLS) {
    for (let round = 1; round <= ROUNDS; round++) {
      const slotId = spare.pop() as string;
      const eois = await invite(CONTENDERS);
      const handle = await connect(pool);
      const latencies: number[] = [];
      started = performance.now();
      const settled = await Promise.allSettled(
        eois.map(async (id) => {
          const t0 = performance.now();
          try {
            return await book(id, slotId, applicant, now);
          } finally {
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const elapsed = performance.now() - started;
      await handle.close();
      const values = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const ok = values.filter((v) => v.ok).length;
      const full = values.filter((v) => !v.ok && v.reason === "full").length;
      const failed = settled.length - values.length + (values.length - ok - full);
      const [slot] = await raw<{ booked: number }[]>`select booked from slots where id = ${slotId}`;
      latencies.sort((a, b) => a - b);
      contention.push([
        String(CONTENDERS),
        String(pool),
        String(round),
        ms(elapsed),
        ms(percentile(latencies, 0.5)),
        ms(percentile(latencies, 0.95)),
        String(ok),
        String(full),
        String(failed),
        String(slot?.booked),
        ok === 5 && full === CONTENDERS - 5 && failed === 0 && slot?.booked === 5 ? "ok" : "WRONG",
      ]);
      await checkInvariants();
    }
  }
  await setup.close();

  const table = (title: string, head: string[], rows: string[][]) => {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join("  ");
    console.log(`${title}\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
    for (const row of rows) console.log(line(row));
    console.log("");
  };
  table(
    "Throughput: bookings spread over many slots (pool = clients)",
    ["clients", "bookings", "elapsed", "bookings/s", "p50", "p95", "full answers", "errors"],
    throughput,
  );
  table(
    "Contention: all clients at once at one slot of 5 places",
    [
      "clients",
      "pool",
      "run",
      "settled in",
      "p50",
      "p95",
      "booked",
      "full",
      "failed",
      "slot.booked",
      "check",
    ],
    contention,
  );
  if (contention.some((r) => r.at(-1) !== "ok")) process.exitCode = 1;
} finally {
  await raw.end({ timeout: 5 });
  if (process.env.BENCH_KEEP === "1") console.log(`kept ${scratch.url}`);
  else await scratch.drop();
}
