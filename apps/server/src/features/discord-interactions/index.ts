/** What other features and the server may use from discord-interactions. */
// data.ts and commands.ts first: they import no other feature, so the groups feature (which shows
// `discordChannel` in its DTO) can load this module from either side of the import cycle.
export { DiscordChannelSchema, discordChannelDto, type DiscordChannelDto } from './data.ts';
export { COMMANDS, RegisterError, registerCommands, type RegisterResult } from './commands.ts';
export { discordInteractionsRouter } from './router.ts';
