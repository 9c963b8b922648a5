// Loading on a low-end phone (issue 9): Lighthouse's mobile run (simulated Slow 4G, 4× CPU
// slowdown) on the applicant pages, in Debian's Chromium, against the production build with demo
// data on the embedded database:
//
//   npm run bench:lighthouse
//
// Targets: LCP ≤ 2.5 s, CLS ≤ 0.1 on every page (the script exits 1 otherwise).
// Options: CHROMIUM_PATH (default /usr/bin/chromium), BENCH_PAGES=/fr,/ar/apply (a comma list).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { ensureBuild } from "../support/build";
import { startServer } from "../support/server";

const pages = (
  process.env.BENCH_PAGES ??
  [
    "/fr",
    "/ar",
    "/en",
    "/fr/apply",
    "/ar/apply",
    "/fr/apply/eligibility/in-france",
    "/ar/apply/eligibility/in-france",
    "/fr/apply/resume",
    "/ar/status",
    "/fr/status",
    "/ar/privacy",
  ].join(",")
).split(",");

console.log("building the production server…");
ensureBuild();
const dataDir = mkdtempSync(join(tmpdir(), "lighthouse-"));
const server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: "1", LOG_LEVEL: "warn" });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});

const rows: { page: string; lcp: number; cls: number; fcp: number; tbt: number; score: number }[] = [];
try {
  for (const page of pages) {
    const result = await lighthouse(`${server.url}${page}`, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance"],
    });
    const audits = result?.lhr.audits;
    if (!audits) throw new Error(`no result for ${page}`);
    rows.push({
      page,
      lcp: audits["largest-contentful-paint"]?.numericValue ?? Number.NaN,
      cls: audits["cumulative-layout-shift"]?.numericValue ?? Number.NaN,
      fcp: audits["first-contentful-paint"]?.numericValue ?? Number.NaN,
      tbt: audits["total-blocking-time"]?.numericValue ?? Number.NaN,
      score: (result?.lhr.categories.performance?.score ?? Number.NaN) * 100,
    });
  }
} finally {
  await chrome.kill();
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
