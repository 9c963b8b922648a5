import { useForm } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { FileUpload } from "~/components/govuk/file-upload";
import { Input } from "~/components/govuk/input";
import { Select } from "~/components/govuk/select";
import { Textarea } from "~/components/govuk/textarea";
import { render } from "../../support/i18n";
import { byClass, byId } from "./html";

function RegisteredInput() {
  const { register } = useForm();
  return (
    <Input label="Given name" {...register("givenName")} defaultValue="Amina" autoComplete="given-name" />
  );
}

describe("Input", () => {
  it("renders the GOV.UK text input with the id defaulting to the name", () => {
    const html = render(<Input name="givenName" label="Given name" />);
    expect(html).toBe(
      '<div class="govuk-form-group"><label class="govuk-label" for="givenName">Given name</label>' +
        '<input class="govuk-input" id="givenName" name="givenName" type="text"/></div>',
    );
  });

  it("links the hint", () => {
    const html = render(<Input name="givenName" label="Given name" hint="As on your passport" />);
    expect(byId(html, "givenName-hint")).toMatchObject({ tag: "div", class: "govuk-hint" });
    expect(byId(html, "givenName")["aria-describedby"]).toBe("givenName-hint");
  });

  it("shows an error inline: group, message with hidden prefix, aria-invalid and aria-describedby", () => {
    const html = render(
      <Input name="givenName" label="Given name" hint="Hint" error="Enter your given name" />,
    );
    expect(byClass(html, "govuk-form-group")[0]?.class).toBe("govuk-form-group govuk-form-group--error");
    expect(html).toContain(
      '<p id="givenName-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter your given name</p>',
    );
    expect(byId(html, "givenName")).toMatchObject({
      class: "govuk-input govuk-input--error",
      "aria-invalid": "true",
      "aria-describedby": "givenName-hint givenName-error",
    });
  });

  it("translates the error prefix and the optional marker", () => {
    const html = render(<Input name="email" label="Adresse e-mail" optional error="Erreur" />, "fr");
    expect(html).toContain('<span class="govuk-visually-hidden">Erreur\u00a0:</span>');
    expect(html).toContain("Adresse e-mail (facultatif)</label>");
    expect(render(<Input name="email" label="x" error="y" />, "ar")).toContain(
      '<span class="govuk-visually-hidden">خطأ:</span>',
    );
  });

  it("can be the page heading, sized, with a width class and an explicit id", () => {
    const html = render(<Input name="ref" id="reference" label="Reference" isPageHeading width={10} />);
    expect(html).toContain(
      '<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for="reference">Reference</label></h1>',
    );
    expect(byId(html, "reference")).toMatchObject({
      name: "ref",
      class: "govuk-input govuk-input--width-10",
    });
  });

  it("keeps emails and phone numbers left-to-right, even on Arabic pages", () => {
    expect(byId(render(<Input name="phone" type="tel" label="x" />, "ar"), "phone").dir).toBe("ltr");
    expect(byId(render(<Input name="email" type="email" label="x" />), "email").dir).toBe("ltr");
    expect(byId(render(<Input name="givenName" label="x" />), "givenName").dir).toBeUndefined();
  });

  it("keeps a phone prefix on the number's side on Arabic pages", () => {
    expect(render(<Input name="phone" type="tel" label="x" prefix="+33" />, "ar")).toContain(
      '<div class="govuk-input__wrapper" dir="ltr"><div class="govuk-input__prefix" aria-hidden="true">+33</div>',
    );
  });

  it("renders a prefix or suffix hidden from screen readers", () => {
    const html = render(<Input name="phone" label="Phone" prefix="+33" />);
    expect(html).toContain(
      '<div class="govuk-input__wrapper"><div class="govuk-input__prefix" aria-hidden="true">+33</div><input',
    );
  });

  it("takes react-hook-form's register spread and the server's value", () => {
    expect(byId(render(<RegisteredInput />), "givenName")).toMatchObject({
      name: "givenName",
      value: "Amina",
      autocomplete: "given-name",
    });
  });
});

describe("Textarea", () => {
  it("renders the GOV.UK textarea with error wiring", () => {
    const html = render(
      <Textarea name="story" label="Tell us" error="Enter something" defaultValue="<b>x</b>" />,
    );
    expect(byId(html, "story")).toMatchObject({
      tag: "textarea",
      class: "govuk-textarea govuk-textarea--error",
      rows: "5",
      "aria-invalid": "true",
      "aria-describedby": "story-error",
    });
    // Values are text, never markup.
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;</textarea>");
  });
});

describe("Select", () => {
  it("renders options and error wiring", () => {
    const html = render(
      <Select
        name="nationality"
        label="Nationality"
        hint="h"
        error="Select your nationality"
        options={[
          { value: "", text: "" },
          { value: "SD", text: "Soudan" },
        ]}
        defaultValue="SD"
      />,
    );
    expect(byId(html, "nationality")).toMatchObject({
      tag: "select",
      class: "govuk-select govuk-select--error",
      "aria-describedby": "nationality-hint nationality-error",
    });
    expect(html).toContain('<option value="SD" selected="">Soudan</option>');
  });
});

describe("FileUpload", () => {
  it("renders the GOV.UK file input with error wiring", () => {
    const html = render(<FileUpload name="passport" label="Upload" error="Select a file" accept="image/*" />);
    expect(byId(html, "passport")).toMatchObject({
      type: "file",
      class: "govuk-file-upload govuk-file-upload--error",
      accept: "image/*",
      "aria-invalid": "true",
      "aria-describedby": "passport-error",
    });
  });
});
