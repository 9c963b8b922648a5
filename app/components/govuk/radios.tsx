import { forwardRef } from "react";
import { type ChoiceDivider, type ChoiceItem, Choices, type ChoicesBaseProps } from "./choices";

export type RadioItem = ChoiceItem;

export interface RadiosProps extends ChoicesBaseProps {
  items: (RadioItem | ChoiceDivider)[];
  /** The value checked when the page renders (the server's answer). */
  defaultValue?: string;
  inline?: boolean;
}

/**
 * GOV.UK radios in a fieldset. Register the group once: the spread (name, onChange, onBlur and the
 * forwarded ref) goes onto every radio, e.g.
 * `<Radios legend={…} isPageHeading items={…} defaultValue={v} error={err} {...register("hasPassport")} />`.
 */
export const Radios = forwardRef<HTMLInputElement, RadiosProps>(function Radios(
  { defaultValue, ...props },
  ref,
) {
  return (
    <Choices
      kind="radios"
      checkedValues={defaultValue === undefined ? [] : [defaultValue]}
      forwardedRef={ref}
      {...props}
    />
  );
});
