import { forwardRef } from "react";
import { type ChoiceDivider, type ChoiceItem, Choices, type ChoicesBaseProps } from "./choices";

export interface CheckboxItem extends ChoiceItem {
  /** "None of these": ticking it unticks the others, and ticking another unticks it (with JavaScript). */
  exclusive?: boolean;
}

export interface CheckboxesProps extends ChoicesBaseProps {
  items: (CheckboxItem | ChoiceDivider)[];
  /** The values ticked when the page renders (the server's answers). */
  defaultValue?: string[];
}

/**
 * GOV.UK checkboxes in a fieldset. Register the group once: the spread (name, onChange, onBlur and
 * the forwarded ref) goes onto every checkbox, so react-hook-form reads the group as an array, e.g.
 * `<Checkboxes legend={…} items={…} defaultValue={v} error={err} {...register("documents")} />`.
 */
export const Checkboxes = forwardRef<HTMLInputElement, CheckboxesProps>(function Checkboxes(
  { defaultValue = [], items, ...props },
  ref,
) {
  const exclusiveValues = items.flatMap((item) =>
    "exclusive" in item && item.exclusive ? [item.value] : [],
  );
  return (
    <Choices
      kind="checkboxes"
      items={items}
      checkedValues={defaultValue}
      exclusiveValues={exclusiveValues}
      forwardedRef={ref}
      {...props}
    />
  );
});
