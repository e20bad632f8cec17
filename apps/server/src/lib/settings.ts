/** Instance settings that instance admins change at run time; the environment gives the defaults. */
import { eq } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../db/client.ts';
import type { Services } from './context.ts';

export type RegistrationPolicy = 'open' | 'invite-only' | 'closed';

export async function getRegistrationPolicy(services: Services): Promise<RegistrationPolicy> {
  const row = await services.database.db
    .select({ value: schema.appSettings.value })
    .from(schema.appSettings)
    .where(eq(schema.appSettings.key, 'registration'))
    .get();
  const v = row?.value;
  return v === 'open' || v === 'invite-only' || v === 'closed' ? v : services.config.registration;
}

export async function setSetting(db: Db | Tx, key: string, value: string): Promise<void> {
  await db
    .insert(schema.appSettings)
    .values({ key, value, updatedAt: new Date() })
    .onConflictDoUpdate({ target: schema.appSettings.key, set: { value, updatedAt: new Date() } });
}
