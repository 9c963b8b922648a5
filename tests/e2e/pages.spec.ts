import { expect, type Language, localeText, test } from "./fixtures";

test.describe("unknown pages", () => {
  // The browser reports the 404 status of the page itself as a console error.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  for (const [path, lang, dir] of [
    ["/fr/no-such-page", "fr", "ltr"],
    ["/en/no-such-page", "en", "ltr"],
    ["/ar/no-such-page", "ar", "rtl"],
    ["/fr/privacy/extra", "fr", "ltr"],
    ["/xx/no-such-page", "fr", "ltr"],
  ] as [string, Language, string][]) {
    test(`${path} is the ${lang} "page not found" page, status 404 @nojs`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(404);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page.locator("html")).toHaveAttribute("dir", dir);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(
        localeText(lang, "errors.notFound.title"),
      );
      await expect(page.getByText(localeText(lang, "errors.notFound.body"))).toBeVisible();
    });
  }
});

test("/healthz answers 200 JSON and is never cached", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^application\/json/);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(await response.json()).toMatchObject({ status: "ok", database: "up" });
});
