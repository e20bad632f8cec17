import { Link } from '@tanstack/react-router';
import { CreateGroupForm } from '../features/groups/components/create-group-form.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

export function NewGroupPage() {
  usePageTitle('New group');
  return (
    <div className="space-y-5">
      <Link to="/groups" className="inline-flex min-h-11 items-center">
        ← My groups
      </Link>
      <h1 className="text-2xl font-extrabold">Create a group</h1>
      <CreateGroupForm />
    </div>
  );
}
