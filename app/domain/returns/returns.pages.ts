import type { Field, PageRule } from "../forms/fields";
import { canChange, noteRequired, type ReturnStage, stages } from "./returns.rules";

/** The return page's form: move the return to its next stage (one schema: returns.schema.ts). */
export const stageChangeFields: Field[] = [
  // Every stage is an option of the schema, so a stage that is not allowed gets its own message;
  // the page offers only the allowed ones.
  { kind: "radios", name: "stage", options: stages },
  { kind: "date", name: "stageDate", autoComplete: "off" },
  { kind: "textarea", name: "note", optional: true, max: 1000 },
];

export interface StageChangeContext {
  from: ReturnStage;
  /** In an active match: its stage cannot change (it is transferred, so final, anyway). */
  matched: boolean;
  arrivalDay: string;
  today: string;
}

export const stageChangeRule =
  ({ from, matched, arrivalDay, today }: StageChangeContext): PageRule =>
  (answers) => {
    const errors: Record<string, string> = {};
    const to = answers.stage as ReturnStage;
    if (matched) errors.stage = "returns:fields.stage.errors.matched";
    else if (!canChange(from, to)) errors.stage = "returns:fields.stage.errors.notAllowed";
    const day = answers.stageDate ?? "";
    if (day > today) errors.stageDate = "returns:fields.stageDate.errors.future";
    else if (day < arrivalDay) errors.stageDate = "returns:fields.stageDate.errors.beforeArrival";
    if (noteRequired(to) && !answers.note) errors.note = "returns:fields.note.errors.required";
    return errors;
  };

/** Error codes beyond the fields' own, so a test can prove every message exists. */
export const stageChangeExtraCodes: Record<string, readonly string[]> = {
  stage: ["notAllowed", "matched"],
  stageDate: ["future", "beforeArrival"],
  note: ["required"],
};
