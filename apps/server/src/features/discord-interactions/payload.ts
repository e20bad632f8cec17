/**
 * The parts of Discord's interaction payload we read (https://discord.com/developers/docs/interactions/
 * receiving-and-responding), validated; everything else Discord sends is ignored (not a strict object:
 * Discord adds fields whenever it likes). A payload that does not fit is a 400 without side effects.
 */
import { z } from 'zod';

export const InteractionType = { PING: 1, COMMAND: 2, COMPONENT: 3, AUTOCOMPLETE: 4 } as const;
export const ResponseType = { PONG: 1, MESSAGE: 4, UPDATE_MESSAGE: 7, AUTOCOMPLETE_RESULT: 8 } as const;
export const EPHEMERAL = 64;
/** Manage Server (MANAGE_GUILD), the permission `/queuecrew link` requires. */
export const MANAGE_GUILD = 0x20n;

const snowflake = z.string().regex(/^\d{1,20}$/);

const userSchema = z.object({
  id: snowflake,
  username: z.string().min(1).max(64),
  global_name: z.string().max(64).nullish(),
  avatar: z.string().max(64).nullish(),
});

interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  focused?: boolean | undefined;
  options?: CommandOption[] | undefined;
}

const optionSchema: z.ZodType<CommandOption> = z.lazy(() =>
  z.object({
    name: z.string().max(32),
    type: z.number().int(),
    value: z.union([z.string().max(200), z.number(), z.boolean()]).optional(),
    focused: z.boolean().optional(),
    options: z.array(optionSchema).max(25).optional(),
  }),
);

export const interactionSchema = z.object({
  id: snowflake,
  type: z.number().int(),
  application_id: snowflake.optional(),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  /** In a guild: the member, with their permissions in this channel as a decimal bit set. */
  member: z.object({ user: userSchema, permissions: z.string().regex(/^\d{1,40}$/) }).optional(),
  /** In a DM: the user. */
  user: userSchema.optional(),
  data: z
    .object({
      name: z.string().max(32).optional(),
      options: z.array(optionSchema).max(25).optional(),
      custom_id: z.string().max(100).optional(),
      component_type: z.number().int().optional(),
    })
    .optional(),
});
export type Interaction = z.infer<typeof interactionSchema>;
export type InteractionUser = z.infer<typeof userSchema>;

/** The options of the command, flattened through sub-commands: name → value. */
export function optionsOf(interaction: Interaction): { path: string[]; values: Map<string, CommandOption> } {
  const path: string[] = [];
  let options = interaction.data?.options ?? [];
  // Sub-command (1) and sub-command group (2) options nest the real options one level down.
  for (;;) {
    const sub = options.find((o) => o.type === 1 || o.type === 2);
    if (!sub) break;
    path.push(sub.name);
    options = sub.options ?? [];
  }
  return { path, values: new Map(options.map((o) => [o.name, o])) };
}

/** Whether a decimal permission string includes `bit` (BigInt: the set is wider than 53 bits). */
export function hasPermission(permissions: string | undefined, bit: bigint): boolean {
  if (permissions === undefined || !/^\d{1,40}$/.test(permissions)) return false;
  return (BigInt(permissions) & bit) === bit;
}
