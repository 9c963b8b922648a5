/**
 * The matching queue's priority policy (decision 015), applied at approval:
 * 0. vulnerability recorded by the caseworker who approved;
 * 1. family in the UK;
 * 2. lived in the UK before, or visited it;
 * 3. everyone else.
 * Within a band, the earliest submission first; a family takes its best member's band and its
 * earliest submission.
 */
export const PRIORITY_BANDS = [0, 1, 2, 3] as const;

export function matchPriority(
  answers: { ukFamily?: unknown; livedInUk?: unknown; visitedUk?: unknown },
  vulnerable: boolean,
): number {
  if (vulnerable) return 0;
  if (answers.ukFamily === "yes") return 1;
  if (answers.livedInUk === "yes" || answers.visitedUk === "yes") return 2;
  return 3;
}
