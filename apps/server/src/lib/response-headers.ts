/**
 * The headers of a finished response, for middleware that reads or adds headers after `next()`.
 *
 * @hono/node-server's lightweight `Response` keeps a string or byte body together with the headers it
 * was given (for `c.json()`, `c.text()` and `c.html()` a plain object such as
 * `{ 'Content-Type': 'application/json' }`) and writes them with one `writeHead` + `end`. Reading
 * `res.headers` turns that object into a WHATWG `Headers`, whose `set` validates and normalises every
 * value and whose iteration sorts the list again when the response is written: a dozen security headers
 * through it cost more than the rest of a small request's headers work (bench `healthz GET`,
 * docs/decisions/119-fixed-per-request-cost.md). While the response still holds such a plain object,
 * `responseHeaders()` edits it directly (a copy with lower-case names, as `Headers` would send them);
 * every other response (one whose `Headers` already exists, a native `Response`, tests through
 * `app.request()`) is edited through `res.headers` exactly as before.
 */

export interface HeaderEditor {
  get(name: string): string | null;
  has(name: string): boolean;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** Header names in lower case (as they go on the wire) with their values: a list made once, set in order. */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

type HeaderRecord = Record<string, string | string[]>;
type Cached = [status: number, body: unknown, headers: unknown];

/** The lightweight response's own cache slot (`[status, body, headers]`), found on the first such response. */
let cacheSymbol: symbol | undefined;
/** Records this module made (lower-case names, owned by one response): edited in place, never copied again. */
const owned = new WeakSet<object>();

function cacheOf(res: Response): Cached | undefined {
  if (cacheSymbol !== undefined) {
    const cached = (res as unknown as Record<symbol, unknown>)[cacheSymbol];
    return Array.isArray(cached) ? (cached as Cached) : undefined;
  }
  for (const s of Object.getOwnPropertySymbols(res)) {
    const value = (res as unknown as Record<symbol, unknown>)[s];
    if (s.description === 'cache' && Array.isArray(value) && value.length === 3 && typeof value[0] === 'number') {
      cacheSymbol = s;
      return value as Cached;
    }
  }
  return undefined;
}

function isPlainRecord(value: unknown): value is HeaderRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

class RecordEditor implements HeaderEditor {
  constructor(private readonly record: HeaderRecord) {}
  get(name: string): string | null {
    const v = this.record[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.record[name.toLowerCase()] !== undefined;
  }
  set(name: string, value: string): void {
    this.record[name.toLowerCase()] = value;
  }
  delete(name: string): void {
    delete this.record[name.toLowerCase()];
  }
  setAll(list: HeaderList): void {
    for (let i = 0; i < list.length; i++) {
      const [name, value] = list[i]!;
      this.record[name] = value;
    }
  }
}

/**
 * Sets every header of `list` (lower-case names) on `h`, as `h.set()` one by one would. On the plain
 * record the names are used as they are: no lower-casing and no fresh property-name strings per response.
 */
export function setHeaders(h: HeaderEditor, list: HeaderList): void {
  if (h instanceof RecordEditor) h.setAll(list);
  else for (const [name, value] of list) h.set(name, value);
}

/** An editor for `res`'s headers; changes reach the wire exactly as `res.headers.set()` would make them. */
export function responseHeaders(res: Response): HeaderEditor {
  const cached = cacheOf(res);
  if (cached) {
    const given = cached[2];
    if (given !== undefined && owned.has(given as object)) return new RecordEditor(given as HeaderRecord);
    if (given === undefined || given === null || isPlainRecord(given)) {
      const record: HeaderRecord = {};
      if (given)
        for (const k in given) {
          const v = given[k];
          if (v === undefined) continue;
          const key = k.toLowerCase();
          const prev = record[key];
          // Two spellings of one name: `Headers` would have kept both values, joined.
          record[key] = prev === undefined ? v : `${Array.isArray(prev) ? prev.join(', ') : prev}, ${Array.isArray(v) ? v.join(', ') : v}`;
        }
      // The content type @hono/node-server sends when a response names none (`res.headers` and its writer).
      record['content-type'] ??= 'text/plain; charset=UTF-8';
      owned.add(record);
      cached[2] = record;
      return new RecordEditor(record);
    }
  }
  return res.headers;
}
