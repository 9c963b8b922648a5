import { fileURLToPath } from "node:url";

/** Absolute path of the repository, with a trailing slash. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Scratch space for tests (git-ignored); nothing a test writes goes to .data/. */
export const tmpRoot = `${repoRoot}tests/.tmp`;

/**
 * Deterministic secrets for every test layer. With them set, app/.server/env.ts never generates
 * dev secrets into a data folder, and values encrypted in one test process can be read in another
 * (a server started by a test, then the test opening its data folder).
 */
export const testSecrets = {
  SESSION_SECRET: "test-session-secret-not-for-production-0123456789",
  DATA_ENCRYPTION_KEY: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
} as const;

/** The environment Vitest gives each test file (app/.server/env.ts reads it at import time). */
export const vitestEnv = {
  NODE_ENV: "test" as const,
  ...testSecrets,
  DATA_DIR: `${tmpRoot}/vitest-data`,
  LOCALES_DIR: `${repoRoot}locales`,
  LOG_LEVEL: "silent",
};
