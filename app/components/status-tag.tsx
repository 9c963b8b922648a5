import type { EoiStatus } from "~/domain/status/status.rules";
import { Tag, type TagColour } from "./govuk/tag";

/** One colour per status, the same for applicants and staff: blue while waiting, green when done well. */
const statusColour: Record<EoiStatus, TagColour> = {
  draft: "grey",
  submitted: "blue",
  location_verified: "turquoise",
  location_unverified: "yellow",
  under_review: "light-blue",
  invalid: "red",
  not_eligible: "red",
  not_selected: "grey",
  selected: "purple",
  appointment_booked: "purple",
  biometrics_enrolled: "purple",
  approved: "green",
  matched: "green",
  arrived: "green",
  refused: "red",
  withdrawn: "grey",
};

export function StatusTag({ status, children }: { status: string; children: string }) {
  return <Tag colour={statusColour[status as EoiStatus] ?? "blue"}>{children}</Tag>;
}
