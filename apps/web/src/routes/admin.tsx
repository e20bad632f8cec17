import { EventsPanel, RegistrationPanel, UsersPanel } from '../features/admin/components/admin-panels.tsx';
import { useMe } from '../features/auth/use-session.ts';
import { usePageTitle } from '../lib/use-page-title.ts';

export function AdminPage() {
  usePageTitle('Instance admin');
  const me = useMe();
  if (!me.isInstanceAdmin) {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-extrabold">Instance admin</h1>
        <p>This page is for the people who run this QueueCrew instance. If that is you, ask for your email to be added to ADMIN_EMAILS.</p>
      </div>
    );
  }
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-extrabold">Instance admin</h1>
      <RegistrationPanel />
      <UsersPanel meId={me.id} />
      <EventsPanel />
    </div>
  );
}
