import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  attentionBounds,
  canAdvance,
  canChange,
  classifyLine,
  isCompleted,
  type LineFacts,
  needsAttention,
  nextStages,
  openStages,
  type RecordFacts,
  type ReturnStage,
  registerQuery,
  returnLimits,
  stageDateField,
  stages,
  updatedDates,
} from "~/domain/returns/returns.rules";

describe("stage changes", () => {
  it.each<[ReturnStage, ReturnStage[]]>([
    ["arrived", ["readmission_requested", "deferred", "cancelled"]],
    ["readmission_requested", ["france_accepted", "france_refused", "deferred", "cancelled"]],
    ["france_accepted", ["removal_directions", "deferred", "cancelled"]],
    ["france_refused", ["cancelled"]],
    ["removal_directions", ["transferred", "deferred", "cancelled"]],
    ["transferred", []],
    ["deferred", ["readmission_requested", "removal_directions", "cancelled"]],
    ["cancelled", []],
  ])("from %s the return may move to %j and nowhere else", (from, allowed) => {
    expect([...nextStages(from)].sort()).toEqual([...allowed].sort());
    for (const to of stages) expect(canChange(from, to), `${from} → ${to}`).toBe(allowed.includes(to));
  });

  it("counts only a transferred return as completed", () => {
    expect(stages.filter(isCompleted)).toEqual(["transferred"]);
  });

  it("records the date of each stage in its own column; deferral and cancellation have none", () => {
    expect(stageDateField).toEqual({
      arrived: null,
      readmission_requested: "readmissionRequestedAt",
      france_accepted: "franceRespondedAt",
      france_refused: "franceRespondedAt",
      removal_directions: "removalDirectionsAt",
      transferred: "transferredAt",
      deferred: null,
      cancelled: null,
    });
  });

  it.each<[ReturnStage, ReturnStage, boolean]>([
    ["arrived", "transferred", true],
    ["arrived", "france_refused", true],
    ["readmission_requested", "removal_directions", true],
    ["deferred", "transferred", true],
    ["removal_directions", "cancelled", true],
    ["removal_directions", "deferred", true],
    // Backwards only through a deferral, which an import never infers.
    ["removal_directions", "france_accepted", false],
    ["france_accepted", "readmission_requested", false],
    ["france_refused", "transferred", false],
    ["transferred", "cancelled", false],
    ["cancelled", "arrived", false],
    ["arrived", "arrived", false],
  ])("an import may move %s to %s: %s", (from, to, expected) => {
    expect(canAdvance(from, to)).toBe(expected);
  });
});

describe("time limits", () => {
  const arrivalDay = "2026-03-01";
  const limit = (stage: ReturnStage, today: string, kind: "request" | "end") =>
    returnLimits({ stage, arrivalDay }, today).find((l) => l.kind === kind);

  it.each([
    ["2026-03-11", 4, "ok"],
    ["2026-03-12", 3, "due_soon"],
    ["2026-03-15", 0, "due_soon"],
    ["2026-03-16", -1, "overdue"],
  ])(
    "the readmission request is due 14 days after arrival: on %s, %i days left, %s",
    (today, daysLeft, state) => {
      expect(limit("arrived", today, "request")).toEqual({
        kind: "request",
        due: "2026-03-15",
        daysLeft,
        state,
      });
    },
  );

  it("stops counting the request limit once readmission is requested (or the return ends)", () => {
    for (const stage of stages.filter((s) => s !== "arrived"))
      expect(limit(stage, "2026-03-20", "request"), stage).toBeUndefined();
  });

  it.each([
    ["2026-05-17", 15, "ok"],
    ["2026-05-18", 14, "due_soon"],
    ["2026-06-01", 0, "due_soon"],
    ["2026-06-02", -1, "passed"],
  ])(
    "the transfer is due 3 calendar months after arrival: on %s, %i days left, %s",
    (today, daysLeft, state) => {
      expect(limit("removal_directions", today, "end")).toEqual({
        kind: "end",
        due: "2026-06-01",
        daysLeft,
        state,
      });
    },
  );

  it("applies the 3-month limit until the return is transferred, cancelled or refused by France", () => {
    expect(openStages).toEqual([
      "arrived",
      "readmission_requested",
      "france_accepted",
      "removal_directions",
      "deferred",
    ]);
    for (const stage of ["transferred", "cancelled", "france_refused"] as const)
      expect(returnLimits({ stage, arrivalDay }, "2026-09-01"), stage).toEqual([]);
  });

  it("lists the request limit first: it always comes before the 3-month limit", () => {
    expect(returnLimits({ stage: "arrived", arrivalDay }, "2026-03-02").map((l) => l.kind)).toEqual([
      "request",
      "end",
    ]);
  });

  it("adds calendar months as PostgreSQL does, the month's last day standing in", () => {
    expect(addMonths("2025-11-30", 3)).toBe("2026-02-28");
    expect(addMonths("2023-11-30", 3)).toBe("2024-02-29");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2026-10-15", 3)).toBe("2027-01-15");
  });

  it("gives the database the same answer as needsAttention, for every stage and arrival day", () => {
    const today = "2026-03-31";
    const { arrivedBy, endBy } = attentionBounds(today);
    for (let n = 0; n < 130; n++) {
      const day = addDays(today, -n);
      for (const stage of stages) {
        const bySql =
          (stage === "arrived" && day <= arrivedBy) ||
          (openStages.includes(stage) && addMonths(day, 3) <= endBy);
        expect(needsAttention({ stage, arrivalDay: day }, today), `${stage} ${day}`).toBe(bySql);
      }
    }
  });
});

describe("comparing an import line with the register", () => {
  const noDates = {
    readmissionRequestedAt: null,
    franceRespondedAt: null,
    removalDirectionsAt: null,
    transferredAt: null,
  };
  const record: RecordFacts = {
    identityHash: "id-1",
    documentHash: "doc-1",
    nationality: "ER",
    ageCategory: "adult",
    arrivalDay: "2026-01-05",
    stage: "removal_directions",
    dates: {
      ...noDates,
      readmissionRequestedAt: "2026-01-07",
      franceRespondedAt: "2026-01-15",
      removalDirectionsAt: "2026-01-20",
    },
    note: null,
    matched: false,
  };
  const line = (changes: Partial<LineFacts> = {}): LineFacts => ({
    identityHash: "id-1",
    documentHash: null,
    nationality: "ER",
    ageCategory: null,
    arrivalDay: "2026-01-05",
    stage: "removal_directions",
    dates: { ...noDates, removalDirectionsAt: "2026-01-20" },
    note: null,
    ...changes,
  });
  const transferred = (dates = {}) =>
    line({ stage: "transferred", dates: { ...noDates, transferredAt: "2026-02-01", ...dates } });

  it("is new when the person reference is not in the register", () => {
    expect(classifyLine(line(), undefined)).toEqual({ kind: "new" });
  });

  it("is unchanged when nothing it gives differs (empty values are not given)", () => {
    expect(classifyLine(line(), record)).toEqual({ kind: "unchanged" });
    expect(classifyLine(line({ documentHash: "doc-1", ageCategory: "adult" }), record)).toEqual({
      kind: "unchanged",
    });
  });

  it("is a conflict when it says something else at the same stage", () => {
    const conflict = { kind: "error", field: "person_ref", code: "conflict" };
    expect(classifyLine(line({ identityHash: "id-2" }), record)).toEqual(conflict);
    expect(classifyLine(line({ documentHash: "doc-2" }), record)).toEqual(conflict);
    expect(classifyLine(line({ arrivalDay: "2026-01-04" }), record)).toEqual(conflict);
    expect(classifyLine(line({ ageCategory: "accompanied_minor" }), record)).toEqual(conflict);
    expect(classifyLine(line({ dates: { ...noDates, removalDirectionsAt: "2026-01-21" } }), record)).toEqual(
      conflict,
    );
    expect(classifyLine(line({ note: "new" }), record)).toEqual(conflict);
  });

  it("is an update when it moves the return forward, keeping earlier dates", () => {
    expect(classifyLine(transferred(), record)).toEqual({ kind: "updated" });
    expect(classifyLine(transferred({ readmissionRequestedAt: "2026-01-07" }), record)).toEqual({
      kind: "updated",
    });
    expect(updatedDates(transferred(), record.dates)).toEqual({
      ...record.dates,
      transferredAt: "2026-02-01",
    });
    expect(classifyLine(transferred({ readmissionRequestedAt: "2026-01-08" }), record)).toMatchObject({
      code: "conflict",
    });
    expect(classifyLine(line({ stage: "cancelled", note: "Injunction", dates: noDates }), record)).toEqual({
      kind: "updated",
    });
  });

  it("takes the new stage's own date after a deferral: the request is made again", () => {
    const deferred = { ...record, stage: "deferred" as const, note: "Judicial review" };
    const again = line({
      stage: "readmission_requested",
      dates: { ...noDates, readmissionRequestedAt: "2026-02-10" },
    });
    expect(classifyLine(again, deferred)).toEqual({ kind: "updated" });
    expect(updatedDates(again, deferred.dates).readmissionRequestedAt).toBe("2026-02-10");
  });

  it("refuses a move the stages do not allow, and any move of a matched return", () => {
    expect(classifyLine(line({ stage: "france_accepted" }), record)).toEqual({
      kind: "error",
      field: "stage",
      code: "notAllowed",
    });
    const done = { ...record, stage: "transferred" as const, matched: true };
    expect(classifyLine(line({ stage: "cancelled", note: "x" }), done)).toEqual({
      kind: "error",
      field: "person_ref",
      code: "matched",
    });
  });
});

describe("the register's filters", () => {
  it("reads known filters from the query string and ignores the rest", () => {
    expect(
      registerQuery(new URLSearchParams("stage=deferred&attention=yes&page=3"), { ref: " R-1 " }),
    ).toEqual({
      stage: "deferred",
      attention: true,
      ref: "R-1",
      page: 3,
    });
    expect(registerQuery(new URLSearchParams("stage=lost&page=-2&attention=1"))).toEqual({
      attention: false,
      page: 1,
    });
  });

  it("never reads the person reference from the query string, only from the saved search", () => {
    expect(registerQuery(new URLSearchParams("ref=R-1"))).toEqual({ attention: false, page: 1 });
  });

  it("ignores a stage named like an object's own properties, and drops NUL from the reference", () => {
    // Both made the register answer 500 (tests/fuzz/actions.test.ts).
    expect(registerQuery(new URLSearchParams("stage=constructor"), { ref: "R\u0000-1" })).toEqual({
      attention: false,
      ref: "R-1",
      page: 1,
    });
    expect(registerQuery(new URLSearchParams(), { ref: "\u0000" })).toEqual({ attention: false, page: 1 });
  });
});
