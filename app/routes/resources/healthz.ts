import { databaseHandle } from "~/.server/db.server";

/** For load balancers: 200 when the database answers within 2 s, 503 otherwise. */
export async function loader() {
  const started = Date.now();
  try {
    await Promise.race([
      databaseHandle().ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2_000)),
    ]);
    return Response.json({ status: "ok", database: "up", ms: Date.now() - started }, { headers: noStore });
  } catch {
    return Response.json({ status: "unavailable", database: "down" }, { status: 503, headers: noStore });
  }
}

const noStore = { "Cache-Control": "no-store" };
