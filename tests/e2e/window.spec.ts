import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { type ServerProcess, startServer } from "../support/server";
import { repoRoot, testSecrets, tmpRoot } from "../support/test-env";
import { Applicant } from "./applicant";
import { expect, localeText, test } from "./fixtures";

/**
 * Outside an application window the service refuses to submit, says when the next one opens and
 * keeps the draft (domain.md Part A §4). This needs a database whose only window has closed, so
 * the spec runs its own server on its own database, prepared before the server starts.
 */
test.describe("outside an application window", () => {
  test.describe.configure({ mode: "serial" });
  let server: ServerProcess;
  let cleanUp: () => Promise<void>;
  const nextOpens = new Date(Date.now() + 10 * 86_400_000);

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const id = `window_${Date.now().toString(36)}`;
    const base = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;
    let database: Record<string, string>;
    let run: (sql: string) => Promise<void>;
    if (base) {
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${id}"`);
      await admin.end();
      const url = new URL(base);
      url.pathname = `/${id}`;
      database = { DATABASE_URL: url.toString() };
      run = async (sql) => {
        const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
        await client.unsafe(sql);
        await client.end();
      };
      cleanUp = async () => {
        const admin2 = postgres(base, { max: 1, onnotice: () => {} });
        await admin2.unsafe(`drop database if exists "${id}" with (force)`);
        await admin2.end();
      };
    } else {
      const dataDir = `${tmpRoot}/${id}`;
      database = { DATA_DIR: dataDir };
      run = async (sql) => {
        const db = new PGlite(`${dataDir}/pglite`);
        await db.exec(sql);
        await db.close();
      };
      cleanUp = async () => rmSync(dataDir, { recursive: true, force: true });
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...testSecrets,
      ...database,
      NODE_ENV: "production",
      NOTIFICATIONS_TRANSPORT: "dev",
      SEED_DEMO: "1",
    };
    // Migrate and seed, then close the demo window and announce the next one.
    execFileSync(process.execPath, ["build/index.js", "--seed-only"], {
      cwd: repoRoot,
      env,
      stdio: "ignore",
    });
    await run(`update application_windows set opens_at = now() - interval '30 days', closes_at = now() - interval '1 day';
      insert into application_windows (name, opens_at, closes_at) values ('Next', '${nextOpens.toISOString()}', '${new Date(nextOpens.getTime() + 30 * 86_400_000).toISOString()}');`);
    server = await startServer({ ...database, SEED_DEMO: "0" });
  });

  test.afterAll(async () => {
    await server?.kill();
    await cleanUp?.();
  });

  test("refuses to submit, says when the next window opens, and keeps the draft @nojs", async ({
    browser,
    javaScriptEnabled,
  }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled });
    const page = await context.newPage();
    const applicant = new Applicant(page, "fr", { js: javaScriptEnabled });
    await applicant.open("/apply");
    await expect(page.locator("main")).toContainText(
      localeText("fr", "start.windowClosedNext", "journey").split("{{")[0] as string,
    );
    await applicant.eligibility();
    await applicant.verifyContact(`late.${Date.now()}@example.org`);
    await applicant.aboutYou({ givenNames: "Ali", familyName: "Rahimi", dob: ["1", "1", "1991"] });
    await applicant.document(`AF${Date.now().toString().slice(-7)}`);
    await applicant.uploads();
    await applicant.family("alone");
    await applicant.restOfSections();
    await page.locator("main .govuk-button").click();
    await expect(page).toHaveURL(/apply\/check/);
    await page.locator("main .govuk-button").last().click();
    await expect(page).toHaveURL(/apply\/declaration/);
    await applicant.choose("declaration");
    await applicant.continue(/apply\/declaration/);
    const date = new Intl.DateTimeFormat("fr", { dateStyle: "long", timeZone: "Europe/Paris" }).format(
      nextOpens,
    );
    await expect(page.locator(".govuk-warning-text")).toContainText(date);
    // Nothing was lost: the task list still shows every section completed.
    await page.goto("/fr/apply/tasks");
    await expect(page.locator(".govuk-task-list__status")).toHaveText(
      Array(8).fill(localeText("fr", "tasks.status.completed", "journey")),
    );
    await context.close();
  });
});
