import { useForm } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { DateInput } from "~/components/govuk/date-input";
import { render } from "../../support/i18n";
import { byClass, byId } from "./html";

function RegisteredDate() {
  const { register } = useForm();
  return <DateInput name="dateOfBirth" legend="q" inputProps={(part) => register(`dateOfBirth-${part}`)} />;
}

describe("DateInput", () => {
  it("renders three numeric inputs named and identified <name>-day, -month and -year", () => {
    const html = render(
      <DateInput
        name="dateOfBirth"
        legend="What is your date of birth?"
        hint="For example, 27 3 2007"
        autoComplete="bday"
        defaultValue={{ day: "27", month: "3", year: "2007" }}
      />,
    );
    expect(byClass(html, "govuk-fieldset")[0]).toMatchObject({
      role: "group",
      "aria-describedby": "dateOfBirth-hint",
    });
    expect(byId(html, "dateOfBirth").class).toBe("govuk-date-input");
    for (const [part, width, value] of [
      ["day", 2, "27"],
      ["month", 2, "3"],
      ["year", 4, "2007"],
    ] as const) {
      expect(byId(html, `dateOfBirth-${part}`)).toMatchObject({
        name: `dateOfBirth-${part}`,
        type: "text",
        inputmode: "numeric",
        autocomplete: `bday-${part}`,
        class: `govuk-input govuk-date-input__input govuk-input--width-${width}`,
        value,
      });
    }
    expect(html).toContain(
      '<label class="govuk-label govuk-date-input__label" for="dateOfBirth-day">Day</label>',
    );
  });

  it("labels the parts in the page's language", () => {
    const fr = render(<DateInput name="d" legend="q" />, "fr");
    expect(fr).toContain(">Jour</label>");
    expect(fr).toContain(">Mois</label>");
    expect(fr).toContain(">Année</label>");
    expect(render(<DateInput name="d" legend="q" />, "ar")).toContain(">اليوم</label>");
  });

  it("highlights every part on error, or only the parts named", () => {
    const all = render(<DateInput name="d" legend="q" hint="h" error="Enter a real date" />);
    expect(byClass(all, "govuk-form-group")[0]?.class).toContain("govuk-form-group--error");
    expect(byClass(all, "govuk-fieldset")[0]?.["aria-describedby"]).toBe("d-hint d-error");
    expect(byId(all, "d-error").class).toBe("govuk-error-message");
    expect(byClass(all, "govuk-input--error")).toHaveLength(3);
    expect(byId(all, "d-day")["aria-invalid"]).toBe("true");

    const year = render(
      <DateInput name="d" legend="q" error="Year must be 4 numbers" errorParts={["year"]} />,
    );
    expect(byClass(year, "govuk-input--error").map((a) => a.id)).toEqual(["d-year"]);
    expect(byId(year, "d-day")["aria-invalid"]).toBeUndefined();
  });

  it("takes react-hook-form's register per part", () => {
    const html = render(<RegisteredDate />);
    expect(byId(html, "dateOfBirth-month").name).toBe("dateOfBirth-month");
  });
});
