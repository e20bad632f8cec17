import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { buttonClass } from '../components/ui/button.tsx';
import { authQueries } from '../features/auth/api.ts';
import { usePageTitle } from '../lib/use-page-title.ts';

const steps = [
  { title: 'Gather your crew', text: 'Create a group and share an invite link. Friends join in one click.' },
  { title: 'Drop your picks', text: 'Everyone suggests the games they feel like playing tonight.' },
  { title: 'Approve, live', text: 'Approve as many as you like. The tally updates for everyone as it happens.' },
  { title: 'Play', text: 'The most approved game wins. Ties are shown as ties, so you can settle them your way.' },
];

export function LandingPage() {
  usePageTitle('');
  const me = useQuery(authQueries.me()).data;
  return (
    <div className="space-y-10">
      <section className="space-y-5 pt-4 sm:pt-10">
        <h1 className="text-3xl font-extrabold tracking-tight sm:text-5xl">
          Stop arguing about <span className="text-indigo-700 dark:text-indigo-300">what to play.</span>
        </h1>
        <p className="max-w-2xl text-lg text-slate-700 dark:text-slate-300">
          QueueCrew is where your gaming group settles tonight’s game in a minute: everyone suggests, everyone approves, and the winner is
          clear before the first half hour is gone.
        </p>
        <div className="flex flex-wrap gap-3">
          {me ? (
            <Link to="/groups" className={buttonClass('primary')}>
              Open my groups
            </Link>
          ) : (
            <>
              <Link to="/register" className={buttonClass('primary')}>
                Create a free account
              </Link>
              <Link to="/sign-in" className={buttonClass('secondary')}>
                Sign in
              </Link>
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="how-title">
        <h2 id="how-title" className="mb-4 text-xl font-bold">
          How it works
        </h2>
        <ol className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {steps.map((s, i) => (
            <li key={s.title} className="rounded-xl border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
              <p className="text-sm font-bold text-indigo-700 dark:text-indigo-300">Step {i + 1}</p>
              <h3 className="font-bold">{s.title}</h3>
              <p className="mt-1 text-slate-700 dark:text-slate-300">{s.text}</p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
