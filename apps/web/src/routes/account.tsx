import { CalendarSection } from '../features/account/components/calendar-section.tsx';
import { ActivitySection, DeleteAccountSection, ExportSection } from '../features/account/components/data-section.tsx';
import { DiscordSection } from '../features/account/components/discord-section.tsx';
import { PasswordSection } from '../features/account/components/password-section.tsx';
import { ProfileSection } from '../features/account/components/profile-section.tsx';
import { SessionsSection } from '../features/account/components/sessions-section.tsx';
import { TwoFactorSection } from '../features/account/components/two-factor-section.tsx';
import { useMe } from '../features/auth/use-session.ts';
import { PushSection } from '../features/push/components/push-section.tsx';
import { SteamSection } from '../features/steam/components/steam-section.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';
import { getRouteApi } from '@tanstack/react-router';

const route = getRouteApi('/authed/account');

export function AccountPage() {
  usePageTitle('Account');
  const me = useMe();
  const { error } = route.useSearch();
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-extrabold">Your account</h1>
      <ProfileSection key={me.username} me={me} />
      <DiscordSection me={me} />
      <SteamSection me={me} linkError={error} />
      <PasswordSection me={me} />
      <TwoFactorSection me={me} />
      <CalendarSection />
      <PushSection />
      <SessionsSection />
      <ActivitySection />
      <ExportSection />
      <DeleteAccountSection me={me} />
    </div>
  );
}
