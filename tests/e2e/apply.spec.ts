import { Applicant, latestCode } from "./applicant";
import { expect, localeText, test } from "./fixtures";

const person = {
  givenNames: "Amina",
  familyName: "Haddad",
  dob: ["12", "4", "1990"] as [string, string, string],
};
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test.describe("the expression of interest", () => {
  test("a full application in French with JavaScript, every page accessible", async ({
    page,
    javaScriptEnabled,
  }) => {
    test.skip(!javaScriptEnabled, "the no-JavaScript journey is the Arabic one below");
    test.setTimeout(180_000);
    const applicant = new Applicant(page, "fr", { js: true, axe: true });
    await applicant.eligibility();
    // Client-side validation (react-hook-form + the shared zod schema): an error, nothing posted.
    await applicant.fill({ email: "pas-une-adresse" });
    await page.locator("main form button[type=submit]").first().click();
    await expect(page.locator(".govuk-error-summary")).toContainText(
      localeText("fr", "fields.email.errors.invalid", "apply"),
    );
    await expect(page.locator(".govuk-error-summary")).toBeFocused();
    await expect(page).toHaveTitle(/^Erreur :/);
    // The button ignores a second press within a second (double-click guard), as a person would wait.
    await page.waitForTimeout(1000);
    await applicant.verifyContact(`amina.${unique()}@example.org`, "06 12 34 56 78");
    await applicant.aboutYou(person);
    await applicant.document(`ER${Date.now().toString().slice(-7)}`);
    await applicant.uploads();
    await applicant.family("alone");
    await applicant.restOfSections();
    const { reference } = await applicant.submit();
    expect(reference).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}$/);
    await expect(page.locator(".govuk-panel__title")).toHaveText(
      localeText("fr", "confirmation.title", "journey"),
    );
    // Loaded as a document, the confirmation comes without scripts: it has nothing to enhance.
    await page.reload();
    await expect(page.getByTestId("reference")).toHaveText(reference);
    await expect(page.locator("script")).toHaveCount(0);
    // The confirmation went out in French through the outbox.
    await page.goto("/dev/mailbox");
    await expect(page.getByTestId("mail").filter({ hasText: reference }).first()).toContainText(
      "Demande reçue",
    );
  });

  test.describe(() => {
    test("a full application in Arabic without JavaScript, right to left @nojs-only", async ({ page }) => {
      test.setTimeout(180_000);
      const applicant = new Applicant(page, "ar", { js: false, axe: true });
      await applicant.eligibility();
      // Server validation in Arabic: the error summary and the inline message.
      await applicant.continue(/apply\/contact/);
      await expect(page.locator(".govuk-error-summary")).toContainText(
        localeText("ar", "contact.atLeastOne", "journey"),
      );
      await expect(page).toHaveTitle(new RegExp(`^${localeText("ar", "layout.errorPrefix")}`));
      await page.waitForTimeout(1000);
      await applicant.verifyContact(`amal.${unique()}@example.org`);
      // Bad input loses nothing already saved: a wrong date keeps the names typed on the page before.
      await applicant.task(0, /q\/names/);
      await applicant.fill({ givenNames: "أمل <script>alert(1)</script>", familyName: "Haddad" });
      await applicant.continue(/q\/date-of-birth/);
      await applicant.date("dateOfBirth", "31", "2", "1990");
      await applicant.continue(/q\/date-of-birth/);
      await expect(page.locator("#dateOfBirth-error")).toContainText(
        localeText("ar", "fields.dateOfBirth.errors.invalid", "apply"),
      );
      await expect(page.locator("#dateOfBirth-day")).toHaveValue("31");
      await page.goto("/ar/apply/q/names");
      await expect(page.locator("#givenNames")).toHaveValue("أمل <script>alert(1)</script>");
      await page.goto("/ar/apply/tasks");
      await applicant.aboutYou({ ...person, givenNames: "أمل <script>alert(1)</script>" });
      await applicant.document(`ER${Date.now().toString().slice(-7)}`);
      await applicant.uploads();
      await applicant.family("alone");
      await applicant.restOfSections();
      // The injected script is shown as text on check your answers, never run.
      await page.locator("main .govuk-button").click();
      await expect(page.locator("main")).toContainText("<script>alert(1)</script>");
      await page.goto("/ar/apply/tasks");
      const { reference } = await applicant.submit();
      await expect(page.getByTestId("reference").locator("bdi")).toHaveAttribute("dir", "ltr");
      expect(reference).toHaveLength(12);
    });
  });

  test("a family of two: the main applicant, then a member with the family reference", async ({
    page,
    browser,
    javaScriptEnabled,
  }) => {
    test.skip(!javaScriptEnabled, "covered with JavaScript");
    test.setTimeout(240_000);
    const main = new Applicant(page, "fr", { js: true });
    await main.eligibility();
    await main.verifyContact(`main.${unique()}@example.org`);
    await main.aboutYou(person);
    await main.document(`ER${Date.now().toString().slice(-7)}`);
    await main.uploads();
    await main.family("main");
    await main.restOfSections();
    const { familyReference } = await main.submit();
    expect(familyReference).toMatch(/^F-/);

    const context = await browser.newContext();
    const member = new Applicant(await context.newPage(), "ar", { js: true, axe: true });
    await member.eligibility();
    await member.verifyContact(`partner.${unique()}@example.org`);
    await member.aboutYou({ givenNames: "Samir", familyName: "Haddad", dob: ["2", "3", "1989"] });
    await member.document(`ER${Date.now().toString().slice(-7)}`);
    await member.uploads();
    await member.family("member", (familyReference as string).toLowerCase().replaceAll("-", " "));
    await member.restOfSections();
    const joined = await member.submit();
    expect(joined.familyReference).toBeNull();
    await context.close();
  });

  test("leaving half-way and resuming on another device with a new code", async ({
    page,
    browser,
    javaScriptEnabled,
  }) => {
    test.skip(!javaScriptEnabled, "covered with JavaScript");
    const email = `resume.${unique()}@example.org`;
    const first = new Applicant(page, "en", { js: true });
    await first.eligibility();
    await first.verifyContact(email);
    await first.aboutYou(person);

    // Another phone: no cookies. Ask for a code with the same email.
    const context = await browser.newContext();
    const again = new Applicant(await context.newPage(), "en", { js: true });
    await again.open("/apply/resume");
    await again.fill({ email });
    await again.continue(/apply\/resume\/verify/);
    await again.fill({ code: await latestCode(context, email) });
    await again.page.locator("main form").first().locator("button[type=submit]").click();
    await expect(again.page).toHaveURL(/apply\/tasks/);
    await expect(again.page.locator(".govuk-task-list__item").first()).toContainText(
      localeText("en", "tasks.status.completed", "journey"),
    );
    await again.task(0, /q\/names/);
    await expect(again.page.locator("#givenNames")).toHaveValue(person.givenNames);
    // A used code cannot be used again.
    await context.close();
  });

  for (const lang of ["fr", "ar"] as const) {
    test(`an applicant who is not in France is told why, in ${lang}, and nothing is kept @nojs`, async ({
      page,
      javaScriptEnabled,
    }) => {
      const applicant = new Applicant(page, lang, { js: javaScriptEnabled, axe: true });
      await applicant.open("/apply/eligibility/in-france");
      await applicant.choose("inFrance-2");
      await applicant.continue(/not-eligible\/not-in-france/);
      await expect(page.locator("main")).toContainText(
        localeText(lang, "notEligible.reasons.not-in-france.why", "journey"),
      );
      await expect(page.locator("main")).toContainText(
        localeText(lang, "notEligible.nothingKept", "journey"),
      );
      // The eligibility answers were in a cookie on this device, now cleared.
      const cookies = await page.context().cookies();
      expect(cookies.map((c) => c.name)).not.toContain("__Host-apply");
    });
  }
});
