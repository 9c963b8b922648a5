import { describe, expect, it } from "vitest";
import { calendarFile, escapeText, foldLine, icsDate } from "~/domain/appointments/calendar";

const event = {
  uid: "3f1c6a8e-0000-4000-8000-000000000001@appointments.transfer-scheme",
  start: new Date("2030-01-08T08:00:00Z"),
  end: new Date("2030-01-08T08:30:00Z"),
  stamp: new Date("2030-01-07T10:11:12.345Z"),
  summary: "Rendez-vous biométrique : programme de transfert Royaume-Uni–France",
  location: "Centre Paris, 1 rue de l’Exemple; bât. B, 75010 Paris",
  description: "Apportez le même passeport ou la même carte d’identité que dans votre demande.\nC:\\dossier",
};

const octets = (s: string) => new TextEncoder().encode(s).length;

describe("calendarFile", () => {
  const ics = calendarFile(event);
  const lines = ics.split("\r\n");
  // Unfolded: continuation lines (starting with a space) joined to the previous one.
  const unfolded = ics.replace(/\r\n /g, "").split("\r\n");

  it("is one VCALENDAR with one VEVENT, CRLF line endings and a final CRLF", () => {
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(unfolded[0]).toBe("BEGIN:VCALENDAR");
    expect(unfolded).toContain("VERSION:2.0");
    expect(unfolded.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    expect(unfolded.at(-2)).toBe("END:VCALENDAR");
    expect(unfolded.some((l) => l.startsWith("PRODID:"))).toBe(true);
  });

  it("gives a stable UID, DTSTAMP and UTC start and end", () => {
    expect(unfolded).toContain(`UID:${event.uid}`);
    expect(unfolded).toContain("DTSTAMP:20300107T101112Z");
    expect(unfolded).toContain("DTSTART:20300108T080000Z");
    expect(unfolded).toContain("DTEND:20300108T083000Z");
    expect(calendarFile({ ...event, stamp: new Date() })).toContain(`UID:${event.uid}`);
  });

  it("escapes commas, semicolons, backslashes and line breaks in texts", () => {
    expect(unfolded).toContain("LOCATION:Centre Paris\\, 1 rue de l’Exemple\\; bât. B\\, 75010 Paris");
    const description = unfolded.find((l) => l.startsWith("DESCRIPTION:"));
    expect(description).toContain("demande.\\nC:\\\\dossier");
  });

  it("folds lines at 75 octets without splitting a character", () => {
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith(" "))).toBe(true);
    expect(unfolded.find((l) => l.startsWith("SUMMARY:"))).toBe(`SUMMARY:${escapeText(event.summary)}`);
  });
});

describe("helpers", () => {
  it("formats instants in UTC basic format", () => {
    expect(icsDate(new Date("2030-07-01T22:05:09.999Z"))).toBe("20300701T220509Z");
  });

  it("leaves short lines alone and folds long Arabic text on character boundaries", () => {
    expect(foldLine("SUMMARY:short")).toBe("SUMMARY:short");
    const arabic = `SUMMARY:${"موعد البصمات ".repeat(10)}`;
    const folded = foldLine(arabic);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(octets(part)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, "")).toBe(arabic);
    expect(folded).not.toContain("\uFFFD");
  });
});
