import { Link } from '@tanstack/react-router';
import { buttonClass } from '../components/ui/button.tsx';
import { GroupList } from '../features/groups/components/group-list.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

export function GroupsPage() {
  usePageTitle('My groups');
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-extrabold">My groups</h1>
        <Link to="/groups/new" className={buttonClass('primary')}>
          New group
        </Link>
      </div>
      <GroupList />
    </div>
  );
}
