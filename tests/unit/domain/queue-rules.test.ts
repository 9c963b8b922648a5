import { describe, expect, it } from "vitest";
import { eoiStatuses, flagKinds } from "#db/schema";
import {
  decodeCursor,
  encodeCursor,
  queueFlags,
  queueQuerySchema,
  queueSearchParams,
  queueStatuses,
  queueValues,
} from "~/domain/cases/queue.rules";
import { generateReference } from "~/domain/eoi/reference";
import { normaliseName } from "~/domain/identity/identity.rules";

const parse = (query: string) => queueQuerySchema.safeParse(queueValues(new URLSearchParams(query)));
const ok = (query: string) => {
  const result = parse(query);
  if (!result.success) throw new Error(`refused ${query}: ${JSON.stringify(result.error.issues)}`);
  return result.data;
};
const refused = (query: string) => {
  const result = parse(query);
  return result.success ? [] : result.error.issues.map((i) => [i.path.join("."), i.message]);
};

const id = "0b6c1c52-5f0e-4d52-9b0b-2f7cf0e2f1aa";
const reference = generateReference();

describe("queue filters", () => {
  it("lists every status but draft, and every flag kind", () => {
    expect([...queueStatuses].sort()).toEqual(eoiStatuses.filter((s) => s !== "draft").sort());
    expect([...queueFlags].sort()).toEqual([...flagKinds].sort());
  });

  it("default to everything, oldest first, from the start", () => {
    expect(ok("")).toEqual({ filters: { sort: "oldest" }, cursor: null });
  });

  it("treat the form's empty choices as no filter", () => {
    expect(ok("q=&status=&window=&nationality=&flag=&family=&sort=&cursor=")).toEqual({
      filters: { sort: "oldest" },
      cursor: null,
    });
  });

  it("read every filter", () => {
    expect(
      ok(`status=under_review&window=${id}&nationality=ER&flag=previously_returned&family=no&sort=newest`),
    ).toEqual({
      filters: {
        status: "under_review",
        windowId: id,
        nationality: "ER",
        flag: "previously_returned",
        family: "no",
        sort: "newest",
      },
      cursor: null,
    });
    expect(ok("nationality=stateless&family=yes&flag=location_unverified").filters).toMatchObject({
      nationality: "stateless",
      family: "yes",
      flag: "location_unverified",
    });
  });

  it("ignore parameters they do not know", () => {
    expect(ok("utm_source=mail&status=selected").filters).toEqual({ status: "selected", sort: "oldest" });
  });

  it.each([
    ["status=draft", "status"],
    ["status=SUBMITTED", "status"],
    ["status=nonsense", "status"],
    ["window=not-a-uuid", "window"],
    ["window=0b6c1c52-5f0e-4d52-9b0b-2f7cf0e2f1a", "window"],
    ["nationality=er", "nationality"],
    ["nationality=XX", "nationality"],
    ["flag=resolved", "flag"],
    ["family=maybe", "family"],
    ["sort=random", "sort"],
    ["q=%21%21%21", "q"],
    ["q=---", "q"],
  ])("refuse %s with the %s message", (query, field) => {
    expect(refused(query)).toEqual([[field, `queue:errors.${field}`]]);
  });

  it("refuse a search that is too long", () => {
    expect(refused(`q=${"a".repeat(201)}`)).toEqual([["q", "queue:errors.qTooLong"]]);
  });

  it("report every refused parameter", () => {
    expect(refused("status=draft&flag=x&cursor=%3F").map(([field]) => field)).toEqual([
      "status",
      "flag",
      "cursor",
    ]);
  });
});

describe("queue search", () => {
  it.each([
    reference,
    reference.toLowerCase(),
    reference.replaceAll("-", ""),
    ` ${reference.replaceAll("-", " ").toLowerCase()} `,
    reference.replaceAll("-", "\u2013"),
  ])("finds a reference typed as %j", (typed) => {
    expect(ok(`q=${encodeURIComponent(typed)}`).filters.search).toMatchObject({
      text: typed.trim(),
      reference,
    });
  });

  it("takes anything else as a full name, normalised as at submission", () => {
    expect(ok(`q=${encodeURIComponent("  Abdel-Karim EL HADI ")}`).filters.search).toEqual({
      text: "Abdel-Karim EL HADI",
      reference: null,
      name: "abdel el hadi karim",
    });
    expect(ok(`q=${encodeURIComponent("Hélène Dupont")}`).filters.search?.name).toBe("dupont helene");
  });

  it("takes ten reference characters with a wrong check character as a name, not a reference", () => {
    const last = reference.at(-1) === "A" ? "B" : "A";
    const wrong = `${reference.slice(0, -1)}${last}`;
    expect(ok(`q=${wrong}`).filters.search?.reference).toBeNull();
  });

  it("also matches a valid reference as a name (a ten-letter name can pass the check character)", () => {
    expect(ok(`q=${reference}`).filters.search?.name).toBe(normaliseName(reference));
    expect(ok("q=Almaz+Tesfa").filters.search?.name).toBe("almaz tesfa");
  });
});

describe("queue cursor", () => {
  const cursor = { submittedAt: "2025-03-04T05:06:07.123456Z", id };

  it("round-trips, microseconds included, as URL-safe text", () => {
    const token = encodeCursor(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token)).toEqual(cursor);
    expect(ok(`cursor=${token}`).cursor).toEqual(cursor);
  });

  it("carries the filters to the next page, without empty ones, and the search by its id only", () => {
    const { filters } = ok(`q=Amina+Haddad&status=&flag=possible_duplicate&sort=newest`);
    const next = queueSearchParams(filters, { search: "s3cr3t-id", cursor: encodeCursor(cursor) });
    expect(next).toBe(`?flag=possible_duplicate&sort=newest&search=s3cr3t-id&cursor=${encodeCursor(cursor)}`);
    expect(next).not.toMatch(/amina|haddad/i);
    const { search: _text, ...shareable } = filters;
    expect(ok(next.slice(1))).toEqual({ filters: shareable, cursor });
    expect(queueSearchParams({ sort: "oldest" })).toBe("");
  });

  const b64 = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  it.each([
    ["not base64", "%%%"],
    ["base64 of nonsense", b64("hello")],
    ["no id", b64("2025-03-04T05:06:07.123456Z")],
    ["an id that is not a UUID", b64("2025-03-04T05:06:07.123456Z~1")],
    ["milliseconds only", b64(`2025-03-04T05:06:07.123Z~${id}`)],
    ["an impossible date", b64(`2025-02-30T05:06:07.123456Z~${id}`)],
    ["an impossible time", b64(`2025-03-04T25:06:07.123456Z~${id}`)],
    ["an extra part", b64(`2025-03-04T05:06:07.123456Z~${id}~x`)],
    ["SQL", b64(`2025-03-04T05:06:07.123456Z~${id}'; drop table eois; --`)],
    ["padding", `${encodeCursor(cursor)}==`],
    ["a very long token", "A".repeat(5000)],
  ])("rejects %s cleanly", (_, token) => {
    expect(decodeCursor(token)).toBeNull();
    expect(refused(`cursor=${encodeURIComponent(token)}`)).toEqual([["cursor", "queue:errors.cursor"]]);
  });
});
