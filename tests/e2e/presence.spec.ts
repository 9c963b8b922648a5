import { Applicant, onPhoneAt, presenceLink, submitApplication } from "./applicant";
import { expect, type Language, localeText, test } from "./fixtures";

/** Submits an application and returns the path of the presence link it was sent. */
async function submittedWithLink(applicant: Applicant, email: string): Promise<string> {
  await submitApplication(
    applicant,
    email,
    { givenNames: "Omid", familyName: "Karimi", dob: ["3", "9", "1992"] },
    "AF",
  );
  return presenceLink(applicant.page, email);
}

for (const [lang, place, latitude, longitude, result] of [
  ["fr", "Calais", 50.9513, 1.8587, "in_france"],
  ["ar", "London", 51.5072, -0.1276, "outside_france"],
] as [Language, string, number, number, string][]) {
  test(`the presence link from ${place} records "${result}", in ${lang}`, async ({
    page,
    browser,
    javaScriptEnabled,
  }) => {
    test.skip(!javaScriptEnabled, "reading the location needs JavaScript");
    test.setTimeout(180_000);
    const path = await submittedWithLink(
      new Applicant(page, lang, { js: true }),
      `presence.${lang}.${Date.now()}@example.org`,
    );
    const phone = await onPhoneAt(browser, latitude, longitude);
    await phone.page.goto(path);
    await phone.page
      .getByRole("button", { name: localeText(lang, "presence.share", "journey"), exact: true })
      .click();
    const title = phone.page.locator(result === "in_france" ? ".govuk-panel__title" : "h1");
    await expect(title).toHaveText(localeText(lang, `presence.results.${result}.title`, "journey"));
    // Used once: the link now only shows the outcome.
    await phone.page.reload();
    await expect(
      phone.page.getByRole("button", { name: localeText(lang, "presence.share", "journey"), exact: true }),
    ).toHaveCount(0);
    await phone.context.close();
  });
}

test("an applicant who cannot share a location is told what it means", async ({
  page,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "getting a link takes the whole journey, covered with JavaScript");
  test.setTimeout(180_000);
  const path = await submittedWithLink(
    new Applicant(page, "fr", { js: true }),
    `noloc.${Date.now()}@example.org`,
  );
  await page.goto(path);
  await page.locator("main form").last().locator("button").click();
  await expect(page.locator("h1")).toHaveText(
    localeText("fr", "presence.results.no_location.title", "journey"),
  );
  await expect(page.locator("main")).toContainText(localeText("fr", "presence.unverifiedMeaning", "journey"));
});
