/** What other features and the server may use from discord-interactions. */
export { DiscordChannelSchema, discordChannelDto, type DiscordChannelDto } from './data.ts';
export { COMMANDS, RegisterError, registerCommands, type RegisterResult } from './commands.ts';
