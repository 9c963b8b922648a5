import { generateReference } from "../../app/domain/eoi/reference";
import { Applicant, latestCode, statusSignIn, submitApplication } from "./applicant";
import { expect, type Language, localeText, test } from "./fixtures";

const dob = ["12", "4", "1990"] as [string, string, string];

const person = { givenNames: "Nadia", familyName: "Omar", dob };

const submitted = (applicant: Applicant, email: string) => submitApplication(applicant, email, person, "SD");

const signIn = (applicant: Applicant, reference: string, date = dob) =>
  statusSignIn(applicant, reference, date);

for (const lang of ["fr", "ar"] as Language[]) {
  test(`an applicant follows and withdraws their application, in ${lang}`, async ({
    page,
    browser,
    javaScriptEnabled,
  }) => {
    test.skip(!javaScriptEnabled, "the status pages are also covered without JavaScript below");
    test.setTimeout(240_000);
    const email = `status.${lang}.${Date.now()}@example.org`;
    const reference = await submitted(new Applicant(page, lang, { js: true }), email);
    // The confirmation, like every page of the application, offers to sign out.
    await expect(page.getByTestId("applicant-bar").getByRole("button")).toHaveText(
      localeText(lang, "layout.signOut"),
    );

    // Later, on another phone: reference, date of birth, then the code.
    const context = await browser.newContext();
    const applicant = new Applicant(await context.newPage(), lang, { js: true, axe: true });
    await signIn(applicant, reference.toLowerCase());
    await applicant.fill({ code: await latestCode(context, email) });
    await applicant.continue(/status\/application/);
    const timeline = applicant.page.getByTestId("timeline");
    await expect(timeline).toContainText(localeText(lang, "states.submitted.title", "status"));
    await expect(timeline).toContainText(localeText(lang, "states.draft.title", "status"));
    await expect(applicant.page.locator("main")).toContainText(reference);

    await applicant.page
      .getByRole("link", { name: localeText(lang, "application.withdraw", "status") })
      .click();
    await expect(applicant.page).toHaveURL(/status\/withdraw/);
    await applicant.check();
    await applicant.fill({ withdrawReason: "Je reste en France" });
    await applicant.choose("confirmWithdraw");
    await applicant.continue(/status\/application/);
    await expect(applicant.page.locator("main .govuk-tag").first()).toHaveText(
      localeText(lang, "states.withdrawn.title", "status"),
    );
    await expect(timeline.locator("li").first()).toContainText(
      localeText(lang, "states.withdrawn.title", "status"),
    );
    // The withdrawal was announced in the applicant's language.
    await applicant.page.goto("/dev/mailbox");
    await expect(applicant.page.getByTestId("mail").filter({ hasText: email }).first()).toContainText(
      reference,
    );

    // Signing out (above the page) ends the session at once.
    await applicant.open("/status/application");
    await applicant.page
      .getByTestId("applicant-bar")
      .getByRole("button", { name: localeText(lang, "layout.signOut"), exact: true })
      .click();
    await expect(applicant.page).toHaveURL(new RegExp(`/${lang}/signed-out$`));
    await applicant.check();
    await applicant.page.goto(`/${lang}/status/application`);
    await expect(applicant.page).toHaveURL(new RegExp(`/${lang}/status$`));
    await context.close();
  });
}

test("a wrong code and an unknown reference get the same answer @nojs", async ({
  page,
  javaScriptEnabled,
}) => {
  const applicant = new Applicant(page, "ar", { js: javaScriptEnabled });
  await signIn(applicant, generateReference());
  await applicant.fill({ code: "123456" });
  await applicant.continue(/status\/verify/);
  await expect(page.locator(".govuk-error-summary")).toContainText(
    localeText("ar", "verify.wrongCode", "journey"),
  );
  // The date-of-birth mismatch is not revealed either: the same page, the same words.
  await signIn(applicant, generateReference(), ["1", "1", "1980"]);
  await expect(page.locator("h1")).toHaveText(localeText("ar", "verify.title", "journey"));
});

test("after too many attempts the page says to wait @nojs", async ({ page, javaScriptEnabled }) => {
  const applicant = new Applicant(page, "fr", { js: javaScriptEnabled });
  const reference = generateReference();
  for (let i = 0; i < 5; i++) await signIn(applicant, reference);
  await applicant.open("/status");
  await applicant.fill({ reference });
  await applicant.date("signInDateOfBirth", ...dob);
  await applicant.continue(/\/status$/);
  const wait = localeText("fr", "errors.tooMany").split("{{")[0] as string;
  await expect(page.locator(".govuk-error-summary")).toContainText(wait);
});
