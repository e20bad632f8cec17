/** The group's tabs: Tonight (the group page), Library and Members; the current one is `aria-current="page"`. */
import { Link } from '@tanstack/react-router';
import type { Role } from '../../../lib/api-types.ts';

const base = 'inline-flex min-h-11 items-center rounded-lg border px-4 text-sm font-semibold no-underline hover:no-underline';
const idle =
  'border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800';
const current =
  'border-indigo-700 bg-indigo-700 text-white hover:bg-indigo-800 dark:border-indigo-400 dark:bg-indigo-400 dark:text-slate-950 dark:hover:bg-indigo-300';

type Tab = 'tonight' | 'library' | 'members';

export function GroupNav({ groupId, role, tab }: { groupId: string; role: Role; tab: Tab }) {
  // Classes by the tab this page is (not the router's activeProps, which would append conflicting colours).
  const props = (t: Tab) => ({
    className: `${base} ${t === tab ? current : idle}`,
    'aria-current': t === tab ? ('page' as const) : undefined,
  });
  return (
    <nav aria-label="Group" className="flex flex-wrap gap-2">
      <Link to="/groups/$groupId" params={{ groupId }} {...props('tonight')}>
        Tonight
      </Link>
      <Link to="/groups/$groupId/library" params={{ groupId }} {...props('library')}>
        Library
      </Link>
      <Link to="/groups/$groupId/members" params={{ groupId }} {...props('members')}>
        {role === 'member' ? 'Members' : 'Members & invites'}
      </Link>
    </nav>
  );
}
