/**
 * The application commands and their registration (`npm run discord:commands`). Registration uses the
 * OAuth2 client-credentials grant with the `applications.commands.update` scope, so QueueCrew never needs
 * or stores a bot token, and a PUT of the whole list (bulk overwrite): running it again changes nothing.
 */

const STRING = 3;
const SUB_COMMAND = 1;
/** Commands work in servers only (contexts: guild), installed to the server (integration type 0). */
const guildOnly = { contexts: [0], integration_types: [0] };

export const COMMANDS = [
  {
    name: 'queuecrew',
    description: 'QueueCrew settings for this channel',
    type: 1,
    ...guildOnly,
    options: [
      {
        type: SUB_COMMAND,
        name: 'link',
        description: 'Link this channel to a QueueCrew group (needs Manage Server)',
        options: [{ type: STRING, name: 'code', description: 'The link code from the group settings', required: true, max_length: 32 }],
      },
    ],
  },
  { name: 'tonight', description: "Show tonight's game night: suggestions, votes and who's in", type: 1, ...guildOnly },
  {
    name: 'suggest',
    description: 'Suggest a game for tonight',
    type: 1,
    ...guildOnly,
    options: [{ type: STRING, name: 'game', description: 'The game', required: true, autocomplete: true, max_length: 100 }],
  },
  {
    name: 'rsvp',
    description: 'Are you in tonight?',
    type: 1,
    ...guildOnly,
    options: [
      {
        type: STRING,
        name: 'status',
        description: 'Your answer',
        required: true,
        choices: [
          { name: "I'm in", value: 'in' },
          { name: 'Maybe', value: 'maybe' },
          { name: "I'm out", value: 'out' },
        ],
      },
    ],
  },
] as const;

export interface RegisterOptions {
  apiUrl: string;
  applicationId: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
}

export interface RegisterResult {
  registered: string[];
}

export class RegisterError extends Error {}

/** Gets a client-credentials token and overwrites the global commands with COMMANDS. */
export async function registerCommands(options: RegisterOptions): Promise<RegisterResult> {
  const doFetch = options.fetch ?? fetch;
  const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
  const tokenRes = await doFetch(`${options.apiUrl}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'applications.commands.update' }).toString(),
    redirect: 'error',
  });
  if (!tokenRes.ok)
    throw new RegisterError(`The token request failed (${tokenRes.status}): check DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET.`);
  const token = (await tokenRes.json()) as { access_token?: unknown; scope?: unknown };
  if (typeof token.access_token !== 'string') throw new RegisterError('The token response had no access_token.');
  const putRes = await doFetch(`${options.apiUrl}/applications/${encodeURIComponent(options.applicationId)}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify(COMMANDS),
    redirect: 'error',
  });
  if (!putRes.ok) throw new RegisterError(`Registering the commands failed (${putRes.status}): is DISCORD_APPLICATION_ID right?`);
  const list = (await putRes.json()) as Array<{ name?: unknown }>;
  return { registered: list.map((c) => String(c.name)) };
}
