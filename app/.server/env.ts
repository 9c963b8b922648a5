import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

// Validated once at boot. Production refuses to start without its secrets. Elsewhere missing
// secrets are generated once and kept in the data folder, so a restart keeps sessions and can
// still decrypt what it stored.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default(".data"),
  SESSION_SECRET: z.string().min(32).optional(),
  DATA_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "64 hex characters (32 bytes)")
    .optional(),
  SEED_DEMO: z.enum(["0", "1"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "silent"]).default("info"),
  DB_POOL_MAX: z.coerce.number().int().positive().default(10),
  UPLOAD_DIR: z.string().optional(),
});

export type Env = Omit<z.infer<typeof schema>, "SESSION_SECRET" | "DATA_ENCRYPTION_KEY"> & {
  SESSION_SECRET: string;
  DATA_ENCRYPTION_KEY: string;
  UPLOAD_DIR: string;
  isProduction: boolean;
};

function generatedSecrets(dataDir: string): { session: string; data: string } {
  const file = join(dataDir, "dev-secrets.json");
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    const secrets = { session: randomBytes(32).toString("hex"), data: randomBytes(32).toString("hex") };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
    return secrets;
  }
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${JSON.stringify(z.flattenError(parsed.error).fieldErrors)}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";
  if (isProduction && (!e.SESSION_SECRET || !e.DATA_ENCRYPTION_KEY)) {
    throw new Error("SESSION_SECRET and DATA_ENCRYPTION_KEY are required in production");
  }
  const generated = e.SESSION_SECRET && e.DATA_ENCRYPTION_KEY ? undefined : generatedSecrets(e.DATA_DIR);
  return {
    ...e,
    isProduction,
    SESSION_SECRET: e.SESSION_SECRET ?? (generated?.session as string),
    DATA_ENCRYPTION_KEY: e.DATA_ENCRYPTION_KEY ?? (generated?.data as string),
    UPLOAD_DIR: e.UPLOAD_DIR ?? join(e.DATA_DIR, "uploads"),
  };
}

export const env: Env = loadEnv();
