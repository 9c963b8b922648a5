// PLACEHOLDER: replaced by the helper that owns this route.
export const loader = () => new Response("Not found", { status: 404 });
