// A rendered page travels from entry.server.tsx to the HTTP server as one buffer beside its
// Response, not as a web stream: the server answers with a single write and a Content-Length,
// without the stream machinery that cost a tenth of a page's CPU (decision 022).

const bodies = new WeakMap<Response, Buffer>();

/** A page's Response (status and headers) whose body is `html`, for `documentBody` to send. */
export function documentResponse(html: Buffer, init: ResponseInit): Response {
  const response = new Response(null, init);
  bodies.set(response, html);
  return response;
}

/** The page rendered for this Response, if it is one from `documentResponse`. */
export const documentBody = (response: Response): Buffer | undefined => bodies.get(response);
