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
  /**
   * Web processes on this machine (Node runs JavaScript on one core): set it to the number of
   * cores. Above 1 it needs PostgreSQL; the first process then migrates, seeds and delivers
   * notifications while the others answer requests.
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  UPLOAD_DIR: z.string().optional(),
  /** Where links in emails and texts point (the service's public address). */
  PUBLIC_URL: z.string().url().optional(),
  /** dev: messages only reach the development mailbox; notify: GOV.UK Notify (the production default). */
  NOTIFICATIONS_TRANSPORT: z.enum(["dev", "notify"]).optional(),
  /** off: this web process delivers nothing; a separate `node build/index.js --worker` does. */
  NOTIFICATIONS_WORKER: z.enum(["on", "off"]).default("on"),
  NOTIFY_API_KEY: z
    .string()
    .regex(/-[0-9a-f-]{36}-[0-9a-f-]{36}$/, "a GOV.UK Notify API key (name-serviceid-secret)")
    .optional(),
  /** One Notify email template with ((subject)) and ((body)), one SMS template with ((body)). */
  NOTIFY_EMAIL_TEMPLATE_ID: z.uuid().optional(),
  NOTIFY_SMS_TEMPLATE_ID: z.uuid().optional(),
  /** Only to point the client at a stand-in; the client defaults to Notify's production API. */
  NOTIFY_BASE_URL: z.url().optional(),
});

export type Env = Omit<
  z.infer<typeof schema>,
  "SESSION_SECRET" | "DATA_ENCRYPTION_KEY" | "PUBLIC_URL" | "NOTIFICATIONS_TRANSPORT"
> & {
  NOTIFICATIONS_TRANSPORT: "dev" | "notify";
  SESSION_SECRET: string;
  PUBLIC_URL: string;
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

/**
 * In production, what leaves the machine goes over TLS (ASVS 9.2.1): GOV.UK Notify (its client's
 * default address is https), and a database on another host, which must be asked for TLS in its URL
 * (`sslmode=require` or stronger). A database on this machine (loopback, or a socket) needs none.
 */
function requireOutboundTls(databaseUrl: string | undefined, notifyBaseUrl: string | undefined) {
  if (notifyBaseUrl && !notifyBaseUrl.startsWith("https://")) {
    throw new Error("NOTIFY_BASE_URL must be an https address in production");
  }
  if (!databaseUrl) return;
  const url = new URL(databaseUrl);
  const local = ["", "localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (!local && !["require", "verify-ca", "verify-full"].includes(url.searchParams.get("sslmode") ?? "")) {
    throw new Error(
      "DATABASE_URL must ask for TLS (sslmode=require, verify-ca or verify-full) when the database is on another host",
    );
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
  // Production sends through GOV.UK Notify unless NOTIFICATIONS_TRANSPORT=dev says otherwise
  // explicitly (production-mode test runs); either way a half-configured Notify stops the boot.
  const transport = e.NOTIFICATIONS_TRANSPORT ?? (isProduction ? "notify" : "dev");
  if (
    transport === "notify" &&
    (!e.NOTIFY_API_KEY || !e.NOTIFY_EMAIL_TEMPLATE_ID || !e.NOTIFY_SMS_TEMPLATE_ID)
  ) {
    throw new Error(
      "NOTIFY_API_KEY, NOTIFY_EMAIL_TEMPLATE_ID and NOTIFY_SMS_TEMPLATE_ID are required to send through GOV.UK Notify (the default in production; NOTIFICATIONS_TRANSPORT=dev opts out)",
    );
  }
  if (isProduction)
    requireOutboundTls(e.DATABASE_URL, transport === "notify" ? e.NOTIFY_BASE_URL : undefined);
  const generated = e.SESSION_SECRET && e.DATA_ENCRYPTION_KEY ? undefined : generatedSecrets(e.DATA_DIR);
  return {
    ...e,
    isProduction,
    NOTIFICATIONS_TRANSPORT: transport,
    SESSION_SECRET: e.SESSION_SECRET ?? (generated?.session as string),
    DATA_ENCRYPTION_KEY: e.DATA_ENCRYPTION_KEY ?? (generated?.data as string),
    UPLOAD_DIR: e.UPLOAD_DIR ?? join(e.DATA_DIR, "uploads"),
    PUBLIC_URL: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
  };
}

export const env: Env = loadEnv();
