/**
 * One request header, read from Node's parsed request when there is one.
 *
 * `c.req.header(name)` asks the WHATWG `Headers` of the request, which @hono/node-server builds on
 * first use from every raw header (validating and normalising each): for a request whose middleware
 * reads one or two headers that is most of their cost. This reads the same raw header list Node's
 * parser produced and answers what `Headers.get()` would: every value of that name, in order, joined
 * with ", " ("; " for Cookie), or undefined. Requests without a Node request behind them (tests through
 * `app.request()`) ask `c.req.header()`.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** `name` in lower case. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const raw = incoming?.rawHeaders;
  if (!raw) return c.req.header(name);
  // Repeated Cookie headers are joined with "; " (one cookie list), every other name with ", ".
  const separator = name === 'cookie' ? '; ' : ', ';
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name)
      value = value === undefined ? raw[i + 1]! : value + separator + raw[i + 1]!;
  }
  return value;
}
