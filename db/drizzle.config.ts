import { defineConfig } from "drizzle-kit";

// Generation only needs the schema; migrations are applied by the app at start-up (db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
