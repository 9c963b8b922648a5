/**
 * Just enough HTML reading for renderToStaticMarkup output (no DOM in unit tests): the attributes
 * of opening tags (names lower-cased, as HTML reads them), found by id or class.
 */
export type Attrs = Record<string, string> & { tag: string };

export function openingTags(html: string): Attrs[] {
  return [...html.matchAll(/<([a-z][\w-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => {
    const attrs: Attrs = { tag: m[1] ?? "" };
    for (const a of (m[2] ?? "").matchAll(/([\w:-]+)(?:="([^"]*)")?/g))
      attrs[(a[1] ?? "").toLowerCase()] = a[2] ?? "";
    return attrs;
  });
}

/** The element with this id; throws when there is none, so a test fails with a clear message. */
export function byId(html: string, id: string): Attrs {
  const found = openingTags(html).find((a) => a.id === id);
  if (!found) throw new Error(`no element with id="${id}" in ${html}`);
  return found;
}

/** Every element carrying this class. */
export function byClass(html: string, className: string): Attrs[] {
  return openingTags(html).filter((a) => (a.class ?? "").split(" ").includes(className));
}
