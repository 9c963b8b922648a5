import { describe, expect, it } from "vitest";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { render } from "../../support/i18n";
import { byClass } from "./html";

describe("ErrorSummary", () => {
  it("renders nothing without errors", () => {
    expect(render(<ErrorSummary errors={[]} />)).toBe("");
  });

  it("is focusable, announced, titled, and links each error to its field in order", () => {
    const html = render(
      <ErrorSummary
        errors={[
          { href: "#givenName", text: "Enter your given name" },
          { href: "#dateOfBirth-day", text: "Date of birth must include a day" },
        ]}
      />,
    );
    const [summary] = byClass(html, "govuk-error-summary");
    expect(summary).toMatchObject({ tag: "div", tabindex: "-1", "data-module": "govuk-error-summary" });
    expect(html).toContain(
      '<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>',
    );
    expect(html).toContain('<ul class="govuk-list govuk-error-summary__list">');
    expect(html).toMatch(
      /<li><a href="#givenName">Enter your given name<\/a><\/li><li><a href="#dateOfBirth-day">Date of birth must include a day<\/a><\/li>/,
    );
  });

  it("takes its title from the page's language", () => {
    expect(render(<ErrorSummary errors={[{ href: "#x", text: "…" }]} />, "fr")).toContain(
      "Il y a un problème",
    );
    expect(render(<ErrorSummary errors={[{ href: "#x", text: "…" }]} />, "ar")).toContain("هناك مشكلة");
  });
});
