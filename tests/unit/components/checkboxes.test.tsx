import { useForm } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { Checkboxes } from "~/components/govuk/checkboxes";
import { render } from "../../support/i18n";
import { byClass, byId } from "./html";

const items = [
  { value: "passport", label: "Passport" },
  { value: "idCard", label: "Identity card", conditional: <p>Number</p> },
  { divider: true as const },
  { value: "none", label: "None of these", exclusive: true },
];

function RegisteredCheckboxes() {
  const { register } = useForm();
  return <Checkboxes legend="q" items={items} {...register("documents")} />;
}

describe("Checkboxes", () => {
  it("renders GOV.UK checkboxes with GOV.UK ids", () => {
    const html = render(<Checkboxes name="documents" legend="Which documents?" items={items} />);
    expect(byClass(html, "govuk-checkboxes")[0]).toMatchObject({ "data-module": "govuk-checkboxes" });
    expect(byId(html, "documents")).toMatchObject({
      class: "govuk-checkboxes__input",
      type: "checkbox",
      name: "documents",
      value: "passport",
    });
    expect(byId(html, "documents-2")["data-aria-controls"]).toBe("conditional-documents-2");
    expect(byId(html, "conditional-documents-2").class).toBe("govuk-checkboxes__conditional");
    expect(html).toContain('<div class="govuk-checkboxes__divider">or</div>');
    expect(byId(html, "documents-4")).toMatchObject({ value: "none", "data-behaviour": "exclusive" });
    expect(html).toContain(
      '<label class="govuk-label govuk-checkboxes__label" for="documents-4">None of these</label>',
    );
  });

  it("ticks the server's values", () => {
    const html = render(
      <Checkboxes name="d" legend="q" items={items} defaultValue={["passport", "idCard"]} />,
    );
    expect(byId(html, "d").checked).toBe("");
    expect(byId(html, "d-2").checked).toBe("");
    expect(byId(html, "d-4").checked).toBeUndefined();
  });

  it("shows an error on the group", () => {
    const html = render(<Checkboxes name="d" legend="q" items={items} error="Select a document" small />);
    expect(byClass(html, "govuk-fieldset")[0]?.["aria-describedby"]).toBe("d-error");
    expect(byId(html, "d-error").class).toBe("govuk-error-message");
    expect(byClass(html, "govuk-checkboxes")[0]?.class).toBe("govuk-checkboxes govuk-checkboxes--small");
  });

  it("spreads react-hook-form's register onto every checkbox", () => {
    const html = render(<RegisteredCheckboxes />);
    expect(byId(html, "documents").name).toBe("documents");
    expect(byId(html, "documents-4").name).toBe("documents");
  });
});
