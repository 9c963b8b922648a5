import { contentPages, expect, type Language, localeText, test } from "./fixtures";

const directions: Record<Language, "ltr" | "rtl"> = { fr: "ltr", en: "ltr", ar: "rtl" };
const switcherName: Record<Language, string> = { fr: "Français", en: "English", ar: "العربية" };

test.describe("/ chooses the language from the browser", () => {
  for (const [locale, expected] of [
    ["fr-FR", "fr"],
    ["ar", "ar"],
    ["en-GB", "en"],
    ["de-DE", "fr"],
  ] as const) {
    test.describe(`with Accept-Language ${locale}`, () => {
      test.use({ locale });
      test(`redirects to /${expected}`, async ({ page }) => {
        await page.goto("/");
        await expect(page).toHaveURL(`/${expected}`);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(localeText(expected, "home.title"));
      });
    });
  }

  test("redirects to French without Accept-Language, varying on the header", async ({ request }) => {
    const response = await request.get("/", { maxRedirects: 0, headers: { "Accept-Language": "" } });
    expect(response.status()).toBe(302);
    expect(response.headers().location).toBe("/fr");
    expect(response.headers().vary).toMatch(/Accept-Language/);
  });
});

for (const lang of ["fr", "en", "ar"] as const) {
  test(`/${lang} is the start page in its language and direction @nojs`, async ({ page }) => {
    await page.goto(`/${lang}`);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.locator("html")).toHaveAttribute("dir", directions[lang]);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(localeText(lang, "home.title"));
    await expect(page).toHaveTitle(
      `${localeText(lang, "home.title")} – ${localeText(lang, "layout.serviceName")} – GOV.UK`,
    );
    await expect(page.getByRole("button", { name: localeText(lang, "home.start") })).toHaveAttribute(
      "href",
      `/${lang}/apply`,
    );
  });
}

test("the language switcher keeps the visitor on the same page @nojs", async ({ page }) => {
  await page.goto("/fr/privacy?from=test");
  const switcher = page.getByRole("navigation", { name: localeText("fr", "layout.languageSwitcher") });
  await expect(switcher.getByText(switcherName.fr)).not.toHaveAttribute("href");

  await switcher.getByRole("link", { name: switcherName.en }).click();
  await expect(page).toHaveURL("/en/privacy?from=test");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    localeText("en", "privacy.title", "pages"),
  );

  await page
    .getByRole("navigation", { name: localeText("en", "layout.languageSwitcher") })
    .getByRole("link", { name: switcherName.ar })
    .click();
  await expect(page).toHaveURL("/ar/privacy?from=test");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    localeText("ar", "privacy.title", "pages"),
  );
});

for (const lang of ["fr", "ar"] as const) {
  test(`the footer links lead to the content pages in ${lang} @nojs`, async ({ page, javaScriptEnabled }) => {
    const documents: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "document") documents.push(new URL(r.url()).pathname);
    });
    await page.goto(`/${lang}`);
    if (javaScriptEnabled) {
      await page.waitForFunction(
        () =>
          (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state
            .initialized,
      );
    }
    for (const name of contentPages) {
      await page
        .getByRole("contentinfo")
        .getByRole("link", { name: localeText(lang, `layout.footer.${name}`) })
        .click();
      await expect(page).toHaveURL(`/${lang}/${name}`);
      const title = localeText(lang, `${name}.title`, "pages");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
      await expect(page).toHaveTitle(`${title} – ${localeText(lang, "layout.serviceName")} – GOV.UK`);
    }
    // With JavaScript the app navigates in the page (so it hydrated under the CSP); without, each
    // link is a full page load.
    expect(documents).toEqual(
      javaScriptEnabled ? [`/${lang}`] : [`/${lang}`, ...contentPages.map((p) => `/${lang}/${p}`)],
    );
  });
}
