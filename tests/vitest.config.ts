import { defineConfig } from "vitest/config";
import { repoRoot, vitestEnv } from "./support/test-env";

// Unit and integration tests. Integration tests get a real database from tests/support/db.ts:
// a fresh PostgreSQL database per file when DATABASE_URL is set (always in CI), otherwise an
// in-memory PGlite. Playwright specs (tests/e2e) are not collected here.
export default defineConfig({
  root: repoRoot,
  // Vitest does not read tsconfig paths.
  resolve: { alias: { "~": `${repoRoot}app`, "#db": `${repoRoot}db` } },
  esbuild: { jsx: "automatic" },
  test: {
    include: [
      "tests/unit/**/*.test.{ts,tsx}",
      "tests/integration/**/*.test.{ts,tsx}",
      "tests/fuzz/**/*.test.{ts,tsx}",
    ],
    env: vitestEnv,
    // PGlite takes seconds to start, and process tests start the built server.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
