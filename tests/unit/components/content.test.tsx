import { describe, expect, it } from "vitest";
import { BackLink } from "~/components/govuk/back-link";
import { Details } from "~/components/govuk/details";
import { Fieldset } from "~/components/govuk/fieldset";
import { InsetText } from "~/components/govuk/inset-text";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { Panel } from "~/components/govuk/panel";
import { Table } from "~/components/govuk/table";
import { Tag } from "~/components/govuk/tag";
import { WarningText } from "~/components/govuk/warning-text";
import { render } from "../../support/i18n";
import { byClass } from "./html";

describe("BackLink", () => {
  it("is a real link with the translated text", () => {
    expect(render(<BackLink to="/ar/apply" />, "ar")).toBe(
      '<a class="govuk-back-link" data-discover="true" href="/ar/apply">رجوع</a>',
    );
    expect(render(<BackLink to="/en">Back to your tasks</BackLink>)).toContain(">Back to your tasks</a>");
  });
});

describe("InsetText and WarningText", () => {
  it("render GOV.UK markup", () => {
    expect(render(<InsetText>Note</InsetText>)).toBe('<div class="govuk-inset-text">Note</div>');
    expect(render(<WarningText>Do not pay anyone</WarningText>, "fr")).toBe(
      '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>' +
        '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Avertissement</span>Do not pay anyone</strong></div>',
    );
  });
});

describe("NotificationBanner", () => {
  it("is a labelled region titled Important by default", () => {
    const html = render(<NotificationBanner heading="Your appointment has moved" />);
    expect(byClass(html, "govuk-notification-banner")[0]).toMatchObject({
      role: "region",
      "aria-labelledby": "govuk-notification-banner-title",
      "data-module": "govuk-notification-banner",
    });
    expect(html).toContain('id="govuk-notification-banner-title">Important</h2>');
    expect(html).toContain('<p class="govuk-notification-banner__heading">Your appointment has moved</p>');
  });

  it("announces and takes focus for success", () => {
    const html = render(<NotificationBanner type="success" heading="Saved" />, "fr");
    expect(byClass(html, "govuk-notification-banner")[0]).toMatchObject({
      class: "govuk-notification-banner govuk-notification-banner--success",
      role: "alert",
      tabindex: "-1",
    });
    expect(html).toContain(">Succès</h2>");
  });
});

describe("Panel", () => {
  it("renders a confirmation panel, references kept left-to-right", () => {
    expect(
      render(
        <Panel title="Application complete">
          Your reference number
          <br />
          <strong>
            <Ltr>HDJ2123F</Ltr>
          </strong>
        </Panel>,
      ),
    ).toBe(
      '<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Application complete</h1>' +
        '<div class="govuk-panel__body">Your reference number<br/><strong><bdi dir="ltr">HDJ2123F</bdi></strong></div></div>',
    );
  });
});

describe("Tag", () => {
  it("has colour modifiers", () => {
    expect(render(<Tag>New</Tag>)).toBe('<strong class="govuk-tag">New</strong>');
    for (const colour of ["grey", "blue", "green", "red", "yellow"] as const) {
      expect(render(<Tag colour={colour}>x</Tag>)).toContain(`class="govuk-tag govuk-tag--${colour}"`);
    }
  });
});

describe("Details", () => {
  it("uses the native element", () => {
    expect(render(<Details summary="Help with nationality">Text</Details>)).toBe(
      '<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Help with nationality</span></summary><div class="govuk-details__text">Text</div></details>',
    );
  });
});

describe("Fieldset", () => {
  it("can hold a page heading and (optional)", () => {
    expect(
      render(
        <Fieldset legend="Your address" isPageHeading optional describedBy="a-hint">
          x
        </Fieldset>,
        "ar",
      ),
    ).toBe(
      '<fieldset class="govuk-fieldset" aria-describedby="a-hint"><legend class="govuk-fieldset__legend govuk-fieldset__legend--l"><h1 class="govuk-fieldset__heading">Your address (اختياري)</h1></legend>x</fieldset>',
    );
  });
});

describe("Table", () => {
  it("renders caption, column and row headers, numeric cells", () => {
    const html = render(
      <Table
        caption="Appointments"
        captionSize="m"
        firstCellIsHeader
        head={[{ text: "Centre" }, { text: "Places", format: "numeric" }]}
        rows={[[{ text: "Calais" }, { text: "12", format: "numeric" }]]}
      />,
    );
    expect(html).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Appointments</caption>',
    );
    expect(html).toContain(
      '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Places</th>',
    );
    expect(html).toContain('<th scope="row" class="govuk-table__header">Calais</th>');
    expect(html).toContain('<td class="govuk-table__cell govuk-table__cell--numeric">12</td>');
  });
});

describe("Ltr", () => {
  it("isolates left-to-right data", () => {
    expect(render(<Ltr>+33 6 12 34 56 78</Ltr>, "ar")).toBe('<bdi dir="ltr">+33 6 12 34 56 78</bdi>');
  });
});
