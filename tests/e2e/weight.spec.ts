import type { Page } from "@playwright/test";
import { Applicant } from "./applicant";
import { expect, type Language, test, waitForHydration } from "./fixtures";

/**
 * Page weight on a cheap phone with little data (issue: "each applicant page at most 20 KB gzip of
 * HTML and 20 KB of CSS, and at most 120 KB gzip of JavaScript in all"). Each page is loaded cold,
 * with the cache disabled, and the compressed bodies that cross the network are added up by kind.
 * The texts the scripts fetch (locale files, the route manifest) are reported as data, with a
 * budget of their own. The form validator (react-hook-form and zod) loads only when a form is first
 * used; it is measured once and reported on its own line.
 */
const budget = { html: 20 * 1024, css: 20 * 1024, js: 120 * 1024, data: 25 * 1024 };

interface Weight {
  page: string;
  html: number;
  css: number;
  js: number;
  data: number;
  /** Scripts fetched ahead of the stylesheet's priority: they would hold up the first paint. */
  urgentScripts: string[];
  scriptUrls: string[];
}

async function measure(page: Page, path: string): Promise<Weight> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  // Bytes on the wire minus the response headers: the compressed body.
  const sizes: Record<string, number> = {};
  const types: Record<string, string> = {};
  const headers: Record<string, number> = {};
  const scripts: Record<string, { url: string; priority: string }> = {};
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.type === "Script")
      scripts[e.requestId] = { url: e.request.url, priority: e.request.initialPriority };
  });
  cdp.on("Network.responseReceived", (e) => {
    types[e.requestId] = e.type;
    headers[e.requestId] = e.response.encodedDataLength;
  });
  cdp.on("Network.loadingFinished", (e) => {
    sizes[e.requestId] = e.encodedDataLength - (headers[e.requestId] ?? 0);
  });
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  await cdp.detach();
  const total = (kinds: string[]) =>
    Object.entries(sizes)
      .filter(([id]) => kinds.includes(types[id] ?? ""))
      .reduce((sum, [, size]) => sum + size, 0);
  return {
    page: path,
    html: total(["Document"]),
    css: total(["Stylesheet"]),
    js: total(["Script"]),
    data: total(["Fetch", "XHR"]),
    urgentScripts: Object.values(scripts)
      .filter((s) => s.priority !== "Low" && s.priority !== "VeryLow")
      .map((s) => `${s.url} (${s.priority})`),
    scriptUrls: Object.values(scripts).map((s) => s.url),
  };
}

/**
 * What the build makes of a server-only module imported by a route: an empty CommonJS wrapper.
 * Loaded by a page, it is a request for nothing.
 */
const isEmptyModule = (code: string) =>
  /^import\{\w+ as \w+\}from"[^"]+";var \w+=\w+\(\(\w+,\w+\)=>\{\w+\.exports=\{\}\}\);export\{\w+ as \w+\};?$/.test(
    code.trim(),
  );

/** Bytes of script loaded when a form field first gets focus (the lazily loaded validator). */
async function lazyValidator(page: Page, path: string): Promise<number> {
  await page.goto(path);
  await waitForHydration(page);
  const before = await validatorBytes(page);
  await page.locator("main input:not([type=hidden])").first().focus();
  await expect
    .poll(() => validatorBytes(page), { message: "the validator loads on first use" })
    .toBeGreaterThan(5 * 1024);
  expect(before, "the validator is not part of the page load").toBe(0);
  return validatorBytes(page);
}

const validatorBytes = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((e) => e.name.includes("/validator.client-"))
      .reduce((sum, e) => sum + (e as PerformanceResourceTiming).encodedBodySize, 0),
  );

for (const lang of ["fr", "ar"] as Language[]) {
  test(`every applicant page stays within budget, in ${lang}`, async ({ page, javaScriptEnabled }, info) => {
    test.skip(!javaScriptEnabled, "measured with JavaScript, the heavier case");
    test.setTimeout(240_000);
    const applicant = new Applicant(page, lang, { js: true });
    const weights: Weight[] = [];
    const visit = async (path: string) => weights.push(await measure(page, `/${lang}${path}`));
    // First, while nothing is cached: the validator that arrives when a form is first used.
    const validator = await lazyValidator(page, `/${lang}/apply/eligibility/in-france`);

    for (const path of ["", "/apply", "/privacy", "/apply/not-eligible/eea", "/apply/resume"])
      await visit(path);
    for (const slug of ["in-france", "age", "identity-document", "eea"])
      await visit(`/apply/eligibility/${slug}`);
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
      "names",
      "date-of-birth",
      "place-of-birth",
      "sex",
      "nationality",
      "relationship-status",
      "document-details",
      "applying-with",
      "uk-family",
      "lived-in-uk",
      "visited-uk",
      "address",
      "previous-journeys",
      "removals",
      "criminality",
      "protection-elsewhere",
      "french-permission",
      "consent",
    ]) {
      await visit(`/apply/q/${slug}`);
    }
    for (const path of ["/apply/upload-document", "/apply/upload-photo", "/apply/children"])
      await visit(path);
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

    // The validator arrives with the first use of a form: focus a field and measure what loads.

    const kb = (n: number) => (n / 1024).toFixed(1).padStart(7);
    const table = [
      "page                                      HTML KB  CSS KB   JS KB  data KB",
      ...weights.map((w) => `${w.page.padEnd(40)} ${kb(w.html)} ${kb(w.css)} ${kb(w.js)} ${kb(w.data)}`),
      `${"form validator, on first use".padEnd(40)} ${kb(0)} ${kb(0)} ${kb(validator)} ${kb(0)}`,
    ].join("\n");
    console.log(table);
    await info.attach(`page-weight-${lang}.txt`, { body: table, contentType: "text/plain" });
    for (const w of weights) {
      expect.soft(w.html, `${w.page} HTML`).toBeLessThanOrEqual(budget.html);
      expect.soft(w.css, `${w.page} CSS`).toBeLessThanOrEqual(budget.css);
      expect.soft(w.js, `${w.page} JavaScript`).toBeLessThanOrEqual(budget.js);
      expect.soft(w.data, `${w.page} data`).toBeLessThanOrEqual(budget.data);
      expect.soft(w.html, `${w.page} was measured`).toBeGreaterThan(500);
      expect.soft(w.urgentScripts, `${w.page}: scripts wait for the stylesheet`).toEqual([]);
    }
    // Every script the pages loaded, once each: none is an empty stand-in for a server module.
    const empty: string[] = [];
    for (const url of new Set(weights.flatMap((w) => w.scriptUrls))) {
      if (isEmptyModule(await (await page.request.get(url)).text())) empty.push(url);
    }
    expect(empty, "scripts that are empty modules").toEqual([]);
  });
}
