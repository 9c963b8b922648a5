import { type ActionFunctionArgs, redirect } from "@remix-run/node";

/**
 * The yardstick of the HTTP benchmark (tests/bench/http.bench.ts): a POST action that reads its
 * form and redirects, doing nothing else, on the same server and middleware as the real pages.
 * It exists only in a server started with BENCH_ROUTES=1.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (process.env.BENCH_ROUTES !== "1") throw new Response("Not found", { status: 404 });
  await request.formData();
  return redirect("/healthz", 303);
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
