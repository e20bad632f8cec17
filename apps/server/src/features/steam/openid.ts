/**
 * Steam sign-in is OpenID 2.0 (Steam offers nothing else). An assertion arriving at our callback is a
 * claim by the browser, not by Steam: it is trusted only after Steam itself confirms it by
 * `check_authentication` at the configured endpoint, and after every field we rely on has been checked —
 * the endpoint that signed it, our exact return_to with our state, the Steam id format (claimed_id =
 * identity), that those fields are covered by the signature, and a response nonce from the last 5 minutes
 * (its single use is enforced by the caller, in the database).
 */
export const OPENID_NS = 'http://specs.openid.net/auth/2.0';
const IDENTIFIER_SELECT = 'http://specs.openid.net/auth/2.0/identifier_select';
const STEAM_ID = /^https:\/\/steamcommunity\.com\/openid\/id\/(\d{17})$/;
const NONCE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)[\x21-\x7e]{0,200}$/;
/** The fields whose values we act on: each must be covered by the signature. */
const MUST_BE_SIGNED = ['op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'assoc_handle'];
export const NONCE_MAX_AGE_MS = 5 * 60_000;
const CHECK_TIMEOUT_MS = 10_000;

export interface SteamSettings {
  openidUrl: string;
  realm: string;
  returnTo: string;
}

/** Why a callback was refused; the user lands on `/account?error=steam_<reason>`. */
export type SteamRefusal = 'denied' | 'invalid' | 'expired' | 'state' | 'replayed' | 'unavailable' | 'in_use' | 'signed_out';

export class SteamRefused extends Error {
  constructor(readonly reason: SteamRefusal) {
    super(`steam openid refused: ${reason}`);
    this.name = 'SteamRefused';
  }
}

/** Our return_to for one state: the exact string the assertion must carry back. */
export function returnToFor(settings: SteamSettings, state: string): string {
  return `${settings.returnTo}?state=${encodeURIComponent(state)}`;
}

/** The `checkid_setup` redirect to Steam. */
export function loginUrl(settings: SteamSettings, state: string): string {
  const url = new URL(settings.openidUrl);
  url.searchParams.set('openid.ns', OPENID_NS);
  url.searchParams.set('openid.mode', 'checkid_setup');
  url.searchParams.set('openid.return_to', returnToFor(settings, state));
  url.searchParams.set('openid.realm', settings.realm);
  url.searchParams.set('openid.identity', IDENTIFIER_SELECT);
  url.searchParams.set('openid.claimed_id', IDENTIFIER_SELECT);
  return url.toString();
}

export interface VerifiedAssertion {
  steamId: string;
  nonce: string;
}

/**
 * Checks an assertion (the callback's query) and asks Steam to confirm it. Throws `SteamRefused`; returns
 * the Steam id and the response nonce (for the caller's single-use record) only when everything holds.
 */
export async function verifyAssertion(
  settings: SteamSettings,
  query: Record<string, string>,
  state: string,
  now: Date,
  fetchImpl: typeof fetch = fetch,
): Promise<VerifiedAssertion> {
  const p = (name: string) => query[`openid.${name}`];
  if (p('mode') === 'cancel') throw new SteamRefused('denied');
  if (p('mode') !== 'id_res' || p('ns') !== OPENID_NS) throw new SteamRefused('invalid');
  // Signed by the endpoint we trust, for exactly our return_to (which carries our state).
  if (p('op_endpoint') !== settings.openidUrl) throw new SteamRefused('invalid');
  if (p('return_to') !== returnToFor(settings, state)) throw new SteamRefused('invalid');
  const claimed = p('claimed_id');
  const match = claimed ? STEAM_ID.exec(claimed) : null;
  if (!match || p('identity') !== claimed) throw new SteamRefused('invalid');
  const signed = new Set((p('signed') ?? '').split(','));
  if (!MUST_BE_SIGNED.every((f) => signed.has(f)) || !p('sig')) throw new SteamRefused('invalid');
  const nonce = p('response_nonce') ?? '';
  const nonceMatch = NONCE.exec(nonce);
  if (!nonceMatch) throw new SteamRefused('invalid');
  const issued = Date.parse(nonceMatch[1]!);
  if (Number.isNaN(issued) || Math.abs(now.getTime() - issued) > NONCE_MAX_AGE_MS) throw new SteamRefused('expired');

  // Only Steam can say whether it signed this: check_authentication with every openid.* field as received.
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (k.startsWith('openid.') && k !== 'openid.mode') body.set(k, v);
  body.set('openid.mode', 'check_authentication');
  let text: string;
  try {
    const res = await fetchImpl(settings.openidUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    if (!res.ok) throw new SteamRefused('unavailable');
    text = (await res.text()).slice(0, 4096);
  } catch (e) {
    if (e instanceof SteamRefused) throw e;
    throw new SteamRefused('unavailable');
  }
  const valid = text.split('\n').some((line) => line.trim() === 'is_valid:true');
  if (!valid) throw new SteamRefused('invalid');
  return { steamId: match[1]!, nonce };
}
