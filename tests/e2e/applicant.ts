import { deflateSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, expectNoAxeViolations, type Language, waitForHydration } from "./fixtures";

/**
 * The applicant journey as a person goes through it, page by page, for the specs. Works with
 * JavaScript on (client navigation, react-hook-form) and off (plain form posts), and runs axe on
 * every page it passes when asked.
 */
export class Applicant {
  constructor(
    readonly page: Page,
    readonly lang: Language,
    readonly options: { js: boolean; axe?: boolean },
  ) {}

  get js(): boolean {
    return this.options.js;
  }

  async open(path: string): Promise<void> {
    await this.page.goto(`/${this.lang}${path}`);
    if (this.js) await waitForHydration(this.page);
    await this.check();
  }

  /** Runs the page checks: language and direction, and axe when asked. */
  async check(): Promise<void> {
    await expect(this.page.locator("html")).toHaveAttribute("lang", this.lang);
    await expect(this.page.locator("html")).toHaveAttribute("dir", this.lang === "ar" ? "rtl" : "ltr");
    // axe runs in the page, so only where JavaScript is on; the markup is the same without it.
    if (this.options.axe && this.js) await expectNoAxeViolations(this.page);
  }

  /** Presses the page's main button and waits for the next page (or the same page with errors). */
  async continue(expected: RegExp): Promise<void> {
    await this.page.locator("main form").first().locator("button[type=submit]").first().click();
    await expect(this.page).toHaveURL(expected);
    await this.page.waitForLoadState("load");
    await this.check();
  }

  async choose(id: string): Promise<void> {
    await this.page.locator(`#${id}`).check();
  }

  async fill(fields: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(fields)) {
      const element = this.page.locator(`#${id}`);
      if ((await element.evaluate((e) => e.tagName)) === "SELECT") await element.selectOption(value);
      else await element.fill(value);
    }
  }

  async date(name: string, day: string, month: string, year: string): Promise<void> {
    await this.fill({ [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year });
  }

  /** The eligibility questions, answered so the applicant can apply. */
  async eligibility(): Promise<void> {
    await this.open("/apply");
    await this.page.locator(".govuk-button--start").click();
    await expect(this.page).toHaveURL(/eligibility\/in-france/);
    await this.check();
    await this.choose("inFrance");
    await this.continue(/eligibility\/age/);
    await this.choose("over18");
    await this.continue(/eligibility\/identity-document/);
    await this.choose("hasDocument");
    await this.continue(/eligibility\/eea/);
    await this.choose("eeaNational-2");
    await this.continue(/apply\/eligible/);
    await this.page.locator("main .govuk-button").click();
    await expect(this.page).toHaveURL(/apply\/contact/);
    await this.check();
  }

  /** Gives contact details and enters the code from the development mailbox. */
  async verifyContact(email: string, mobile = ""): Promise<void> {
    await this.fill({ email, mobile });
    await this.continue(/apply\/verify/);
    await this.enterCode(email);
    await expect(this.page).toHaveURL(/apply\/tasks/);
    await this.check();
  }

  async enterCode(recipient: string): Promise<void> {
    await this.fill({ code: await latestCode(this.page.context(), recipient) });
    await this.page.locator("main form").first().locator("button[type=submit]").click();
  }

  async task(index: number, expected: RegExp): Promise<void> {
    await this.page.locator(".govuk-task-list__link").nth(index).click();
    await expect(this.page).toHaveURL(expected);
    await this.check();
  }

  async aboutYou(person: {
    givenNames: string;
    familyName: string;
    dob: [string, string, string];
  }): Promise<void> {
    // The task opens at the first question not yet answered.
    await this.task(0, /q\/(names|date-of-birth)/);
    if (this.page.url().endsWith("/names")) {
      await this.fill({ givenNames: person.givenNames, familyName: person.familyName });
      await this.continue(/q\/date-of-birth/);
    }
    await this.date("dateOfBirth", ...person.dob);
    await this.continue(/q\/place-of-birth/);
    await this.fill({ placeOfBirth: "Asmara", countryOfBirth: "ER" });
    await this.continue(/q\/sex/);
    await this.choose("sex");
    await this.continue(/q\/nationality/);
    await this.fill({ nationality: "ER" });
    await this.continue(/q\/relationship-status/);
    await this.choose("relationshipStatus-2");
    await this.continue(/apply\/tasks/);
  }

  async document(number: string): Promise<void> {
    await this.task(1, /q\/document-details/);
    await this.choose("documentType");
    await this.fill({ documentNumber: number, documentCountry: "ER" });
    await this.date("documentExpiry", "1", "6", "2031");
    await this.continue(/apply\/tasks/);
  }

  async uploads(): Promise<void> {
    await this.task(2, /apply\/upload-document/);
    await this.page.setInputFiles("#file", {
      name: "passport.png",
      mimeType: "image/png",
      buffer: png(800, 600),
    });
    await this.continue(/apply\/upload-photo/);
    await this.page.setInputFiles("#file", { name: "me.png", mimeType: "image/png", buffer: png(600, 750) });
    await this.continue(/apply\/tasks/);
  }

  async family(role: "alone" | "main" | "member", familyReference?: string): Promise<void> {
    await this.task(3, /q\/applying-with/);
    await this.choose(role === "alone" ? "familyRole" : role === "main" ? "familyRole-2" : "familyRole-3");
    if (role === "member") {
      await this.continue(/q\/family-reference/);
      await this.fill({ familyReference: familyReference ?? "" });
      await this.choose("relationshipToMain");
    }
    await this.continue(/apply\/children/);
    // No children: the last form on the page says so.
    await this.page.locator("main form").last().locator("button[type=submit]").click();
    await expect(this.page).toHaveURL(/apply\/tasks/);
    await this.check();
  }

  async restOfSections(): Promise<void> {
    await this.task(4, /q\/uk-family/);
    await this.choose("ukFamily-2");
    await this.continue(/q\/lived-in-uk/);
    await this.choose("livedInUk-2");
    await this.continue(/q\/visited-uk/);
    await this.choose("visitedUk-2");
    await this.continue(/apply\/tasks/);

    await this.task(5, /q\/address/);
    await this.choose("hasFixedAddress-2");
    await this.fill({ area: "Calais" });
    await this.continue(/apply\/tasks/);

    await this.task(6, /q\/previous-journeys/);
    for (const [id, next] of [
      ["previousJourneys-2", /q\/removals/],
      ["removals-2", /q\/criminality/],
      ["convictions-2", /q\/protection-elsewhere/],
      ["protectionElsewhere-2", /q\/french-permission/],
      ["frenchPermission-2", /apply\/tasks/],
    ] as const) {
      await this.choose(id);
      await this.continue(next);
    }

    await this.task(7, /q\/consent/);
    await this.choose("consentData");
    await this.choose("consentLocation");
    await this.continue(/apply\/tasks/);
  }

  /** Check your answers, declaration, submit: returns the reference shown on the confirmation. */
  async submit(): Promise<{ reference: string; familyReference: string | null }> {
    await this.page.locator("main .govuk-button").click();
    await expect(this.page).toHaveURL(/apply\/check/);
    await this.check();
    await this.page.locator("main .govuk-button").last().click();
    await expect(this.page).toHaveURL(/apply\/declaration/);
    await this.check();
    await this.choose("declaration");
    await this.continue(/apply\/confirmation/);
    const reference = ((await this.page.getByTestId("reference").textContent()) ?? "").trim();
    const family = this.page.getByTestId("family-reference");
    return {
      reference,
      familyReference: (await family.count()) ? ((await family.textContent()) ?? "").trim() : null,
    };
  }
}

export interface Person {
  givenNames: string;
  familyName: string;
  dob: [string, string, string];
}

/**
 * A submitted application to follow, made through the journey itself (an adult applying alone,
 * Eritrean, from Calais): returns its reference. `documentPrefix` starts the passport number.
 */
export async function submitApplication(
  applicant: Applicant,
  email: string,
  person: Person,
  documentPrefix = "SD",
): Promise<string> {
  await applicant.eligibility();
  await applicant.verifyContact(email);
  await applicant.aboutYou(person);
  await applicant.document(`${documentPrefix}${Date.now().toString().slice(-7)}`);
  await applicant.uploads();
  await applicant.family("alone");
  await applicant.restOfSections();
  return (await applicant.submit()).reference;
}

/** The path of the presence link sent to `email` (e.g. /fr/presence/<token>), from the mailbox. */
export async function presenceLink(page: Page, email: string): Promise<string> {
  let path: string | undefined;
  await expect(async () => {
    await page.goto("/dev/mailbox");
    const text = (await page.getByTestId("mail").filter({ hasText: email }).allTextContents()).join("\n");
    path = text.match(/\/[a-z]{2}\/presence\/[A-Za-z0-9_-]{20,}/)?.[0];
    expect(path, `a presence link sent to ${email}`).toBeTruthy();
  }).toPass({ timeout: 15_000 });
  return path as string;
}

/** A phone at a place, sharing its location (reading it needs JavaScript, whatever the project). */
export async function onPhoneAt(browser: Browser, latitude: number, longitude: number) {
  const context = await browser.newContext({
    javaScriptEnabled: true,
    geolocation: { latitude, longitude, accuracy: 25 },
    permissions: ["geolocation"],
  });
  return { context, page: await context.newPage() };
}

/** Reference and date of birth on the status sign-in page; the next page asks for the code. */
export async function statusSignIn(
  applicant: Applicant,
  reference: string,
  dob: [string, string, string],
): Promise<void> {
  await applicant.open("/status");
  await applicant.fill({ reference });
  await applicant.date("signInDateOfBirth", ...dob);
  await applicant.continue(/status\/verify/);
}

/** The newest 6-digit code sent to a recipient, read from the development mailbox. */
export async function latestCode(context: BrowserContext, recipient: string): Promise<string> {
  const mailbox = await context.newPage();
  try {
    await mailbox.goto("/dev/mailbox");
    const masked = recipient;
    const mail = mailbox.getByTestId("mail").filter({ hasText: masked }).first();
    const text = (await mail.textContent()) ?? "";
    const code = text.match(/\b\d{6}\b/)?.[0];
    if (!code) throw new Error(`no code in the newest message to ${recipient}: ${text}`);
    return code;
  } finally {
    await mailbox.close();
  }
}

/** A real PNG of the given size (one colour), so uploads pass the content and size checks. */
export function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x88)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
