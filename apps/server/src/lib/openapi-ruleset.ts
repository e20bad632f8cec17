/**
 * The Spectral ruleset the served OpenAPI document must pass with no error and no warning
 * (lib/openapi-lint.test.ts): `spectral:oas` (recommended) plus the OWASP API Security Top 10 2023
 * ruleset. Each change to them is here with its reason (docs/decisions/110-openapi-lint-exceptions.md);
 * nothing else may switch a rule off.
 */
import owaspRuleset from '@stoplight/spectral-owasp-ruleset';
import { oas } from '@stoplight/spectral-rulesets';
import type { RulesetDefinition } from '@stoplight/spectral-core';

const owasp = owaspRuleset as unknown as { rules: Record<string, Record<string, unknown>> };

/** What the server accepts: request bodies and parameters (path-level and operation-level). */
const requestTargets = (type: string) => [
  `$.paths[*][*].requestBody..[?(@ && @.type=="${type}")]`,
  `$.paths[*][*].requestBody..[?(@ && @.type && @.type.constructor.name === "Array" && @.type.includes("${type}"))]`,
  `$.paths[*].parameters[*]..[?(@ && @.type=="${type}")]`,
  `$.paths[*][*].parameters[*]..[?(@ && @.type=="${type}")]`,
  `$.paths[*][*].parameters[*]..[?(@ && @.type && @.type.constructor.name === "Array" && @.type.includes("${type}"))]`,
];

/** An OWASP rule kept as it is, but applied to what the server accepts only. */
const onRequests = (name: string, type: string) => ({ ...owasp.rules[name], given: requestTargets(type) });

export const ruleset = {
  extends: [
    [oas, 'recommended'],
    [owaspRuleset, 'recommended'],
  ],
  rules: {
    // Resource exhaustion (API4) is about input: the validation bounds every string, integer and array a
    // request carries, and these stay errors for requests. Response schemas describe data that passed
    // that validation (or that the server made), so the same bounds are not repeated on them.
    'owasp:api4:2023-string-limit': 'off',
    'qc:api4:request-string-limit': onRequests('owasp:api4:2023-string-limit', 'string'),
    'owasp:api4:2023-integer-limit': 'off',
    'qc:api4:request-integer-limit': onRequests('owasp:api4:2023-integer-limit', 'integer'),
    'owasp:api4:2023-array-limit': 'off',
    'qc:api4:request-array-limit': onRequests('owasp:api4:2023-array-limit', 'array'),
    // Free text (names, notes, messages) has no format or pattern; its maxLength is what bounds it.
    'owasp:api4:2023-string-restricted': 'off',
    // Same-origin only: the server sends no CORS headers at all (docs/decisions/030), so no origin is allowed.
    'owasp:api8:2023-define-cors-origin': 'off',
    // Instance admins sign in like everyone; every admin route re-checks the role in the database (decision 032).
    'owasp:api5:2023-admin-security-unique': 'off',
    // Every operation has a one-line summary; a description is added where the summary is not enough.
    'operation-description': 'off',
  },
} as unknown as RulesetDefinition;

/**
 * Single places where a rule does not fit, each with its reason. `path` matches the result's JSON path
 * joined with dots (e.g. `paths./healthz.get.responses`).
 */
const path = (p: string) => p.replace(/[/{}.]/g, (ch) => `\\${ch}`);
// The pattern is built from the constant path lists below (escaped), never from input.
// eslint-disable-next-line security/detect-non-literal-regexp
const at = (paths: string[], rest: string) => new RegExp(`^paths\\.(${paths.map(path).join('|')})\\.(get|post)\\.${rest}$`);

/** Sign-in and other entry points: no session exists yet, or the caller is not a browser with one. */
const PUBLIC_WRITES = ['/api/auth/register', '/api/auth/login', '/api/auth/logout', '/api/auth/discord/2fa', '/api/discord/interactions'];
const PUBLIC_READS = [
  '/api/auth/config',
  '/api/auth/discord',
  '/api/auth/discord/callback',
  '/api/calendar/{token}',
  '/api/invites/{code}',
];
/** Fixed answers with no input, no session and no rate limit: 400, 401 and 429 cannot happen there. */
const NO_INPUT = ['/healthz', '/readyz', '/metrics', '/api/privacy', '/api/auth/config'];
/** Outside /api: probes and scrapers, not rate-limited (and so no RateLimit headers). */
const PROBES = ['/healthz', '/readyz', '/metrics'];

/**
 * Single places where a rule does not fit, each with its reason. `path` matches the result's JSON path
 * joined with dots (e.g. `paths./healthz.get.responses`).
 */
export const exceptions: ReadonlyArray<{ rule: string; path: RegExp; reason: string }> = [
  {
    rule: 'owasp:api2:2023-no-credentials-in-url',
    path: /^paths\.\/api\/calendar\/\{token\}\.get\.parameters\.0\.name$/,
    reason: 'The calendar feed URL is a capability URL by design: calendar apps cannot send headers (docs/decisions/097).',
  },
  {
    rule: 'owasp:api2:2023-write-restricted',
    path: at(PUBLIC_WRITES, 'security'),
    reason: 'Registering, signing in and out, finishing a Discord sign-in and Discord’s signed interactions come without a session.',
  },
  {
    rule: 'owasp:api2:2023-read-restricted',
    path: at([...PUBLIC_READS, ...NO_INPUT.filter((p) => p !== '/metrics')], 'security'),
    reason: 'Public by purpose: sign-in options, the OAuth redirect and callback, invite previews, capability-URL feeds, probes.',
  },
  {
    rule: 'owasp:api8:2023-define-error-responses-401',
    path: at([...NO_INPUT, '/api/calendar/{token}'], 'responses'),
    reason: 'No session is read there: the answer cannot be 401 (a wrong feed token is 404).',
  },
  {
    rule: 'owasp:api8:2023-define-error-validation',
    path: at(NO_INPUT, 'responses'),
    reason: 'No parameters and no body: nothing there can be invalid input.',
  },
  {
    rule: 'owasp:api4:2023-rate-limit-responses-429',
    path: at(NO_INPUT, 'responses'),
    reason: 'No rate limit applies to these fixed public answers.',
  },
  {
    rule: 'owasp:api4:2023-rate-limit',
    path: at(PROBES, 'responses\\.\\d+'),
    reason: 'Probes and the metrics scrape sit outside /api and are not rate-limited, so no RateLimit headers are sent.',
  },
];
