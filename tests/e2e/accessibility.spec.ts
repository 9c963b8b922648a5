import { contentPages, expectNoAxeViolations, languages, test, waitForHydration } from "./fixtures";

for (const lang of languages) {
  for (const path of ["", ...contentPages.map((p) => `/${p}`)]) {
    test(`/${lang}${path} has no axe violations`, async ({ page }) => {
      await page.goto(`/${lang}${path}`);
      await waitForHydration(page);
      await expectNoAxeViolations(page);
    });
  }
}
