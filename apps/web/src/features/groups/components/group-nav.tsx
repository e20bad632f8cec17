/** The group's tabs: Tonight (the group page), Library and Members; the current one is `aria-current="page"`. */
import { Link } from '@tanstack/react-router';
import type { Role } from '../../../lib/api-types.ts';

const tab =
  'inline-flex min-h-11 items-center rounded-lg border border-slate-400 bg-white px-4 text-sm font-semibold text-slate-900 no-underline hover:bg-slate-100 hover:no-underline dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800';
const active = {
  className:
    'border-indigo-700 bg-indigo-700 text-white hover:bg-indigo-800 dark:border-indigo-400 dark:bg-indigo-400 dark:text-slate-950 dark:hover:bg-indigo-300',
  'aria-current': 'page' as const,
};

export function GroupNav({ groupId, role }: { groupId: string; role: Role }) {
  return (
    <nav aria-label="Group" className="flex flex-wrap gap-2">
      <Link
        to="/groups/$groupId"
        params={{ groupId }}
        className={tab}
        activeProps={active}
        activeOptions={{ exact: true, includeSearch: false }}
      >
        Tonight
      </Link>
      <Link to="/groups/$groupId/library" params={{ groupId }} className={tab} activeProps={active}>
        Library
      </Link>
      <Link to="/groups/$groupId/members" params={{ groupId }} className={tab} activeProps={active}>
        {role === 'member' ? 'Members' : 'Members & invites'}
      </Link>
    </nav>
  );
}
