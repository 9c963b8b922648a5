import type { Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { expect, expectNoAxeViolations, type Language, localeText, waitForHydration } from "./fixtures";

export const demoPassword = "Demo-Password-2026";

/** Where a member of staff changes their password. */
export const PASSWORD_PAGE = /\/staff\/profile\/password$/;

/** The 6-digit code an authenticator app would show for `secret` at time `at`. */
export const totpCode = (secret: string, at = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });

/** The back office is in English or French (each account's choice). */
export type StaffLanguage = Extract<Language, "en" | "fr">;

export type StaffRole = "caseworker" | "centre_officer" | "matching_officer" | "admin" | "auditor";

export interface NewAccount {
  name: string;
  email: string;
  role: StaffRole;
  lang: StaffLanguage;
  password: string;
}

/**
 * A member of staff using the back office, with JavaScript on or off, in their language (English
 * unless said). Remembers the authenticator secret it set up, as the person's phone would. With
 * `axe`, each kind of page it reaches is checked once (softly: the test goes on, fails at its end).
 */
export class StaffMember {
  secret?: string;
  private readonly checked = new Set<string>();

  constructor(
    readonly page: Page,
    readonly email: string,
    /** Changes when they choose their own, the first time, if an administrator chose it. */
    public password: string,
    readonly options: { js: boolean; axe?: boolean; lang?: StaffLanguage },
  ) {}

  get lang(): StaffLanguage {
    return this.options.lang ?? "en";
  }

  /** A text of the back office in this person's language. */
  t(key: string, ns = "staff"): string {
    return localeText(this.lang, key, ns);
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(path);
    await this.ready();
  }

  async ready(): Promise<void> {
    await this.page.waitForLoadState("load");
    if (this.options.js) await waitForHydration(this.page);
    if (!this.options.axe || !this.options.js) return;
    // Once per kind of page: its path and the names of its query parameters (a list, a search).
    const url = new URL(this.page.url());
    const kind = `${url.pathname}?${[...new Set(url.searchParams.keys())].sort().join("&")}`;
    if (this.checked.has(kind)) return;
    this.checked.add(kind);
    await expectNoAxeViolations(this.page, { soft: true });
  }

  /** Presses a button (or follows a link) in the page's main content, by its text. */
  async press(name: string, expected: RegExp, role: "button" | "link" = "button"): Promise<void> {
    await this.page.locator("main").getByRole(role, { name, exact: true }).click();
    await expect(this.page).toHaveURL(expected);
    await this.ready();
  }

  /** Follows a section of the back-office menu (e.g. "cases"). */
  async section(id: "cases" | "windows" | "accounts" | "audit"): Promise<void> {
    await this.page
      .getByRole("navigation", { name: this.t("layout.menu") })
      .getByRole("link", { name: this.t(`layout.sections.${id}`), exact: true })
      .click();
    await expect(this.page).toHaveURL(new RegExp(`/staff/${id}$`));
    await this.ready();
  }

  /** An administrator creates an account; the list then shows it waiting for its first sign-in. */
  async createAccount(account: NewAccount): Promise<void> {
    await this.goto("/staff/accounts");
    // A link styled as a button (GOV.UK markup, role="button").
    await this.press(this.t("accounts.create"), /\/staff\/accounts\/new$/);
    await this.page.locator("#name").fill(account.name);
    await this.page.locator("#email").fill(account.email);
    await this.page.locator(`input[name=role][value=${account.role}]`).check();
    await this.page.locator(`input[name=lang][value=${account.lang}]`).check();
    await this.page.locator("#initialPassword").fill(account.password);
    await this.press(this.t("pages.account.submit"), /\/staff\/accounts$/);
    const row = this.page.locator("main tbody tr").filter({ hasText: account.email });
    await expect(row).toContainText(account.name);
    await expect(row).toContainText(this.t(`roles.${account.role}`));
    await expect(row).toContainText(this.t("accounts.states.awaitingMfa"));
  }

  /** Presses the main form's button and waits for the expected page. */
  async submit(expected: RegExp, form = this.page.locator("main form").first()): Promise<void> {
    await form.locator("button[type=submit]").first().click();
    await expect(this.page).toHaveURL(expected);
    await this.ready();
  }

  /**
   * Password, then the authenticator: set up on first sign-in (reading the key as a person would).
   * An account an administrator just created must first choose its own password: every other page
   * sends the person back to that one, which says why (ASVS 2.3.1).
   */
  async signIn(expected = /\/staff$/): Promise<void> {
    await this.goto("/staff/sign-in");
    await this.page.locator("#email").fill(this.email);
    await this.page.locator("#password").fill(this.password);
    await this.submit(/\/staff\/sign-in\/(set-up|code)/);
    if (this.page.url().includes("set-up")) {
      await expect(this.page.locator("main img")).toBeVisible();
      this.secret = ((await this.page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
      await this.page.locator("#totpCode").fill(totpCode(this.secret));
    } else {
      if (!this.secret) throw new Error(`${this.email} has no authenticator set up in this test`);
      // A code is accepted once: use the next time step's, as a phone shows it half a minute later.
      await this.page.locator("#totpCode").fill(totpCode(this.secret, Date.now() + 30_000));
    }
    await this.submit(new RegExp(`${expected.source}|${PASSWORD_PAGE.source}`));
    if (!PASSWORD_PAGE.test(this.page.url())) return;
    await expect(this.page.locator("main .govuk-inset-text")).toHaveText(this.t("password.forced"));
    await expect(this.page.getByRole("navigation", { name: this.t("layout.menu") })).toHaveCount(0);
    await this.goto("/staff/cases");
    await expect(this.page).toHaveURL(PASSWORD_PAGE);
    const own = `${this.password} of my own`;
    await this.page.locator("#currentPassword").fill(this.password);
    await this.page.locator("#newPassword").fill(own);
    await this.page.locator("#confirmPassword").fill(own);
    await this.submit(/\/staff\/profile\?done=password$/);
    await expect(this.page.locator(".govuk-notification-banner")).toContainText(this.t("password.changed"));
    this.password = own;
    await this.goto("/staff");
    await expect(this.page).toHaveURL(expected);
  }

  async signOut(): Promise<void> {
    await this.page.locator("header form button").click();
    await expect(this.page).toHaveURL(/\/staff\/sign-in/);
  }
}
