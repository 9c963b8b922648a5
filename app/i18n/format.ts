/** Dates for people, in the page's language and in Paris time, which is where applicants are. */
export const PARIS = "Europe/Paris";

export function formatDate(iso: string | Date, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: PARIS }).format(new Date(iso));
}

export function formatDateTime(iso: string | Date, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short", timeZone: PARIS }).format(
    new Date(iso),
  );
}

/** A calendar date (YYYY-MM-DD, no time zone) such as a date of birth. */
export function formatDay(day: string, lang: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
