import type { Page } from "@playwright/test";
import { expect, expectNoAxeViolations, type Language, localeText, test, waitForHydration } from "./fixtures";
import { demoPassword, StaffMember, totpCode } from "./staff";

// ASVS 2.1.5 / 2.1.6: staff and NGO helpers change their own password: the current one first, the
// same length rule as everywhere, errors as GOV.UK shows them, every other session ended, and the
// old password refused afterwards. (A password an administrator chose is changed at the first
// sign-in: StaffMember.signIn, in staff.spec.ts.) Each project uses a demo account of its own,
// as each can set up its authenticator once per run.

/** The GOV.UK error summary and each field's inline error, for the fields given. */
async function expectErrors(page: Page, lang: Language, ns: string, errors: Record<string, string>) {
  const summary = page.locator(".govuk-error-summary");
  await expect(summary).toBeVisible();
  await expect(summary.locator(".govuk-error-summary__title")).toHaveText(
    localeText(lang, "errors.summaryTitle"),
  );
  await expect(summary.locator("a")).toHaveCount(Object.keys(errors).length);
  for (const [field, key] of Object.entries(errors)) {
    const text = localeText(lang, key, ns);
    await expect(summary.locator(`a[href="#${field}"]`)).toHaveText(text);
    await expect(page.locator(`#${field}-error`)).toContainText(text);
    await expect(page.locator(`#${field}`)).toHaveAttribute("aria-describedby", new RegExp(`${field}-error`));
  }
  await expect(page).toHaveTitle(new RegExp(`^${localeText(lang, "layout.errorPrefix")}`));
}

/** Fills the three password fields and presses the button (after its double-click guard). */
async function changePassword(page: Page, current: string, next: string, confirm = next) {
  await page.locator("#currentPassword").fill(current);
  await page.locator("#newPassword").fill(next);
  await page.locator("#confirmPassword").fill(confirm);
  await page.waitForTimeout(1_100);
  await page.locator("main form button[type=submit]").click();
}

test("a member of staff changes their password from their profile; other sessions end @nojs", async ({
  page,
  browser,
  javaScriptEnabled: js,
}) => {
  test.setTimeout(180_000);
  // The back office in English with JavaScript, in French without (each account's own language).
  const { email, lang } = js
    ? ({ email: "matching@demo.ukeats.test", lang: "en" } as const)
    : ({ email: "centre@demo.ukeats.test", lang: "fr" } as const);
  const t = (key: string) => localeText(lang, key, "staff");
  const member = new StaffMember(page, email, demoPassword, { js, axe: true, lang });
  await member.signIn();
  // Also signed in on another computer.
  const elsewhere = await browser.newContext({ javaScriptEnabled: js });
  const other = new StaffMember(await elsewhere.newPage(), email, demoPassword, { js, lang });
  other.secret = member.secret;
  await other.signIn();

  await member.goto("/staff/profile");
  await member.press(t("profile.password.link"), /\/staff\/profile\/password$/, "link");
  await expect(page.locator("h1")).toHaveText(t("password.title"));

  // Nothing typed, then a wrong current password, then a new one too short and one not repeated.
  await page.waitForTimeout(1_100);
  await page.locator("main form button[type=submit]").click();
  await expectErrors(page, lang, "staff", {
    currentPassword: "fields.currentPassword.errors.required",
    newPassword: "fields.newPassword.errors.required",
    confirmPassword: "fields.confirmPassword.errors.required",
  });
  if (js) await expectNoAxeViolations(page, { soft: true });
  const mine = "my own back office passphrase";
  await changePassword(page, "not my password at all", mine);
  await expectErrors(page, lang, "staff", { currentPassword: "fields.currentPassword.errors.wrong" });
  // Without JavaScript the page comes back from the server, which never echoes a password.
  if (!js) await expect(page.locator("#currentPassword")).toHaveValue("");
  await changePassword(page, demoPassword, "too short");
  await expectErrors(page, lang, "staff", { newPassword: "fields.newPassword.errors.invalid" });
  await changePassword(page, demoPassword, mine, `${mine}.`);
  await expectErrors(page, lang, "staff", { confirmPassword: "fields.confirmPassword.errors.mismatch" });

  await changePassword(page, demoPassword, mine);
  await expect(page).toHaveURL(/\/staff\/profile\?done=password$/);
  await member.ready();
  await expect(page.locator(".govuk-notification-banner")).toContainText(t("password.changed"));

  // The other computer is signed out; this one carries on.
  await other.page.goto("/staff");
  await expect(other.page).toHaveURL(/\/staff\/sign-in/);
  await elsewhere.close();
  await member.goto("/staff");
  await expect(page.locator("h1")).toHaveText(t("home.title"));

  // The old password no longer signs in; the new one does (on to the authenticator's code).
  await member.signOut();
  for (const [password, next] of [
    [demoPassword, /\/staff\/sign-in$/],
    [mine, /\/staff\/sign-in\/code$/],
  ] as const) {
    await member.goto("/staff/sign-in");
    await page.locator("#email").fill(email);
    await page.locator("#password").fill(password);
    await member.submit(next);
  }
});

test("an NGO helper changes their password, in Arabic", async ({ page }) => {
  test.setTimeout(120_000);
  const email = "helper@demo.ukeats.test";
  const t = (key: string, ns = "helpers") => localeText("ar", key, ns);
  const ready = async () => {
    await page.waitForLoadState("load");
    await expect(page.locator("html")).toHaveAttribute("lang", "ar");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await waitForHydration(page);
    await expectNoAxeViolations(page);
  };
  const submit = async (expected: RegExp) => {
    await page.locator("main form").last().locator("button[type=submit]").click();
    await expect(page).toHaveURL(expected);
    await ready();
  };
  const signInWith = async (password: string, expected: RegExp) => {
    await page.goto("/ar/helpers");
    await ready();
    await page.locator("#email").fill(email);
    await page.locator("#password").fill(password);
    await submit(expected);
  };

  await signInWith(demoPassword, /\/ar\/helpers\/set-up$/);
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  await page.locator("#totpCode").fill(totpCode(secret));
  await submit(/\/ar\/helpers\/cases$/);

  // From the bar above every helper page. (Opened afresh: a link still focused after a click has
  // GOV.UK's focus style, no underline, which axe takes for a link told apart by colour alone.)
  const link = page.getByTestId("helper-bar").getByRole("link", { name: t("bar.password", "caseload") });
  await expect(link).toHaveAttribute("href", "/ar/helpers/password");
  await page.goto("/ar/helpers/password");
  await ready();
  await expect(page.locator("h1")).toHaveText(t("password.title"));

  const mine = "كلمة مرور طويلة خاصة بي";
  await changePassword(page, demoPassword, mine, `${mine}!`);
  await expectErrors(page, "ar", "helpers", { confirmPassword: "fields.confirmPassword.errors.mismatch" });
  await changePassword(page, demoPassword, demoPassword);
  await expectErrors(page, "ar", "helpers", { newPassword: "fields.newPassword.errors.same" });
  await changePassword(page, "ليست كلمة المرور", mine);
  await expectErrors(page, "ar", "helpers", { currentPassword: "fields.currentPassword.errors.wrong" });

  await changePassword(page, demoPassword, mine);
  await expect(page).toHaveURL(/\/ar\/helpers\/cases\?done=password$/);
  await ready();
  await expect(page.locator(".govuk-notification-banner")).toContainText(
    t("caseload.passwordChanged", "caseload"),
  );

  // Signed out, the old password is refused and the new one accepted.
  await page
    .getByTestId("helper-bar")
    .getByRole("button", { name: t("bar.signOut", "caseload") })
    .click();
  await expect(page).toHaveURL(/\/ar\/helpers$/);
  await signInWith(demoPassword, /\/ar\/helpers$/);
  await expect(page.locator(".govuk-error-summary")).toContainText(t("signIn.wrong"));
  await signInWith(mine, /\/ar\/helpers\/code$/);
});
