import { describe, expect, it } from "vitest";
import { TaskList } from "~/components/govuk/task-list";
import { render } from "../../support/i18n";
import { byClass, byId } from "./html";

describe("TaskList", () => {
  const html = render(
    <TaskList
      items={[
        { title: "Your details", href: "/en/apply/name", status: { text: "Completed" } },
        {
          title: "Your documents",
          href: "/en/apply/upload",
          hint: "Passport or ID card",
          status: { text: "Incomplete", tag: "blue" },
        },
        { title: "Declaration", status: { text: "Cannot start yet", cannotStartYet: true } },
      ]}
    />,
  );

  it("links each startable task, described by its hint and status", () => {
    const links = byClass(html, "govuk-task-list__link");
    expect(links.map((l) => [l.href, l["aria-describedby"]])).toEqual([
      ["/en/apply/name", "task-list-1-status"],
      ["/en/apply/upload", "task-list-2-hint task-list-2-status"],
    ]);
    expect(byId(html, "task-list-2-hint").class).toBe("govuk-task-list__hint");
    expect(byClass(html, "govuk-task-list__item--with-link")).toHaveLength(2);
  });

  it("shows statuses as text or tags", () => {
    expect(html).toContain('<div class="govuk-task-list__status" id="task-list-1-status">Completed</div>');
    expect(html).toContain('<strong class="govuk-tag govuk-tag--blue">Incomplete</strong>');
    expect(byId(html, "task-list-3-status").class).toBe(
      "govuk-task-list__status govuk-task-list__status--cannot-start-yet",
    );
    expect(html).toContain('<div class="govuk-task-list__name-and-hint"><div>Declaration</div></div>');
  });
});
