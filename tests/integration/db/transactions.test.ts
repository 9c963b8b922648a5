import { connect } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, postgresBaseUrl, type ScratchDatabase } from "../../support/db";

// postgres.js is patched (.patches/postgres+3.4.9.patch) to send a transaction's first queries
// right behind BEGIN instead of a round trip later, and statements issued together in one write.
// This checks the savings and that transactions mean what they did: skipped without DATABASE_URL
// locally, an error in CI (postgresBaseUrl).
const base = postgresBaseUrl();

describe.runIf(base)("transactions on PostgreSQL (patched BEGIN)", () => {
  let scratch: ScratchDatabase;
  let sql: postgres.Sql;
  let writes = 0;

  beforeAll(async () => {
    scratch = await createScratchDatabase(base as string, "transactions");
    const { hostname, port } = new URL(scratch.url);
    // `socket` is in postgres.js's documentation but not in its types.
    const options = {
      max: 2,
      onnotice: () => {},
      // Counts what the driver writes to the socket: one write per round trip.
      socket: () => {
        const socket = connect(Number(port || 5432), hostname);
        const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
        socket.write = ((...args: unknown[]) => {
          writes += 1;
          return write(...args);
        }) as typeof socket.write;
        return socket;
      },
    };
    sql = postgres(scratch.url, options as postgres.Options<Record<string, never>>);
    await sql`create table items (id int primary key, note text)`;
  });

  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await scratch?.drop();
  });

  it("sends BEGIN and the first queries in one write: two round trips for a one-query transaction", async () => {
    await sql.begin((tx) => tx`select 1`); // connections open and types fetched
    writes = 0;
    await sql.begin((tx) => tx`insert into items values (100, 'one trip')`);
    expect(writes).toBe(2); // begin + insert, then commit
    expect(await sql`select note from items where id = 100`).toEqual([{ note: "one trip" }]);
  });

  it("sends statements issued together in one write, however long they are together", async () => {
    const note = "x".repeat(600); // three of them pass the 1 KB where postgres.js used to flush
    const insertThree = (ids: number[]) =>
      sql.begin(async (tx) => {
        await tx`select 1`;
        await Promise.all(ids.map((id) => tx`insert into items values (${id}, ${note})`));
      });
    await insertThree([91, 92, 93]); // the statements are prepared on the connection
    writes = 0;
    await insertThree([101, 102, 103]);
    expect(writes).toBe(3); // begin + select, the three inserts, commit
    expect(await sql`select count(*)::int as n from items where id between 101 and 103`).toEqual([{ n: 3 }]);
  });

  it("runs everything inside the transaction, and rolls it all back on an error", async () => {
    const [inside] = await sql.begin(
      // now() is the transaction's start: it differs from the statement's time only inside one.
      (tx) => tx`select pg_sleep(0.01), now() <> statement_timestamp() as inside`,
    );
    expect(inside?.inside).toBe(true);
    await expect(
      sql.begin(async (tx) => {
        await tx`insert into items values (1, 'kept only if all succeed')`;
        await tx`insert into items values (1, 'duplicate')`;
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await sql`select id from items where id = 1`).toEqual([]);
  });

  it("queues more transactions than connections, each on its own connection, in isolation", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sql.begin(async (tx) => {
          await tx`insert into items values (${200 + i}, ${`t${i}`})`;
          const [row] = await tx<{ n: number }[]>`select count(*)::int as n from items where id = ${200 + i}`;
          return row?.n;
        }),
      ),
    );
    expect(results).toEqual(Array(30).fill(1));
    const [{ n } = { n: 0 }] = await sql<
      { n: number }[]
    >`select count(*)::int as n from items where id >= 200`;
    expect(n).toBe(30);
  });

  it("fails the whole transaction, writing nothing, when its connection is cut mid-way", async () => {
    await expect(
      sql.begin(async (tx) => {
        await tx`insert into items values (2, 'lost with the connection')`;
        await tx`select pg_terminate_backend(pg_backend_pid())`;
      }),
    ).rejects.toThrow();
    expect(await sql`select id from items where id = 2`).toEqual([]);
    // The pool opens a new connection for the next transaction.
    expect(await sql.begin((tx) => tx`select 1 as ok`)).toEqual([{ ok: 1 }]);
  });
});
