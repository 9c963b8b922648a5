import type { Page } from "@playwright/test";
import { Applicant } from "./applicant";
import { expect, type Language, test } from "./fixtures";

/**
 * Page weight on a cheap phone with little data (issue: "each applicant page at most 20 KB gzip of
 * HTML and 20 KB of CSS, and at most 120 KB gzip of JavaScript in all"). Each page is loaded cold,
 * with the cache disabled, and what crosses the network is added up by kind. Locale files are
 * fetched by the JavaScript, so they count as JavaScript.
 */
const budget = { html: 20 * 1024, css: 20 * 1024, js: 120 * 1024 };

interface Weight {
  page: string;
  html: number;
  css: number;
  js: number;
}

async function measure(page: Page, path: string): Promise<Weight> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const sizes: Record<string, number> = {};
  const types: Record<string, string> = {};
  cdp.on("Network.responseReceived", (e) => {
    types[e.requestId] = e.type;
  });
  cdp.on("Network.loadingFinished", (e) => {
    sizes[e.requestId] = e.encodedDataLength;
  });
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  await cdp.detach();
  const total = (kinds: string[]) =>
    Object.entries(sizes)
      .filter(([id]) => kinds.includes(types[id] ?? ""))
      .reduce((sum, [, size]) => sum + size, 0);
  return { page: path, html: total(["Document"]), css: total(["Stylesheet"]), js: total(["Script", "Fetch", "XHR"]) };
}

for (const lang of ["fr", "ar"] as Language[]) {
  test(`every applicant page stays within budget, in ${lang}`, async ({ page, javaScriptEnabled }, info) => {
    test.skip(!javaScriptEnabled, "measured with JavaScript, the heavier case");
    test.setTimeout(240_000);
    const applicant = new Applicant(page, lang, { js: true });
    const weights: Weight[] = [];
    const visit = async (path: string) => weights.push(await measure(page, `/${lang}${path}`));

    for (const path of ["", "/apply", "/privacy", "/apply/not-eligible/eea", "/apply/resume"]) await visit(path);
    for (const slug of ["in-france", "age", "identity-document", "eea"]) await visit(`/apply/eligibility/${slug}`);
    await applicant.eligibility();
    await visit("/apply/eligible");
    await visit("/apply/contact");
    const email = `weight.${lang}.${Date.now()}@example.org`;
    await applicant.fill({ email });
    await applicant.continue(/apply\/verify/);
    await visit("/apply/verify");
    await applicant.enterCode(email);
    await expect(page).toHaveURL(/apply\/tasks/);
    await visit("/apply/tasks");
    for (const slug of [
      "names", "date-of-birth", "place-of-birth", "sex", "nationality", "relationship-status", "document-details",
      "applying-with", "uk-family", "lived-in-uk", "visited-uk", "address", "previous-journeys", "removals",
      "criminality", "protection-elsewhere", "french-permission", "consent",
    ]) {
      await visit(`/apply/q/${slug}`);
    }
    for (const path of ["/apply/upload-document", "/apply/upload-photo", "/apply/children"]) await visit(path);
    await page.goto(`/${lang}/apply/tasks`);
    await applicant.aboutYou({ givenNames: "Amina", familyName: "Haddad", dob: ["12", "4", "1990"] });
    await applicant.document(`ER${Date.now().toString().slice(-7)}`);
    await applicant.uploads();
    await applicant.family("alone");
    await applicant.restOfSections();
    await visit("/apply/check");
    await visit("/apply/declaration");
    await page.goto(`/${lang}/apply/declaration`);
    await applicant.choose("declaration");
    await applicant.continue(/apply\/confirmation/);
    await visit("/apply/confirmation");

    const kb = (n: number) => (n / 1024).toFixed(1).padStart(6);
    const table = [
      "page                                      HTML KB  CSS KB   JS KB",
      ...weights.map((w) => `${w.page.padEnd(40)} ${kb(w.html)} ${kb(w.css)} ${kb(w.js)}`),
    ].join("\n");
    console.log(table);
    await info.attach(`page-weight-${lang}.txt`, { body: table, contentType: "text/plain" });
    for (const w of weights) {
      expect.soft(w.html, `${w.page} HTML`).toBeLessThanOrEqual(budget.html);
      expect.soft(w.css, `${w.page} CSS`).toBeLessThanOrEqual(budget.css);
      expect.soft(w.js, `${w.page} JavaScript`).toBeLessThanOrEqual(budget.js);
      expect.soft(w.html, `${w.page} was measured`).toBeGreaterThan(500);
    }
  });
}
