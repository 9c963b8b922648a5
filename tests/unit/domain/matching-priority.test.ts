import { describe, expect, it } from "vitest";
import { matchPriority } from "~/domain/matching/priority";

describe("the matching queue's priority band (decision 015)", () => {
  it.each([
    [{}, true, 0],
    [{ ukFamily: "yes", livedInUk: "yes", visitedUk: "yes" }, true, 0],
    [{ ukFamily: "yes" }, false, 1],
    [{ ukFamily: "yes", visitedUk: "yes" }, false, 1],
    [{ ukFamily: "no", livedInUk: "yes" }, false, 2],
    [{ ukFamily: "no", livedInUk: "no", visitedUk: "yes" }, false, 2],
    [{ ukFamily: "no", livedInUk: "no", visitedUk: "no" }, false, 3],
    [{}, false, 3],
  ])("%j, vulnerable %s: band %i", (answers, vulnerable, band) => {
    expect(matchPriority(answers, vulnerable)).toBe(band);
  });
});
