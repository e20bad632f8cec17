/**
 * The group's pages as one navigation: Tonight (the group page), Library, Stats, Members, Invites
 * and Settings; the current one is `aria-current="page"`.
 */
import { Link } from '@tanstack/react-router';

const base = 'inline-flex min-h-11 items-center rounded-lg border px-4 text-sm font-semibold no-underline hover:no-underline';
const idle =
  'border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800';
const current =
  'border-indigo-700 bg-indigo-700 text-white hover:bg-indigo-800 dark:border-indigo-400 dark:bg-indigo-400 dark:text-slate-950 dark:hover:bg-indigo-300';

export type GroupTab = 'tonight' | 'library' | 'stats' | 'members' | 'invites' | 'settings';

export function GroupNav({ groupId, tab }: { groupId: string; tab: GroupTab }) {
  // Classes by the tab this page is (not the router's activeProps, which would append conflicting colours).
  const props = (t: GroupTab) => ({
    className: `${base} ${t === tab ? current : idle}`,
    'aria-current': t === tab ? ('page' as const) : undefined,
  });
  return (
    <nav aria-label="Group pages" className="flex flex-wrap gap-2">
      <Link to="/groups/$groupId" params={{ groupId }} {...props('tonight')}>
        Tonight
      </Link>
      <Link to="/groups/$groupId/library" params={{ groupId }} {...props('library')}>
        Library
      </Link>
      <Link to="/groups/$groupId/stats" params={{ groupId }} {...props('stats')}>
        Stats
      </Link>
      <Link to="/groups/$groupId/members" params={{ groupId }} {...props('members')}>
        Members
      </Link>
      <Link to="/groups/$groupId/invites" params={{ groupId }} {...props('invites')}>
        Invites
      </Link>
      <Link to="/groups/$groupId/settings" params={{ groupId }} {...props('settings')}>
        Settings
      </Link>
    </nav>
  );
}
