import { readFileSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

/**
 * The shared `test`: any console error or uncaught exception in any page of the test fails it,
 * unless the test allows it with `test.use({ allowedConsoleErrors: [/pattern/] })`. CSP violations
 * and hydration failures are console errors, so every spec also guards those.
 */
let clients = 0;

export const test = base.extend<{ allowedConsoleErrors: RegExp[]; failOnConsoleErrors: undefined }>({
  // Each test is its own client, as applicants are (the e2e server trusts one proxy): the per-client
  // rate limits then count one test's attempts, not the whole run's, all from 127.0.0.1.
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use, testInfo) => {
    clients += 1;
    const address = `10.${testInfo.workerIndex % 256}.${(clients >> 8) % 256}.${clients % 256}`;
    await use({ ...extraHTTPHeaders, "X-Forwarded-For": address });
  },
  // A form with errors answers 422 and a rate limit 429, which browsers log as failed resources.
  allowedConsoleErrors: [[/the server responded with a status of (422|429)/], { option: true }],
  failOnConsoleErrors: [
    async ({ context, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      const watch = (page: Page) => {
        page.on("console", (message) => {
          if (message.type() === "error") errors.push(`console.error at ${page.url()}: ${message.text()}`);
        });
        page.on("pageerror", (error) => errors.push(`uncaught at ${page.url()}: ${error.message}`));
      };
      context.pages().forEach(watch);
      context.on("page", watch);
      await use(undefined);
      const unexpected = errors.filter((e) => !allowedConsoleErrors.some((pattern) => pattern.test(e)));
      expect(unexpected, "console errors in the page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * WCAG 2.2 AA as axe checks it; the failure lists each rule with the elements that break it.
 * `soft`: the test goes on and fails at its end, so one run reports every page's violations.
 */
export async function expectNoAxeViolations(page: Page, { soft = false } = {}): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  (soft ? expect.soft : expect)(violations, `axe violations at ${page.url()}`).toEqual([]);
}

/** Resolves once the client has hydrated (JavaScript projects only). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized,
  );
}

export const languages = ["fr", "en", "ar"] as const;
export type Language = (typeof languages)[number];
export const contentPages = ["privacy", "accessibility", "cookies"] as const;

/** A text from locales/<lang>/<ns>.json, read from the file, so a missing key fails the test. */
export function localeText(lang: Language, key: string, ns = "common"): string {
  const catalogue = JSON.parse(
    readFileSync(new URL(`../../locales/${lang}/${ns}.json`, import.meta.url), "utf8"),
  );
  const value = key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
  if (typeof value !== "string" || !value)
    throw new Error(`locales/${lang}/${ns}.json has no text at ${key}`);
  return value;
}
