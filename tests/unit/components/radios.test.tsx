import { useForm } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { Radios } from "~/components/govuk/radios";
import { render } from "../../support/i18n";
import { byClass, byId } from "./html";

const items = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No", hint: "You can still apply" },
];

function RegisteredRadios() {
  const { register } = useForm();
  return <Radios legend="q" items={items} defaultValue="yes" {...register("hasPassport")} />;
}

describe("Radios", () => {
  it("renders GOV.UK radios in a fieldset, the first input's id being the name", () => {
    const html = render(<Radios name="hasPassport" legend="Do you have a passport?" items={items} />);
    expect(html).toMatch(
      /^<div class="govuk-form-group"><fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend">Do you have a passport\?<\/legend><div class="govuk-radios" data-module="govuk-radios">/,
    );
    expect(byId(html, "hasPassport")).toMatchObject({
      class: "govuk-radios__input",
      type: "radio",
      name: "hasPassport",
      value: "yes",
    });
    expect(byId(html, "hasPassport-2")).toMatchObject({
      value: "no",
      "aria-describedby": "hasPassport-2-item-hint",
    });
    expect(html).toContain('<label class="govuk-label govuk-radios__label" for="hasPassport-2">No</label>');
    expect(byId(html, "hasPassport-2-item-hint").class).toBe("govuk-hint govuk-radios__hint");
  });

  it("checks the server's value", () => {
    const html = render(<Radios name="hasPassport" legend="q" items={items} defaultValue="no" />);
    expect(byId(html, "hasPassport").checked).toBeUndefined();
    expect(byId(html, "hasPassport-2").checked).toBe("");
  });

  it("can be the page heading", () => {
    const html = render(<Radios name="x" legend="Question" isPageHeading items={items} />);
    expect(html).toContain(
      '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l"><h1 class="govuk-fieldset__heading">Question</h1></legend>',
    );
  });

  it("describes the fieldset with the hint and error, and shows the error", () => {
    const html = render(
      <Radios name="x" legend="q" hint="Pick one" error="Select yes or no" items={items} />,
    );
    expect(byClass(html, "govuk-form-group")[0]?.class).toContain("govuk-form-group--error");
    expect(byClass(html, "govuk-fieldset")[0]?.["aria-describedby"]).toBe("x-hint x-error");
    expect(html).toContain(
      '<p id="x-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Select yes or no</p>',
    );
  });

  it("numbers ids past dividers, and translates the divider", () => {
    const withDivider = [...items, { divider: true as const }, { value: "unsure", label: "Not sure" }];
    const html = render(<Radios name="x" legend="q" items={withDivider} />, "fr");
    expect(html).toContain('<div class="govuk-radios__divider">ou</div>');
    expect(byId(html, "x-4").value).toBe("unsure");
    expect(render(<Radios name="x" legend="q" items={withDivider} />, "ar")).toContain(
      '<div class="govuk-radios__divider">أو</div>',
    );
  });

  it("renders conditional reveals visible on the server, tied to their input", () => {
    const html = render(
      <Radios
        name="contact"
        legend="q"
        items={[
          { value: "email", label: "Email", conditional: <p>Email field</p> },
          { value: "phone", label: "Phone" },
        ]}
      />,
    );
    expect(byId(html, "contact")["data-aria-controls"]).toBe("conditional-contact");
    expect(byId(html, "conditional-contact").class).toBe("govuk-radios__conditional");
    expect(html).toContain("<p>Email field</p>");
  });

  it("has inline and small variants", () => {
    expect(
      byClass(render(<Radios name="x" legend="q" inline small items={items} />), "govuk-radios")[0]?.class,
    ).toBe("govuk-radios govuk-radios--inline govuk-radios--small");
  });

  it("spreads react-hook-form's register onto every radio", () => {
    const html = render(<RegisteredRadios />);
    expect(byId(html, "hasPassport")).toMatchObject({ name: "hasPassport", checked: "" });
    expect(byId(html, "hasPassport-2").name).toBe("hasPassport");
  });
});
