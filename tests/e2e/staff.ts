import type { Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { expect, expectNoAxeViolations, waitForHydration } from "./fixtures";

export const demoPassword = "Demo-Password-2026";

/** The 6-digit code an authenticator app would show for `secret` at time `at`. */
export const totpCode = (secret: string, at = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });

/**
 * A member of staff using the back office, with JavaScript on or off. Remembers the authenticator
 * secret it set up, as the person's phone would.
 */
export class StaffMember {
  secret?: string;

  constructor(
    readonly page: Page,
    readonly email: string,
    readonly password: string,
    readonly options: { js: boolean; axe?: boolean },
  ) {}

  async goto(path: string): Promise<void> {
    await this.page.goto(path);
    await this.ready();
  }

  async ready(): Promise<void> {
    await this.page.waitForLoadState("load");
    if (this.options.js) await waitForHydration(this.page);
    if (this.options.axe && this.options.js) await expectNoAxeViolations(this.page);
  }

  /** Presses the main form's button and waits for the expected page. */
  async submit(expected: RegExp, form = this.page.locator("main form").first()): Promise<void> {
    await form.locator("button[type=submit]").first().click();
    await expect(this.page).toHaveURL(expected);
    await this.ready();
  }

  /** Password, then the authenticator: set up on first sign-in (reading the key as a person would). */
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
    await this.submit(expected);
  }

  async signOut(): Promise<void> {
    await this.page.locator("header form button").click();
    await expect(this.page).toHaveURL(/\/staff\/sign-in/);
  }
}
