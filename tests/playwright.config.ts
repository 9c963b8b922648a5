import { defineConfig } from "@playwright/test";
import { testSecrets } from "./support/test-env";

// End-to-end tests against the production build (node build/index.js), in Debian's Chromium:
// Playwright must never download a browser here (docs: /work/shared/stack.md §5.3).
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
// One id for the whole run, seen by the runner, the web server and the workers (which inherit it).
process.env.E2E_RUN_ID ??= String(Date.now());

export default defineConfig({
  testDir: "./e2e",
  // Outside tests/, so the linter never reads Playwright's output.
  outputDir: "../test-results",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: process.env.CI
    ? [["list"]]
    : [["list"], ["html", { open: "never", outputFolder: "../playwright-report" }]],
  use: {
    baseURL,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: process.env.CI ? "off" : "retain-on-failure",
  },
  // Every spec runs with JavaScript; tests tagged @nojs also run without it (@nojs-only: only there).
  projects: [
    { name: "js", use: { javaScriptEnabled: true }, grepInvert: /@nojs-only/ },
    { name: "nojs", use: { javaScriptEnabled: false }, grep: /@nojs/ },
  ],
  webServer: {
    command: "npx remix build && node tests/support/e2e-server.mjs",
    cwd: "..",
    url: `${baseURL}/healthz`,
    env: {
      NODE_ENV: "production",
      SEED_DEMO: "1",
      // Messages go to the development mailbox, where the tests read the codes.
      NOTIFICATIONS_TRANSPORT: "dev",
      // Behind one proxy, as in production: each test sends its own X-Forwarded-For (fixtures.ts).
      TRUST_PROXY: "1",
      ...testSecrets,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      E2E_RUN_ID: process.env.E2E_RUN_ID,
    },
    // SIGTERM (not SIGKILL) lets the server stop cleanly and e2e-server.mjs drop the database.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: "pipe",
  },
});
