import { Link } from '@tanstack/react-router';
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
        <p>This page is for the instance administrator: the person who runs this QueueCrew server.</p>
        <p>
          <Link to="/groups">Back to my groups</Link>
        </p>
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
