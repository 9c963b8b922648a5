import { Tag } from "~/components/govuk/tag";
import type { Urgency } from "~/domain/helpers/cases.rules";
import { useTranslation } from "~/i18n/react";

const colour = { overdue: "red", urgent: "red", soon: "orange" } as const;

/** A deadline, with a coloured tag when it is close or passed (cases.rules.ts urgency). */
export function DeadlineTag({ deadline, urgency }: { deadline: string; urgency: Urgency | null }) {
  const { t } = useTranslation("caseload");
  return (
    <>
      {deadline}
      {urgency && (
        <>
          <br />
          <Tag colour={colour[urgency]}>{t(`urgency.${urgency}`)}</Tag>
        </>
      )}
    </>
  );
}
