import { describe, expect, it } from "vitest";
import { loader } from "~/routes/resources/healthz";
import { setupTestDatabase } from "../../support/db";

const database = setupTestDatabase("healthz");

describe("/healthz", () => {
  it("answers 200 while the database answers", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok", database: "up" });
  });

  it("answers 503 once the database is gone", async () => {
    await database.close();
    const response = await loader();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", database: "down" });
  });
});
