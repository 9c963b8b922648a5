import { describe, expect, it } from "vitest";
import { Ltr } from "~/components/govuk/ltr";
import { SummaryList } from "~/components/govuk/summary-list";
import { render } from "../../support/i18n";
import { byClass } from "./html";

describe("SummaryList", () => {
  const rows = [
    {
      key: "Name",
      value: <Ltr>Amina Haddad</Ltr>,
      actions: [{ href: "/en/apply/name", visuallyHiddenText: "name" }],
    },
    { key: "Reference", value: "ABC-123" },
  ];

  it("renders rows with change links that say what they change", () => {
    const html = render(<SummaryList rows={rows} />);
    expect(html).toContain(
      '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt><dd class="govuk-summary-list__value"><bdi dir="ltr">Amina Haddad</bdi></dd><dd class="govuk-summary-list__actions"><a class="govuk-link" data-discover="true" href="/en/apply/name">Change<span class="govuk-visually-hidden"> name</span></a></dd></div>',
    );
    // A row without actions in a list with actions keeps the columns aligned.
    expect(byClass(html, "govuk-summary-list__row")[1]?.class).toBe(
      "govuk-summary-list__row govuk-summary-list__row--no-actions",
    );
  });

  it("translates the link text", () => {
    expect(render(<SummaryList rows={rows} />, "fr")).toContain(
      'Modifier<span class="govuk-visually-hidden"> name</span>',
    );
  });

  it("lists several actions, and has a no-border variant", () => {
    const html = render(
      <SummaryList
        noBorder
        rows={[
          {
            key: "Child",
            value: "Sami",
            actions: [
              { href: "/c/1", visuallyHiddenText: "Sami" },
              { href: "/c/1/remove", text: "Remove", visuallyHiddenText: "Sami" },
            ],
          },
        ]}
      />,
    );
    expect(byClass(html, "govuk-summary-list")[0]?.class).toBe(
      "govuk-summary-list govuk-summary-list--no-border",
    );
    expect(byClass(html, "govuk-summary-list__actions-list-item")).toHaveLength(2);
    expect(html).toContain('Remove<span class="govuk-visually-hidden"> Sami</span>');
    expect(html).not.toContain("row--no-actions");
  });
});
