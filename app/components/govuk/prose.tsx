/** A content page: a title and sections of paragraphs, all from the locale files. */
export interface ProseSection {
  heading?: string;
  paragraphs: string[];
}

export function Prose({ title, sections }: { title: string; sections: ProseSection[] }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{title}</h1>
        {sections.map((section, i) => (
          <section key={section.heading ?? i}>
            {section.heading && <h2 className="govuk-heading-m">{section.heading}</h2>}
            {section.paragraphs.map((p) => (
              <p className="govuk-body" key={p}>
                {p}
              </p>
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}
