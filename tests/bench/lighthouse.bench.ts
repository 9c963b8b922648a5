// Loading on a low-end phone (issue 9): Lighthouse's mobile run (simulated Slow 4G, 4× CPU
// slowdown) on the applicant pages, signed-in ones included (a complete draft; an applicant selected
// for biometrics), in Debian's Chromium, against the production build with demo data on the
// embedded database:
//
//   npm run bench:lighthouse
//
// Targets: LCP ≤ 2.5 s, CLS ≤ 0.1 on every page (the script exits 1 otherwise). Each page is run
// BENCH_RUNS times (default 3) and the median run is kept, as Lighthouse's documentation advises:
// its simulation varies from one run to the next.
// Options: CHROMIUM_PATH (default /usr/bin/chromium), BENCH_PAGES=/fr,/ar/apply (some of the pages
// below, a comma list).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import { and, asc, eq } from "drizzle-orm";
import lighthouse from "lighthouse";
import { vitestEnv } from "../support/test-env";

// The server's secrets, so that the sessions made here are the server's own.
Object.assign(process.env, { ...vitestEnv, LOG_LEVEL: "silent" });
const { ensureBuild } = await import("../support/build");
const { startServer } = await import("../support/server");
const { migrationsFolder } = await import("../support/db");
const { openDatabase, setDatabase } = await import("~/.server/db.server");
const { seedDemo } = await import("../../db/seed");
const { eois } = await import("../../db/schema");
const { completeDrafts, sessionsFor } = await import("./applicants");

/** Who is signed in: nobody, an applicant with a complete draft, or one selected for biometrics. */
type Visitor = "anyone" | "draft" | "selected";
const allPages: [string, Visitor][] = [
  ["/fr", "anyone"],
  ["/ar", "anyone"],
  ["/en", "anyone"],
  ["/fr/apply", "anyone"],
  ["/ar/apply", "anyone"],
  ["/fr/apply/eligibility/in-france", "anyone"],
  ["/ar/apply/eligibility/in-france", "anyone"],
  ["/fr/apply/resume", "anyone"],
  ["/ar/status", "anyone"],
  ["/fr/status", "anyone"],
  ["/ar/privacy", "anyone"],
  ["/fr/apply/tasks", "draft"],
  ["/ar/apply/tasks", "draft"],
  ["/fr/apply/q/names", "draft"],
  ["/ar/apply/q/nationality", "draft"],
  ["/ar/apply/children", "draft"],
  ["/fr/apply/check", "draft"],
  ["/ar/apply/check", "draft"],
  ["/fr/apply/declaration", "draft"],
  ["/ar/apply/confirmation", "selected"],
  ["/fr/status/application", "selected"],
  ["/ar/status/application", "selected"],
  ["/ar/appointments", "selected"],
  ["/fr/appointments", "selected"],
];
const wanted = process.env.BENCH_PAGES?.split(",");
const pages = wanted ? allPages.filter(([path]) => wanted.includes(path)) : allPages;
const unknown = wanted?.filter((path) => !allPages.some(([known]) => known === path)) ?? [];
if (unknown.length) throw new Error(`not among the pages measured: ${unknown.join(", ")}`);

console.log("building the production server…");
ensureBuild();
const dataDir = mkdtempSync(join(tmpdir(), "lighthouse-"));
// The demo data, and the signed-in visitors' sessions, made before the server owns the folder.
const handle = await openDatabase({ dataDir, migrationsFolder });
setDatabase(handle);
await seedDemo(handle.db);
const [draftCookie] = await completeDrafts(handle.db, 1);
const [selected] = await handle.db
  .select({ id: eois.id })
  .from(eois)
  .where(and(eq(eois.status, "selected"), eq(eois.familyRole, "alone")))
  .orderBy(asc(eois.submittedAt))
  .limit(1);
if (!selected) throw new Error("the demo data has no selected applicant");
// One session following the application (status, appointments), one from applying (confirmation).
const [statusCookie] = await sessionsFor(handle.db, [selected.id], "statusEoiId");
const [applyCookie] = await sessionsFor(handle.db, [selected.id], "eoiId");
await handle.close();
const cookieFor = (visitor: Visitor, path: string) =>
  visitor === "draft"
    ? draftCookie
    : visitor === "selected"
      ? path.includes("/apply/")
        ? applyCookie
        : statusCookie
      : undefined;

const server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: "1", LOG_LEVEL: "warn" });
/**
 * A browser of its own for each page: a session cookie the server set on one page (Chromium keeps
 * `__Host-` cookies for 127.0.0.1) would otherwise go with the next page's, and Lighthouse clears
 * no cookies between runs.
 */
const launchChrome = () =>
  chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
  });
let chrome: chromeLauncher.LaunchedChrome | undefined;

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
type Row = { page: string; lcp: number; cls: number; fcp: number; tbt: number; score: number };
const rows: Row[] = [];
try {
  for (const [page, visitor] of pages) {
    const runs: Row[] = [];
    const cookie = cookieFor(visitor, page);
    await chrome?.kill();
    chrome = await launchChrome();
    for (let run = 0, failed = 0; run < RUNS; run++) {
      const result = await lighthouse(`${server.url}${page}`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance"],
        ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
      });
      const lhr = result?.lhr;
      // Now and then Chromium's trace misses a paint (NO_LCP and the like): that run is done again.
      if (!lhr || lhr.runtimeError) {
        console.warn(`${page}: ${lhr?.runtimeError?.code ?? "no result"}, run again`);
        if (++failed > 3) throw new Error(`${page}: no result in ${failed} tries`);
        run--;
        continue;
      }
      if (lhr.finalDisplayedUrl !== `${server.url}${page}`)
        throw new Error(`${page} ended on ${lhr.finalDisplayedUrl}: is the visitor signed in?`);
      const audits = lhr.audits;
      runs.push({
        page,
        lcp: audits["largest-contentful-paint"]?.numericValue ?? Number.NaN,
        cls: audits["cumulative-layout-shift"]?.numericValue ?? Number.NaN,
        fcp: audits["first-contentful-paint"]?.numericValue ?? Number.NaN,
        tbt: audits["total-blocking-time"]?.numericValue ?? Number.NaN,
        score: (lhr.categories.performance?.score ?? Number.NaN) * 100,
      });
    }
    // The median run by LCP, with its other figures.
    rows.push(runs.sort((a, b) => a.lcp - b.lcp)[Math.floor(runs.length / 2)] as Row);
  }
} finally {
  await chrome?.kill();
  await server.kill();
  rmSync(dataDir, { recursive: true, force: true });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log("\n| page | LCP | CLS | FCP | TBT | score |\n|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.page} | ${seconds(r.lcp)} | ${r.cls.toFixed(3)} | ${seconds(r.fcp)} | ${r.tbt.toFixed(0)} ms | ${r.score.toFixed(0)} |`,
  );
const over = rows.filter((r) => !(r.lcp <= 2500 && r.cls <= 0.1));
if (over.length) {
  console.error(`\nover target (LCP ≤ 2.5 s, CLS ≤ 0.1): ${over.map((r) => r.page).join(", ")}`);
  process.exitCode = 1;
}
