import { lt, sql } from "drizzle-orm";
import { rateLimits } from "../../db/schema";
import { db, type Executor, rowsOf } from "./db.server";

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets. */
  retryAfter: number;
}

/**
 * Fixed-window counter in the database, so every instance behind a load balancer shares it.
 * One upsert per hit: the window restarts when it has ended. In a caller's transaction
 * (`executor`), the hit counts only if that transaction commits.
 */
export async function hitRateLimit(
  key: string,
  limit: number,
  windowSeconds: number,
  executor: Executor = db(),
): Promise<RateLimitResult> {
  const [row] = await rowsOf<{ count: number; window_ends_at: string | Date }>(
    executor,
    sql`
    insert into ${rateLimits} (key, count, window_ends_at)
    values (${key}, 1, now() + make_interval(secs => ${windowSeconds}))
    on conflict (key) do update set
      count = case when ${rateLimits.windowEndsAt} <= now() then 1 else ${rateLimits.count} + 1 end,
      window_ends_at = case when ${rateLimits.windowEndsAt} <= now()
        then now() + make_interval(secs => ${windowSeconds}) else ${rateLimits.windowEndsAt} end
    returning count, window_ends_at`,
  );
  if (!row) throw new Error("rate limit upsert returned no row");
  const endsAt = new Date(row.window_ends_at).getTime();
  return { allowed: row.count <= limit, retryAfter: Math.max(1, Math.ceil((endsAt - Date.now()) / 1000)) };
}

export async function purgeExpiredRateLimits(): Promise<void> {
  await db().delete(rateLimits).where(lt(rateLimits.windowEndsAt, new Date()));
}
