import { describe, expect, it } from "vitest";
import { documentKey, identityKey, normaliseName } from "~/domain/identity/identity.rules";

describe("normaliseName", () => {
  it.each([
    ["Abdel-Karim EL HADI", "abdel el hadi karim"],
    ["el hadi abdel karim", "abdel el hadi karim"],
    ["  Élodie   Müller ", "elodie muller"],
    ["MÜLLER, Élodie", "elodie muller"],
    ["O'Brien Seán", "brien o sean"],
    ["Ahmad\tRahimi\n", "ahmad rahimi"],
    ["Nguyễn Văn An", "an nguyen van"],
    ["Zoë", "zoe"],
    // Full-width letters (phone keyboards) fold to ASCII under NFKD.
    ["ＡＬＩ", "ali"],
    // Arabic script is kept as letters; only case-less comparison and spacing apply.
    ["محمد  علي", "علي محمد"],
    ["", ""],
    ["--- ,", ""],
  ])("%j -> %j", (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it("treats accents, case, punctuation and order as the same person", () => {
    expect(normaliseName("Abdel-Karim EL HADI")).toBe(normaliseName("el hadi, abdel karim"));
    expect(normaliseName("José Álvarez")).toBe(normaliseName("ALVAREZ Jose"));
  });

  it("keeps different names different", () => {
    expect(normaliseName("Ali Hassan")).not.toBe(normaliseName("Ali Hassani"));
    expect(normaliseName("Ali Hassan")).not.toBe(normaliseName("Ali Ali Hassan"));
  });
});

describe("identityKey", () => {
  it.each([
    [["Abdel-Karim El Hadi", "1990-01-31", "sd"], "abdel el hadi karim|1990-01-31|SD"],
    [["EL HADI Abdel Karim", "1990-01-31", "SD"], "abdel el hadi karim|1990-01-31|SD"],
  ] as const)("%j -> %s", ([name, dob, nationality], expected) => {
    expect(identityKey(name, dob, nationality)).toBe(expected);
  });

  it("differs when the date of birth or nationality differs", () => {
    const key = identityKey("Ali Hassan", "1990-01-31", "SD");
    expect(identityKey("Ali Hassan", "1990-01-30", "SD")).not.toBe(key);
    expect(identityKey("Ali Hassan", "1990-01-31", "ER")).not.toBe(key);
  });
});

describe("documentKey", () => {
  it.each([
    [["af", "p 123-456 7"], "AF|P1234567"],
    [["AF", "P1234567"], "AF|P1234567"],
    [["er", "ab.12/34"], "ER|AB1234"],
  ] as const)("%j -> %s", ([country, number], expected) => {
    expect(documentKey(country, number)).toBe(expected);
  });

  it("keeps the issuing country apart", () => {
    expect(documentKey("AF", "P1")).not.toBe(documentKey("IR", "P1"));
  });
});
