/** Dates for people, in the page's language and in Paris time, which is where applicants are. */
export const PARIS = "Europe/Paris";

/** Formatters are costly to make (a tenth of a status page's rendering): one per language and style. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, style: "date" | "dateTime" | "day"): Intl.DateTimeFormat {
  const key = `${lang} ${style}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(lang, {
      dateStyle: "long",
      ...(style === "dateTime" ? { timeStyle: "short" } : {}),
      timeZone: style === "day" ? "UTC" : PARIS,
    });
    // Languages come from URLs checked against the locales, so this stays small.
    formatters.set(key, made);
  }
  return made;
}

export function formatDate(iso: string | Date, lang: string): string {
  return formatter(lang, "date").format(new Date(iso));
}

export function formatDateTime(iso: string | Date, lang: string): string {
  return formatter(lang, "dateTime").format(new Date(iso));
}

/** A calendar date (YYYY-MM-DD, no time zone) such as a date of birth. */
export function formatDay(day: string, lang: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return formatter(lang, "day").format(new Date(Date.UTC(y, m - 1, d)));
}
