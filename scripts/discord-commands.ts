/**
 * `npm run discord:commands`: registers QueueCrew's slash commands (/queuecrew link, /tonight, /suggest,
 * /rsvp) as global commands of the Discord application, with the client-credentials grant (scope
 * `applications.commands.update`): no bot token. Idempotent (a PUT of the whole list).
 * Reads DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET, DISCORD_APPLICATION_ID (and DISCORD_API_URL) through env.ts.
 */
import { ConfigError, loadConfig } from '../apps/server/src/env.ts';
import { registerCommands } from '../apps/server/src/features/discord-interactions/index.ts';

try {
  const config = loadConfig();
  const applicationId = config.discordInteractions?.applicationId;
  if (!config.discord || !applicationId) {
    console.error(
      'Set DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET, DISCORD_APPLICATION_ID and DISCORD_PUBLIC_KEY first (see docs/discord.md).',
    );
    process.exit(1);
  }
  const result = await registerCommands({
    apiUrl: config.discordApiUrl,
    applicationId,
    clientId: config.discord.clientId,
    clientSecret: config.discord.clientSecret,
  });
  console.log(`Registered ${result.registered.length} commands: ${result.registered.map((n) => `/${n}`).join(', ')}`);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `discord:commands failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
