import { readFile } from "node:fs/promises";
import type { Browser, Page } from "@playwright/test";
import { bookingDeadline } from "../../app/domain/cases/cases.rules";
import { formatDate } from "../../app/i18n/format";
import {
  Applicant,
  latestCode,
  onPhoneAt,
  type Person,
  presenceLink,
  statusSignIn,
  submitApplication,
} from "./applicant";
import { expect, expectNoAxeViolations, type Language, localeText, test } from "./fixtures";
import { demoPassword, type NewAccount, type StaffLanguage, StaffMember } from "./staff";

/**
 * The back office end to end (issue 5, "Done when"): an admin creates a caseworker and an auditor;
 * the caseworker signs in with a password and an authenticator, finds a case in the queue, claims
 * it, opens its documents and selects it for stage two; the applicant sees the invitation on their
 * status page; the auditor finds each of those actions in the audit log and its CSV export.
 *
 * The `js` project works in English (applicant in Arabic), `nojs` in French (applicant in French).
 * Each demo administrator can set up its authenticator once per run, and both projects share the
 * run's database: `js` uses admin@, `nojs` admin.fr@. The applicant always has JavaScript (reading
 * the location needs it), in browser contexts of their own.
 */

const CALAIS = { latitude: 50.9513, longitude: 1.8587 };

interface Setting {
  /** The back office's language for every member of staff in this project. */
  lang: StaffLanguage;
  applicantLang: Language;
  adminEmail: string;
}

const settingFor = (js: boolean): Setting =>
  js
    ? { lang: "en", applicantLang: "ar", adminEmail: "admin@demo.ukeats.test" }
    : { lang: "fr", applicantLang: "fr", adminEmail: "admin.fr@demo.ukeats.test" };

/** What the first test leaves for the second (same worker: the block is serial). */
const shared: {
  auditor?: NewAccount & { secret: string };
  matchingOfficer?: NewAccount;
  caseId?: string;
  documentPath?: string;
} = {};

/** The audit log's text filters (the dates are left empty). */
const auditTextFilters = ["caseReference", "staffEmail", "action", "subjectType", "subjectId"];

/** The exact text of an action in the audit log's results (a `<code>` in the Action column). */
const actionRows = (page: Page, action: string) =>
  page.locator("main table tbody tr").filter({
    has: page.locator("code").filter({ hasText: new RegExp(`^${action.replaceAll(".", "\\.")}$`) }),
  });

/** The back office's language before sign-in, chosen from the header's link as a person would. */
async function chooseLanguage(page: Page, lang: StaffLanguage): Promise<void> {
  await page.goto("/staff/sign-in");
  if ((await page.locator("html").getAttribute("lang")) !== lang) {
    await page.locator(`header a[hreflang=${lang}]`).click();
    await expect(page).toHaveURL(/\/staff\/sign-in$/);
  }
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

/** The applicant applies through the journey and confirms their presence from Calais. */
async function applyFromCalais(browser: Browser, lang: Language, email: string, person: Person) {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const applicant = new Applicant(await context.newPage(), lang, { js: true });
  const reference = await submitApplication(applicant, email, person, "ST");
  const link = await presenceLink(applicant.page, email);
  await context.close();

  const phone = await onPhoneAt(browser, CALAIS.latitude, CALAIS.longitude);
  await phone.page.goto(link);
  await phone.page
    .getByRole("button", { name: localeText(lang, "presence.share", "journey"), exact: true })
    .click();
  await expect(phone.page.locator(".govuk-panel__title")).toHaveText(
    localeText(lang, "presence.results.in_france.title", "journey"),
  );
  await phone.context.close();
  return reference;
}

test.describe
  .serial("back office", () => {
    test("back office: admin → caseworker with TOTP → queue → claim → documents → select → applicant sees the invitation, books and reschedules → officer records enrolment → auditor finds it all @nojs", async ({
      page,
      browser,
      javaScriptEnabled: js,
    }, testInfo) => {
      test.setTimeout(300_000);
      const { lang, applicantLang, adminEmail } = settingFor(js);
      const stamp = `${testInfo.project.name}.${Date.now()}`;
      const t = (key: string, ns = "staff") => localeText(lang, key, ns);

      // ── The applicant applies and confirms they are in France (the caseworker can then select). ──
      const applicantEmail = `backoffice.${stamp}@example.org`;
      const person: Person = {
        givenNames: js ? "Selam" : "Yonas",
        familyName: js ? "Tesfaye" : "Tesfaye-Haile",
        dob: ["21", "2", "1994"],
      };
      const reference = await applyFromCalais(browser, applicantLang, applicantEmail, person);
      expect(reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$/);

      // ── The administrator creates a caseworker and an auditor. ──
      const password = "three random words 2026";
      const caseworkerAccount: NewAccount = {
        name: js ? "Casey Worker" : "Camille Instructrice",
        email: `caseworker.${stamp}@example.org`,
        role: "caseworker",
        lang,
        password,
      };
      const auditorAccount: NewAccount = {
        name: js ? "Audrey Auditor" : "Aurélie Auditrice",
        email: `auditor.${stamp}@example.org`,
        role: "auditor",
        lang,
        password,
      };
      await chooseLanguage(page, lang);
      const admin = new StaffMember(page, adminEmail, demoPassword, { js, axe: true, lang });
      await admin.signIn();
      await expect(page.locator("h1")).toHaveText(t("home.title"));
      const officerAccount: NewAccount = {
        name: js ? "Olivia Officer" : "Odile Agente",
        email: `officer.${stamp}@example.org`,
        role: "centre_officer",
        lang,
        password,
      };
      await admin.createAccount(caseworkerAccount);
      await admin.createAccount(auditorAccount);
      await admin.createAccount(officerAccount);
      const matchingAccount: NewAccount = {
        name: js ? "Matt Matcher" : "Mathilde Apparieuse",
        email: `matching.${stamp}@example.org`,
        role: "matching_officer",
        lang,
        password,
      };
      await admin.createAccount(matchingAccount);
      shared.matchingOfficer = matchingAccount;
      await admin.signOut();

      // ── The caseworker signs in (password, then setting up the authenticator). ──
      const caseworker = new StaffMember(page, caseworkerAccount.email, password, { js, axe: true, lang });
      await caseworker.signIn();
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page.locator("h1")).toHaveText(t("home.title"));
      await expect(page.locator("main")).toContainText(
        t("home.welcome").replace("{{name}}", caseworkerAccount.name),
      );

      // The queue, filtered: location confirmed, Eritrean, newest first.
      await caseworker.section("cases");
      await expect(page.locator("h1")).toHaveText(t("title", "queue"));
      await page.locator("#status").selectOption("location_verified");
      await page.locator("#nationality").selectOption("ER");
      await page.locator("#sort").selectOption("newest");
      await caseworker.press(t("filters.apply", "queue"), /\/staff\/cases\?.*status=location_verified/);
      await expect(page).toHaveURL(/nationality=ER/);
      const rows = page.locator("main table tbody tr");
      const locationConfirmed = t("statuses.location_verified", "case");
      await expect(rows.filter({ hasText: reference })).toHaveCount(1);
      // Soft: a wrong text here must not hide what the rest of the journey finds.
      await expect.soft(rows.filter({ hasNotText: locationConfirmed })).toHaveCount(0);
      await expect(rows.filter({ hasText: reference })).toContainText(t("table.notClaimed", "queue"));

      // Then the search box, with the reference as the applicant would read it out (lower case).
      // The URL keeps the other filters, and only an id for the search (ASVS 8.3.1).
      await page.locator("#q").fill(reference.toLowerCase());
      await caseworker.press(
        t("filters.apply", "queue"),
        /\/staff\/cases\?.*status=location_verified.*&search=/,
      );
      expect(page.url().toLowerCase()).not.toContain(reference.toLowerCase());
      await expect(page.locator("#q")).toHaveValue(reference.toLowerCase());
      await expect(rows).toHaveCount(1);
      await expect(rows).toContainText(reference);
      await rows.getByRole("link").click();
      await expect(page).toHaveURL(/\/staff\/cases\/[0-9a-f-]{36}$/);
      await caseworker.ready();
      const caseUrl = new URL(page.url()).pathname;
      shared.caseId = caseUrl.split("/").pop();
      await expect(page.locator("h1")).toHaveText(`${person.givenNames} ${person.familyName}`);
      await expect(page.locator("main .govuk-caption-l")).toContainText(reference);
      const summaryRow = (key: string) =>
        page.locator(".govuk-summary-list__row").filter({
          has: page.locator(".govuk-summary-list__key", { hasText: new RegExp(`^${key}$`) }),
        });
      await expect(summaryRow(t("view.presence", "case")).first()).toContainText(
        t("view.presenceYes", "case"),
      );
      await expect(summaryRow(t("view.status", "case")).first()).toContainText(locationConfirmed);

      // Claim it.
      await caseworker.press(t("claim.claim", "case"), /\?done=claimed$/);
      await expect(page.locator(".govuk-notification-banner")).toContainText(t("done.claimed", "case"));
      await expect(page.locator("#claim")).toContainText(t("claim.mine", "case").split("{{")[0] as string);

      // Its documents: the passport page and the photo, both images, opened as the caseworker.
      const documents = page.locator("main a[href*='/files/']");
      await expect(documents).toHaveCount(2);
      for (const href of await documents.evaluateAll((links) => links.map((a) => a.getAttribute("href")))) {
        const response = await page.request.get(href as string);
        expect(response.status(), `GET ${href}`).toBe(200);
        expect(response.headers()["content-type"]).toMatch(/^image\//);
        expect(response.headers()["cache-control"]).toMatch(/\bno-store\b/);
        expect((await response.body()).subarray(1, 4).toString("latin1")).toBe("PNG");
        shared.documentPath = href as string;
      }

      // Select it for stage two: a reason, the default 14-day booking period, the confirmation.
      await caseworker.press(t("claim.decide", "case"), /\/decide$/);
      await expect(page.locator("h1")).toHaveText(t("pages.decide.title", "case"));
      await page.locator("input[name=decision][value=selected]").check();
      await page.locator("input[name=selectedReason][value=submission_order]").check();
      await expect(page.locator("#bookingDays")).toHaveValue("14");
      await page.locator("#confirmDecision").check();
      const decidedAt = new Date();
      await caseworker.press(t("decide.submit", "case"), /\/staff\/cases\/[0-9a-f-]{36}\?done=decided$/);
      await expect(page.locator(".govuk-notification-banner")).toContainText(t("done.decided", "case"));
      const selected = t("statuses.selected", "case");
      await expect(page.locator("main .govuk-tag").first()).toHaveText(selected);
      await expect(summaryRow(t("view.status", "case")).first()).toContainText(selected);
      await expect(summaryRow(t("view.bookingDeadline", "case"))).toContainText(
        formatDate(bookingDeadline(decidedAt, 14), lang),
      );
      const history = page.locator("#history ~ table").first();
      await expect(history.locator("tbody tr").first()).toContainText(selected);
      await expect(history.locator("tbody tr").first()).toContainText(
        t("fields.selectedReason.options.submission_order", "case"),
      );
      await expect(history).toContainText(t("statuses.under_review", "case"));
      await caseworker.signOut();

      // ── The applicant is told, and their status page shows the invitation with its deadline. ──
      const phone = await browser.newContext({ javaScriptEnabled: true });
      const applicant = new Applicant(await phone.newPage(), applicantLang, { js: true });
      const invitation = localeText(applicantLang, "status.selected.subject", "notifications");
      await expect(async () => {
        await applicant.page.goto("/dev/mailbox");
        await expect(
          applicant.page
            .getByTestId("mail")
            .filter({ hasText: applicantEmail })
            .filter({ hasText: invitation }),
        ).toContainText(reference, { timeout: 1_000 });
      }).toPass({ timeout: 20_000 });
      await statusSignIn(applicant, reference, person.dob);
      let code = "";
      await expect(async () => {
        code = await latestCode(phone, applicantEmail);
      }).toPass({ timeout: 10_000 });
      await applicant.fill({ code });
      await applicant.continue(/status\/application/);
      const bookBy = localeText(applicantLang, "application.bookBy", "status").replace(
        "{{date}}",
        formatDate(bookingDeadline(decidedAt, 14), applicantLang),
      );
      const timeline = applicant.page.getByTestId("timeline");
      await expect(timeline.locator("li").first()).toContainText(
        localeText(applicantLang, "states.selected.title", "status"),
      );
      await expect(timeline.locator("li").first()).toContainText(bookBy);
      await expect(applicant.page.getByTestId("book-by")).toHaveText(bookBy);

      // ── Issue 6: the applicant books a biometric appointment, downloads it, and moves it once. ──
      const booking = new Applicant(applicant.page, applicantLang, { js: true, axe: true });
      const chooseTime = async (index: number) => {
        await booking.page.locator('input[name="centre"]').first().check();
        await booking.continue(/\/appointments\/centre\/[A-Z]+/);
        await booking.page.locator('input[name="slot"]').nth(index).check();
        await booking.continue(/\/appointments\/confirm/);
        await booking.page.locator("#confirm-booking").click();
        await expect(booking.page).toHaveURL(/\/appointments\/booked/);
        await booking.check();
        return (await booking.page.getByTestId("booked-when").textContent())?.trim();
      };
      await booking.page.getByTestId("book-appointment").click();
      await expect(booking.page).toHaveURL(/\/appointments$/);
      await booking.check();
      const first = await chooseTime(0);
      const ics = await booking.page.request.get(
        (await booking.page.getByTestId("calendar-link").getAttribute("href")) ?? "",
      );
      expect(ics.status()).toBe(200);
      expect(ics.headers()["content-type"]).toContain("text/calendar");
      expect(await ics.text()).toMatch(/BEGIN:VEVENT[\s\S]*DTSTART:\d{8}T\d{6}Z[\s\S]*END:VEVENT/);
      await booking.open("/appointments");
      await booking.page.getByTestId("reschedule-link").click();
      await expect(booking.page).toHaveURL(/\/appointments\?change/);
      const second = await chooseTime(1);
      expect(second).not.toBe(first);
      const centreName = (await booking.page.getByTestId("appointment-centre").first().textContent()) ?? "";
      const calendar = await (
        await booking.page.request.get(
          (await booking.page.getByTestId("calendar-link").getAttribute("href")) ?? "",
        )
      ).text();
      const [, y, mo, d, h, mi] = /DTSTART:(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})\d{2}Z/.exec(calendar) ?? [];
      const startsAt = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));

      // ── On the day, at the centre: the officer checks the applicant in and records enrolment. ──
      // The officer's browser plays that moment (x-test-now, honoured only with the dev transport).
      const centre = await browser.newContext({
        javaScriptEnabled: js,
        extraHTTPHeaders: { "x-test-now": new Date(startsAt + 5 * 60_000).toISOString() },
      });
      const officerPage = await centre.newPage();
      const officer = new StaffMember(officerPage, officerAccount.email, password, { js, axe: true, lang });
      await officer.signIn();
      await officer.goto(`/staff/centres/${centreName.includes("Lille") ? "LIL" : "PAR"}/day`);
      await expect(officerPage.getByTestId(`appointment-${reference}`)).toBeVisible();
      await officerPage.getByTestId(`check-in-${reference}`).click();
      await expect(officerPage).toHaveURL(/done=checked_in/);
      await officer.ready();
      await officerPage.getByTestId(`enrol-${reference}`).click();
      await expect(officerPage).toHaveURL(/record=/);
      await officer.ready();
      await officerPage.locator("input[name=documentMatches][value=yes]").check();
      await officer.submit(/done=enrolled/);
      await centre.close();
      await booking.open("/status/application");
      await expect(timeline.locator("li").first()).toContainText(
        localeText(applicantLang, "states.biometrics_enrolled.title", "status"),
      );
      await expect(timeline).toContainText(
        localeText(applicantLang, "states.appointment_booked.title", "status"),
      );
      await phone.close();

      // ── The auditor finds each action in the audit log. ──
      const auditor = new StaffMember(page, auditorAccount.email, password, { js, axe: true, lang });
      await auditor.signIn();
      await auditor.section("audit");
      await expect(page.locator("h1")).toHaveText(t("audit.title", "backoffice"));
      const search = async (filters: Record<string, string>) => {
        await page
          .locator("main")
          .getByRole("link", { name: t("audit.filters.clear", "backoffice") })
          .click();
        await expect(page).toHaveURL(/\/staff\/audit$/);
        await auditor.ready();
        // "Clear filters" empties the form (soft: if it does not, every filter is set below anyway).
        for (const id of auditTextFilters)
          await expect.soft(page.locator(`#${id}`), `#${id} after "clear filters"`).toHaveValue("");
        for (const id of auditTextFilters) await page.locator(`#${id}`).fill(filters[id] ?? "");
        await auditor.press(t("audit.filters.submit", "backoffice"), /\/staff\/audit\?/);
        await expect(page.locator(".govuk-error-summary")).toHaveCount(0);
      };

      // By the case reference: everything the caseworker did to the case.
      await search({ caseReference: reference });
      for (const action of [
        "case.claimed",
        "case.viewed",
        "upload.viewed",
        "status.under_review",
        "status.selected",
        "case.decided",
      ]) {
        const found = actionRows(page, action);
        await expect(found.first(), `${action} in the log of ${reference}`).toBeVisible();
        await expect(found.first()).toContainText(caseworkerAccount.email);
        await expect(found.first()).toContainText(reference);
      }
      await expect(actionRows(page, "upload.viewed")).toHaveCount(2);
      // The presence check was the system's, not a person's.
      await expect(actionRows(page, "status.location_verified")).toHaveCount(1);

      // The export of the same search.
      const exportLink = page
        .locator("main")
        .getByRole("link", { name: t("audit.export.link", "backoffice") });
      let csv: string;
      if (js) {
        const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
        expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
        csv = await readFile(await download.path(), "utf8");
      } else {
        const response = await page.request.get((await exportLink.getAttribute("href")) as string);
        expect(response.status()).toBe(200);
        expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
        expect(response.headers()["content-disposition"]).toMatch(/attachment; filename="audit-[\d-]+\.csv"/);
        csv = await response.text();
      }
      const [heading, ...lines] = csv
        .replace(/^\uFEFF/, "")
        .trim()
        .split(/\r?\n/);
      expect(heading).toContain(t("audit.csv.action", "backoffice"));
      expect(heading).toContain(t("audit.csv.subjectLabel", "backoffice"));
      for (const action of [
        "case.claimed",
        "case.viewed",
        "upload.viewed",
        "status.selected",
        "case.decided",
      ]) {
        expect(
          lines.filter((line) => line.includes(`,${action},`) && line.includes(reference)),
          `${action} of ${reference} in the CSV`,
        ).not.toHaveLength(0);
      }
      expect(lines.filter((line) => line.includes(caseworkerAccount.email)).length).toBeGreaterThanOrEqual(6);

      // By the caseworker's email: their first sign-in, with the authenticator set up.
      await search({ staffEmail: caseworkerAccount.email });
      await expect(actionRows(page, "staff.totp_set_up")).toHaveCount(1);
      await expect(actionRows(page, "staff.signed_in")).toHaveCount(1);
      await expect(actionRows(page, "case.claimed")).toHaveCount(1);

      // By action and administrator: the two accounts created.
      await search({ action: "staff.created", staffEmail: adminEmail });
      const created = actionRows(page, "staff.created");
      await expect(created.filter({ hasText: caseworkerAccount.email })).toHaveCount(1);
      await expect(created.filter({ hasText: auditorAccount.email })).toHaveCount(1);
      await expect(page.locator("main table tbody tr").filter({ hasNotText: "staff.created" })).toHaveCount(
        0,
      );

      shared.auditor = { ...auditorAccount, password: auditor.password, secret: auditor.secret as string };
      await auditor.signOut();
    });

    test.describe("refusals", () => {
      // Refused pages answer 403, which the browser logs as a failed resource.
      test.use({ allowedConsoleErrors: [/the server responded with a status of (403|422|429)/] });

      test("the sign-in page explains its errors in the chosen language, and other roles' pages answer 403 in the back office's frame @nojs", async ({
        page,
        javaScriptEnabled: js,
      }) => {
        test.setTimeout(120_000);
        const { lang } = settingFor(js);
        const account = shared.auditor;
        const caseId = shared.caseId;
        if (!account || !caseId) throw new Error("the first test of the block did not leave an auditor");

        /** The GOV.UK error summary and each field's inline error, in `inLang`. */
        const expectErrors = async (inLang: StaffLanguage, errors: Record<string, string>) => {
          const summary = page.locator(".govuk-error-summary");
          await expect(summary).toBeVisible();
          // Focusing the summary takes a script (GOV.UK Frontend does the same).
          if (js) await expect.soft(summary, "the error summary has the focus").toBeFocused();
          await expect(summary.locator(".govuk-error-summary__title")).toHaveText(
            localeText(inLang, "errors.summaryTitle"),
          );
          await expect(summary.locator("a")).toHaveCount(Object.keys(errors).length);
          for (const [field, key] of Object.entries(errors)) {
            const text = localeText(inLang, key, "staff");
            await expect(summary.locator(`a[href="#${field}"]`)).toHaveText(text);
            await expect(page.locator(`#${field}-error`)).toContainText(text);
            await expect(page.locator(`#${field}`)).toHaveAttribute(
              "aria-describedby",
              new RegExp(`${field}-error`),
            );
          }
          await expect(page).toHaveTitle(new RegExp(`^${localeText(inLang, "layout.errorPrefix")}`));
        };
        const submit = async (inLang: StaffLanguage) => {
          // The button ignores a second press within a second (double-click guard): wait it out.
          await page.waitForTimeout(1_100);
          await page
            .locator("main")
            .getByRole("button", { name: localeText(inLang, "signIn.submit", "staff"), exact: true })
            .click();
        };
        const required = {
          email: "fields.email.errors.required",
          password: "fields.password.errors.required",
        };

        // An empty form in English (the default), then in French, chosen from the header's link.
        await page.goto("/staff/sign-in");
        await expect(page.locator("html")).toHaveAttribute("lang", "en");
        await submit("en");
        await expectErrors("en", required);
        if (js) await expectNoAxeViolations(page, { soft: true });
        await chooseLanguage(page, "fr");
        await submit("fr");
        await expectErrors("fr", required);
        await chooseLanguage(page, lang);

        // A wrong password and an unknown address get the same answer; the address stays filled in.
        for (const email of [account.email, `nobody.${Date.now()}@example.org`]) {
          await page.locator("#email").fill(email);
          await page.locator("#password").fill("not the password at all");
          await submit(lang);
          await expectErrors(lang, { password: "signIn.wrong" });
          await expect(page).toHaveURL(/\/staff\/sign-in$/);
          await expect(page.locator("#email")).toHaveValue(email);
          // Without JavaScript the page comes back from the server, which never echoes a password.
          if (!js) await expect(page.locator("#password")).toHaveValue("");
        }

        // The auditor (from the first test, with their authenticator) may not see cases or accounts.
        const auditor = new StaffMember(page, account.email, account.password, { js, axe: true, lang });
        auditor.secret = account.secret;
        await auditor.signIn();
        const frame = page.locator("header");
        for (const path of [
          "/staff/cases",
          `/staff/cases/${caseId}`,
          `/staff/cases/${caseId}/decide`,
          "/staff/accounts",
          "/staff/accounts/new",
          "/staff/windows",
        ]) {
          const response = await page.goto(path);
          expect(response?.status(), `GET ${path} as an auditor`).toBe(403);
          await auditor.ready();
          await expect(page.locator("html")).toHaveAttribute("lang", lang);
          await expect(page.locator("h1")).toHaveText(localeText(lang, "errors.forbidden.title"));
          await expect(frame).toContainText(localeText(lang, "layout.serviceName", "staff"));
          await expect(frame).toContainText(
            `${account.name} (${localeText(lang, "roles.auditor", "staff")})`,
          );
          // The menu offers only the auditor's own sections: the parity figures and the audit log.
          await expect(frame.getByRole("navigation").getByRole("link")).toHaveText([
            localeText(lang, "layout.sections.parity", "staff"),
            localeText(lang, "layout.sections.audit", "staff"),
          ]);
        }
        // The documents too (a file, not a page: no frame).
        if (shared.documentPath) {
          expect((await page.request.get(shared.documentPath)).status()).toBe(403);
        }
        await auditor.goto("/staff/audit");
        await expect(page.locator("h1")).toHaveText(localeText(lang, "audit.title", "backoffice"));
        await auditor.signOut();
      });
    });

    test("returns and matching: import a returns CSV with one bad line, match the next 3 (a family of two and one person), see the parity balance move, unmatch one with a reason @nojs", async ({
      page,
      javaScriptEnabled: js,
    }, testInfo) => {
      test.setTimeout(120_000);
      const { lang } = settingFor(js);
      const account = shared.matchingOfficer;
      if (!account) throw new Error("the first test creates the matching officer");
      const text = (key: string, ns: string, values: Record<string, string | number> = {}) =>
        Object.entries(values).reduce(
          (out, [name, value]) => out.replace(`{{${name}}}`, String(value)),
          localeText(lang, key, ns),
        );
      // Figures as the dashboard writes them ("1 234", "+3", "-2"), read back as numbers.
      const figure = async (id: string) =>
        Number(((await page.getByTestId(id).textContent()) ?? "").replace(/[^\d+-]/g, ""));
      const dashboard = async () => {
        await officer.goto("/staff/parity");
        return {
          returns: await figure("parity-returns"),
          admissions: await figure("parity-admissions"),
          balance: await figure("parity-balance"),
        };
      };

      await chooseLanguage(page, lang);
      const officer = new StaffMember(page, account.email, account.password, { js, axe: true, lang });
      await officer.signIn();

      // ── Import: two completed returns and a line with an impossible date of birth. ──
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const ref = `E2E-${testInfo.project.name}-${Date.now()}`;
      const csv = [
        "person_ref,full_name,date_of_birth,nationality,document_number,age_category,small_boat_arrival_date,stage,readmission_requested_date,france_responded_date,removal_directions_date,transferred_date,note",
        `${ref}-1,Test Returned One,1990-01-02,AF,E2E1,adult,${day(-30)},transferred,${day(-27)},${day(-20)},${day(-10)},${day(-5)},`,
        `${ref}-2,Test Returned Two,1991-03-04,ER,,adult,${day(-30)},transferred,${day(-27)},${day(-20)},${day(-10)},${day(-5)},`,
        `${ref}-3,Test Returned Three,1992-13-40,SD,,adult,${day(-3)},arrived,,,,,`,
      ].join("\n");
      await officer.goto("/staff/returns/import");
      await page
        .getByLabel(text("import.file.label", "returns"))
        .setInputFiles({ name: "returns.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await officer.press(text("import.submit", "returns"), /\/staff\/returns\/import\/[0-9a-f-]{36}$/);
      const counts = page.getByTestId("import-counts");
      await expect(counts).toContainText(text("progress.preview.added", "returns", { count: 2 }));
      await expect(counts).toContainText(text("progress.preview.errors", "returns", { count: 1 }));
      // The bad line is the file's fourth (the first names the columns), reported in plain words.
      await expect(page.getByTestId("import-errors")).toContainText(
        text("progress.errors.message", "returns", {
          line: 4,
          message: localeText(lang, "lineErrors.date_of_birth.invalid", "returns"),
        }),
      );
      await officer.press(
        text("progress.preview.confirm", "returns", { count: 2 }),
        /\/staff\/returns\/import\/[0-9a-f-]{36}$/,
      );
      // Without JavaScript the page refreshes itself until the import is done.
      await expect(page.getByTestId("import-done")).toBeVisible({ timeout: 20_000 });
      await expect(page.getByTestId("import-counts")).toContainText(
        text("progress.result.added", "returns", { count: 2 }),
      );
      // The register finds an imported return by its reference; its page shows the identity.
      await officer.goto("/staff/returns");
      await page.locator("#ref").fill(`${ref}-1`);
      await officer.press(text("register.filters.apply", "returns"), /\/staff\/returns\?search=[\w-]+$/);
      await officer.press(`${ref}-1`, /\/staff\/returns\/[0-9a-f-]{36}$/, "link");
      await expect(page.locator("main")).toContainText("Test Returned One");
      const before = await dashboard();

      // ── Matching: the next 3 are a family of two and one person. ──
      await officer.goto("/staff/matching");
      await page.getByLabel(text("fields.count.label", "matching")).fill("3");
      await officer.press(text("queue.runSubmit", "matching"), /\/staff\/matching\?/);
      const result = page.getByTestId("match-result");
      await expect(result).toContainText(text("result.matched", "matching", { count: 3 }));
      await expect(result).toContainText(text("result.families", "matching", { count: 1 }));
      await expect(page.getByTestId("run-match")).toHaveCount(3);
      const matchPath = await page.getByTestId("run-match").last().getAttribute("href");

      // ── The dashboard: three more admissions; the balance is completed returns minus admissions. ──
      const after = await dashboard();
      // The other project may have matched or undone one meanwhile: at least this run's 3, less 1.
      expect(after.admissions).toBeGreaterThanOrEqual(before.admissions + 2);
      expect(after.balance).toBe(after.returns - after.admissions);

      // ── Unmatch the person matched alone, with a reason. ──
      await officer.goto(matchPath as string);
      await page.getByLabel(text("fields.unmatchReason.options.travel_not_possible", "matching")).check();
      await officer.press(
        text("match.unmatchSubmit", "matching"),
        /\/staff\/matching\/matches\/[0-9a-f-]{36}/,
      );
      await expect(page.locator("main")).toContainText(text("match.done.unmatched", "matching"));
      await expect(page.locator("main")).toContainText(
        text("fields.unmatchReason.options.travel_not_possible", "matching"),
      );
      await officer.signOut();
    });
  });
