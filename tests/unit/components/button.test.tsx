import { describe, expect, it } from "vitest";
import { Button } from "~/components/govuk/button";
import { render } from "../../support/i18n";
import { byClass } from "./html";

describe("Button", () => {
  it("is a GOV.UK submit button by default", () => {
    expect(render(<Button>Continue</Button>)).toBe(
      '<button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>',
    );
  });

  it.each([
    ["secondary", "govuk-button govuk-button--secondary"],
    ["warning", "govuk-button govuk-button--warning"],
    ["inverse", "govuk-button govuk-button--inverse"],
  ] as const)("has a %s variant", (variant, classes) => {
    expect(byClass(render(<Button variant={variant}>x</Button>), "govuk-button")[0]?.class).toBe(classes);
  });

  it("marks double-click prevention and passes other props to the button", () => {
    const html = render(
      <Button preventDoubleClick type="button" name="intent" value="save">
        Save
      </Button>,
    );
    expect(byClass(html, "govuk-button")[0]).toMatchObject({
      type: "button",
      name: "intent",
      value: "save",
      "data-prevent-double-click": "true",
    });
  });

  it("renders a start button link with its (mirrorable) icon", () => {
    const html = render(
      <Button href="/fr/apply" isStartButton>
        Commencer
      </Button>,
    );
    expect(byClass(html, "govuk-button")[0]).toMatchObject({
      tag: "a",
      href: "/fr/apply",
      role: "button",
      draggable: "false",
      class: "govuk-button govuk-button--start",
    });
    expect(byClass(html, "govuk-button__start-icon")[0]).toMatchObject({ tag: "svg", "aria-hidden": "true" });
  });
});
