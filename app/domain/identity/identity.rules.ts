/**
 * Normalisation used to recognise the same person across EOIs and the returns register, whatever
 * the accents, case, spacing or order of names ("Abdel-Karim EL HADI" = "el hadi abdel karim").
 */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .sort()
    .join(" ");
}

/** Key for "same normalised name, date of birth and nationality". */
export function identityKey(fullName: string, dateOfBirth: string, nationality: string): string {
  return `${normaliseName(fullName)}|${dateOfBirth}|${nationality.toUpperCase()}`;
}

/** Document numbers compared without spaces, dashes or case. */
export function documentKey(country: string, number: string): string {
  return `${country.toUpperCase()}|${number.replace(/[^\p{L}\p{N}]/gu, "").toUpperCase()}`;
}
