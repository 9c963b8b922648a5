import { Applicant, latestCode } from "./applicant";
import { expect, type Language, localeText, test } from "./fixtures";

// ASVS 3.3.1: an applicant on a phone or an NGO's shared computer signs out of their application;
// the page says how to come back, and the application no longer opens in that browser. The status
// pages' sign-out is in status.spec.ts.

const person = {
  givenNames: "Hawa",
  familyName: "Idris",
  dob: ["2", "2", "1992"] as [string, string, string],
};

for (const lang of ["fr", "ar"] as Language[]) {
  test(`an applicant signs out half-way and comes back with a new code, in ${lang} @nojs`, async ({
    page,
    javaScriptEnabled: js,
  }) => {
    test.setTimeout(120_000);
    const applicant = new Applicant(page, lang, { js, axe: true });
    const email = `sign-out.${lang}.${js ? "js" : "nojs"}.${Date.now()}@example.org`;
    const signOut = page
      .getByTestId("applicant-bar")
      .getByRole("button", { name: localeText(lang, "layout.signOut"), exact: true });

    await applicant.eligibility();
    // Nothing to sign out of before a code proves who they are.
    await expect(page.getByTestId("applicant-bar")).toHaveCount(0);
    await applicant.verifyContact(email);
    await expect(signOut).toBeVisible();
    await applicant.task(0, /q\/names/);
    await applicant.fill({ givenNames: person.givenNames, familyName: person.familyName });
    await applicant.continue(/q\/date-of-birth/);
    // On the question pages too.
    await expect(signOut).toBeVisible();

    await signOut.click();
    await expect(page).toHaveURL(new RegExp(`/${lang}/signed-out$`));
    await applicant.check();
    await expect(page.locator("h1")).toHaveText(localeText(lang, "signedOut.title", "journey"));
    await expect(page.getByTestId("applicant-bar")).toHaveCount(0);
    await expect(
      page.getByRole("link", { name: localeText(lang, "signedOut.statusLink", "journey") }),
    ).toHaveAttribute("href", `/${lang}/status`);

    // The application no longer opens in this browser.
    await page.goto(`/${lang}/apply/q/date-of-birth`);
    await expect(page).toHaveURL(new RegExp(`/${lang}/apply/resume$`));

    // Coming back as the page said: a new code, and the answers are still there.
    await page.goto(`/${lang}/signed-out`);
    await page.getByRole("link", { name: localeText(lang, "signedOut.resumeLink", "journey") }).click();
    await expect(page).toHaveURL(new RegExp(`/${lang}/apply/resume$`));
    await applicant.check();
    await applicant.fill({ email });
    await applicant.continue(/apply\/resume\/verify/);
    await applicant.fill({ code: await latestCode(page.context(), email) });
    await applicant.continue(/apply\/tasks/);
    await applicant.task(0, /q\/date-of-birth/);
    await page.goto(`/${lang}/apply/q/names`);
    await expect(page.locator("#familyName")).toHaveValue(person.familyName);
  });
}
