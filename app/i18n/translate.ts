/**
 * The pages' translation function: the small part of i18next's behaviour this service uses, so
 * the browser does not download i18next (14.6 KB gzip) and the page stays within its weight
 * budget. The server renders pages with it too, from the same locale files, so what it renders is
 * what hydration expects; i18next makes the texts built on the server alone (emails, SMS, CSV).
 *
 * Supported: "ns:a.b.c" keys with a default namespace, {{name}} interpolation (no escaping: React
 * escapes), `defaultValue` and `returnObjects`. No plurals: the locale files avoid them, so every
 * language keeps the same keys (tests/unit/i18n/locale-parity.test.ts).
 */
export type Resources = Record<string, Record<string, unknown>>;
export type TOptions = Record<string, unknown> & {
  defaultValue?: string;
  returnObjects?: boolean;
};
export type TFunction = (key: string, options?: TOptions) => string;

function lookup(tree: unknown, path: string): unknown {
  let node = tree;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const interpolate = (text: string, values: TOptions) =>
  text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (match, name: string) => {
    const value = values[name];
    return value === undefined || value === null ? match : String(value);
  });

export function makeT(resources: Resources, defaultNs: string): TFunction {
  return (key, options = {}) => {
    const at = key.indexOf(":");
    const ns = at > 0 ? key.slice(0, at) : defaultNs;
    const path = at > 0 ? key.slice(at + 1) : key;
    const value = lookup(resources[ns], path);
    if (value !== undefined && typeof value !== "string")
      return (options.returnObjects ? value : key) as string;
    if (typeof value !== "string") return options.defaultValue ?? key;
    return interpolate(value, options);
  };
}
