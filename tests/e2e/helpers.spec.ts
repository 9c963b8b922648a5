import type { Page } from "@playwright/test";
import { Applicant, latestCode, statusSignIn } from "./applicant";
import { expect, expectNoAxeViolations, type Language, localeText, test, waitForHydration } from "./fixtures";
import { demoPassword, totpCode } from "./staff";

// Issue 8, end to end: a coordinator invites a helper; the helper records an applicant's consent
// and applies for them in Arabic; the applicant signs in to their status page, sees the
// organisation and stops its access; the helper can no longer open the case. Each project uses
// its own demo organisation, so the two run side by side on one database.
const coordinators = {
  js: { email: "coordinator@demo.ukeats.test", lang: "en", organisation: "Solidarité Littoral (demo)" },
  nojs: {
    email: "coordinator.dunkerque@demo.ukeats.test",
    lang: "fr",
    organisation: "Entraide Dunkerque (demo)",
  },
} as const;

const dob = ["3", "9", "1994"] as [string, string, string];

/** The path of the newest link to `pattern` sent to `email`, read from the development mailbox. */
async function mailedPath(page: Page, email: string, pattern: RegExp): Promise<string> {
  let path: string | undefined;
  await expect(async () => {
    await page.goto("/dev/mailbox");
    const text = (await page.getByTestId("mail").filter({ hasText: email }).allTextContents()).join("\n");
    path = text.match(pattern)?.[0];
    expect(path, `a link sent to ${email}`).toBeTruthy();
  }).toPass({ timeout: 15_000 });
  return path as string;
}

/** A person at the helpers' pages: axe on each new page with JavaScript, lang and dir always. */
async function ready(page: Page, lang: Language, js: boolean) {
  await page.waitForLoadState("load");
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  await expect(page.locator("html")).toHaveAttribute("dir", lang === "ar" ? "rtl" : "ltr");
  if (js) {
    await waitForHydration(page);
    await expectNoAxeViolations(page);
  }
}

async function submitForm(page: Page, expected: RegExp, lang: Language, js: boolean) {
  await page.locator("main form").last().locator("button[type=submit]").first().click();
  await expect(page).toHaveURL(expected);
  await ready(page, lang, js);
}

/** Password, then the authenticator: set up the first time, reading the key as a person would. */
async function signIn(page: Page, lang: Language, js: boolean, email: string, password: string) {
  await page.goto(`/${lang}/helpers`);
  await ready(page, lang, js);
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await submitForm(page, /helpers\/(set-up|code)/, lang, js);
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  await page.locator("#totpCode").fill(totpCode(secret));
  await submitForm(page, /helpers\/cases$/, lang, js);
}

test("a coordinator invites a helper, who applies in Arabic for an applicant who later stops their access @nojs", async ({
  page,
  browser,
  javaScriptEnabled: js,
}) => {
  test.setTimeout(300_000);
  const run = `${js ? "js" : "nojs"}.${Date.now()}`;
  const coordinator = coordinators[js ? "js" : "nojs"];
  const t = (key: string, ns = "helpers", lang: Language = coordinator.lang) => localeText(lang, key, ns);

  // 1. The coordinator signs in and invites a helper, who will use the portal in Arabic.
  await signIn(page, coordinator.lang, js, coordinator.email, demoPassword);
  await page.goto(`/${coordinator.lang}/helpers/team`);
  await ready(page, coordinator.lang, js);
  await page.getByRole("button", { name: t("team.inviteButton") }).click();
  await expect(page).toHaveURL(/view=invite/);
  await ready(page, coordinator.lang, js);
  const helperEmail = `helper.${run}@ngo.example.org`;
  await page.locator("#name").fill("Yousra Helper");
  await page.locator("#email").fill(helperEmail);
  await page.locator("input[name=lang][value=ar]").check();
  await submitForm(page, /helpers\/team/, coordinator.lang, js);
  await expect(page.locator(".govuk-notification-banner")).toContainText(t("team.done.invited"));
  await expect(page.locator("main tbody tr").filter({ hasText: helperEmail })).toContainText(
    t("team.states.invited"),
  );

  // 2. The helper accepts the invitation on their own computer, in Arabic.
  const helperContext = await browser.newContext({ javaScriptEnabled: js });
  const helper = await helperContext.newPage();
  const invite = await mailedPath(helper, helperEmail, /\/ar\/helpers\/invite\/[A-Za-z0-9_-]{20,}/);
  await helper.goto(invite);
  await ready(helper, "ar", js);
  await expect(helper.locator("main")).toContainText(coordinator.organisation);
  const helperPassword = `Helper-password-${run}`;
  await helper.locator("#newPassword").fill(helperPassword);
  await helper.locator("#confirmPassword").fill(helperPassword);
  await submitForm(helper, /helpers\/set-up/, "ar", js);
  const secret = ((await helper.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  await helper.locator("#totpCode").fill(totpCode(secret));
  await submitForm(helper, /\/ar\/helpers\/cases$/, "ar", js);

  // 3. Consent first: the text in the applicant's language (Arabic), who, how.
  await helper.getByRole("button", { name: localeText("ar", "caseload.start", "caseload") }).click();
  await expect(helper).toHaveURL(/helpers\/cases\/new/);
  await ready(helper, "ar", js);
  await helper.locator("input[name=applicantLang][value=ar]").check();
  await helper.locator("main form button").click();
  await expect(helper).toHaveURL(/applicantLang=ar/);
  await ready(helper, "ar", js);
  const consentText = helper.getByTestId("consent-text");
  await expect(consentText).toHaveAttribute("lang", "ar");
  await expect(consentText).toContainText(coordinator.organisation);
  await helper.locator("#applicantName").fill("Salma Haddad");
  await helper.locator("input[name=consentMethod][value=in_person]").check();
  await helper.locator("input[name=consentConfirmed]").check();
  await submitForm(helper, /\/ar\/apply$/, "ar", js);

  // 4. The same journey as an applicant's; the code goes to the applicant's own email.
  const applicantEmail = `salma.${run}@example.org`;
  const assisted = new Applicant(helper, "ar", { js });
  await assisted.eligibility();
  // A note reminds the helper whose contact details these must be.
  await expect(helper.locator("main")).toContainText("Salma Haddad");
  await assisted.verifyContact(applicantEmail);
  await assisted.aboutYou({ givenNames: "Salma", familyName: "Haddad", dob });
  await assisted.document(`HX${Date.now().toString().slice(-7)}`);
  await assisted.uploads();
  await assisted.family("alone");
  await assisted.restOfSections();
  const { reference } = await assisted.submit();

  // The caseload lists the case, led by this helper.
  await helper.goto("/ar/helpers/cases");
  await ready(helper, "ar", js);
  const row = helper.locator("main tbody tr").filter({ hasText: reference });
  await expect(row).toContainText("Salma Haddad");
  const casePath = (await row.getByRole("link").first().getAttribute("href")) as string;
  expect(casePath).toMatch(/\/ar\/helpers\/cases\/[0-9a-f-]{36}$/);
  await helper.goto(casePath);
  await ready(helper, "ar", js);
  await expect(helper.locator("main")).toContainText(reference);

  // 5. The applicant, on their own phone, signs in to follow the application and sees who helps.
  const applicantContext = await browser.newContext({ javaScriptEnabled: js });
  const applicant = new Applicant(await applicantContext.newPage(), "ar", { js, axe: true });
  await statusSignIn(applicant, reference, dob);
  await applicant.fill({ code: await latestCode(applicantContext, applicantEmail) });
  await applicant.continue(/status\/application/);
  const main = applicant.page.locator("main");
  await expect(applicant.page.getByTestId("helped-by")).toContainText(coordinator.organisation);
  // The stop button sits in a <details>: open it, then confirm.
  await main.getByText(localeText("ar", "application.revokeSummary", "status")).click();
  await main.getByRole("button", { name: localeText("ar", "application.revokeButton", "status") }).click();
  await expect(applicant.page.locator(".govuk-notification-banner")).toContainText(
    localeText("ar", "application.revoked", "status"),
  );
  await expect(applicant.page.getByTestId("helped-by")).toHaveCount(0);

  // 6. The helper has lost the case at once: gone from the caseload, "not found" when opened.
  await helper.goto("/ar/helpers/cases");
  await expect(helper.locator("main")).not.toContainText(reference);
  const opened = await helper.goto(casePath);
  expect(opened?.status()).toBe(404);
  const status = await helper.goto("/ar/status/application");
  expect(status?.status()).toBe(404);

  await helperContext.close();
  await applicantContext.close();
});
