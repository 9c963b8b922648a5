// The web server for the Playwright run (tests/playwright.config.ts `webServer`). Playwright starts
// its webServer before globalSetup, so the run's database is made here, not in a globalSetup:
// a fresh PostgreSQL database when DATABASE_URL is set, otherwise a fresh PGlite folder (not memory,
// so that data outlives a restart). Both are removed when Playwright stops the server (SIGTERM).
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import postgres from "postgres";

const runId = process.env.E2E_RUN_ID ?? String(Date.now());
const baseUrl = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;
const env = { ...process.env };
let cleanUp;

async function maintenance(statement) {
  const sql = postgres(baseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (baseUrl) {
  const name = `e2e_${runId}`;
  await maintenance(`create database "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  cleanUp = () => maintenance(`drop database if exists "${name}" with (force)`);
  console.log(`e2e: PostgreSQL database ${name}`);
} else {
  const dataDir = `tests/.tmp/e2e-${runId}`;
  delete env.DATABASE_URL;
  env.DATA_DIR = dataDir;
  cleanUp = async () => rmSync(dataDir, { recursive: true, force: true });
  console.log(`e2e: PGlite folder ${dataDir}`);
}

const server = spawn(process.execPath, ["build/index.js"], { env, stdio: "inherit" });
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    stopping = true;
    server.kill(signal);
  });
}
server.on("exit", async (code, signal) => {
  // Playwright does not watch its web server once it has started: say so when it dies mid-run.
  if (!stopping) console.error(`e2e: the server stopped during the run (code ${code}, signal ${signal})`);
  try {
    await cleanUp();
  } catch (error) {
    console.error(`e2e: clean-up failed: ${error.message}`);
  }
  process.exit(code ?? (signal === "SIGTERM" || signal === "SIGINT" ? 0 : 1));
});
