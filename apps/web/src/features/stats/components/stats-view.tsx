/**
 * The Stats tab of a group: a date range (default the last 90 days), the nights held, charts of games by
 * wins and of each member's nights in / suggestions / approvals / picks won (plain SVG, each with a title,
 * a description and a data table beside it), and a CSV download of each table made in the browser.
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card, ErrorState } from '../../../components/ui/card.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import type { GroupDetail, GroupStats } from '@queuecrew/shared';
import { formatDay, todayIn } from '../../../lib/dates.ts';
import { csvFilename, defaultRange, downloadCsv, rangeErrors, statsQueries, toCsv } from '../api.ts';
import { streaksOf, type Streak } from '../streaks.ts';
import { BarChart } from './bar-chart.tsx';

const th = 'border-b border-slate-300 px-2 py-1 text-left font-semibold dark:border-slate-700';
const td = 'border-b border-slate-200 px-2 py-1 dark:border-slate-800';
const num = `${td} text-right tabular-nums`;

const MEMBER_COLUMNS = [
  ['nightsIn', 'Nights in'],
  ['suggestions', 'Suggestions'],
  ['approvals', 'Approvals'],
  ['picksWon', 'Picks won'],
] as const;

function streakText(s: Streak): string {
  return `${s.gameName}: ${s.nights} nights in a row, ${formatDay(s.from)} to ${formatDay(s.to)}`;
}

/** The current streak (up to the latest closed night of the range) and the longest of the range. */
function Streaks({ groupId, from, to }: { groupId: string; from: string; to: string }) {
  const history = useQuery({ ...statsQueries.history(groupId, from, to), staleTime: 60_000 });
  if (history.isPending) return <Loading label="Loading the streaks…" />;
  if (history.isError)
    return <ErrorState error={history.error} onRetry={() => void history.refetch()} title="Could not load the streaks" />;
  const { current, longest } = streaksOf(history.data);
  return (
    <dl className="grid gap-2 sm:grid-cols-[auto_1fr]" data-testid="streaks">
      <dt className="font-semibold">Current streak</dt>
      <dd data-testid="current-streak">
        {current ? `${current.gameName} won the last ${current.nights} nights.` : 'No game won the last two nights in a row.'}
      </dd>
      <dt className="font-semibold">Longest streak</dt>
      <dd data-testid="longest-streak">{longest ? `${streakText(longest)}.` : 'No game won two nights in a row in these dates.'}</dd>
    </dl>
  );
}

function gamesCsv(s: GroupStats) {
  return toCsv(
    ['Game', 'Wins', 'Last won on'],
    s.games.map((g) => [g.name, g.wins, g.lastWonOn]),
  );
}

function membersCsv(s: GroupStats) {
  return toCsv(
    ['Member', ...MEMBER_COLUMNS.map(([, label]) => label)],
    s.members.map((m) => [m.username, ...MEMBER_COLUMNS.map(([k]) => m[k])]),
  );
}

export function StatsView({ group }: { group: GroupDetail }) {
  const toast = useToast();
  const today = todayIn(group.timezone);
  const [range, setRange] = useState(() => defaultRange(today));
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [errors, setErrors] = useState<{ from?: string; to?: string }>({});
  const stats = useQuery(statsQueries.range(group.id, range.from, range.to));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = rangeErrors(from, to);
    setErrors(errs);
    if (errs.from || errs.to) return;
    setRange({ from, to });
  };
  const download = (table: 'games' | 'members', s: GroupStats) => {
    const name = csvFilename(group.name, table, s.from, s.to);
    downloadCsv(name, table === 'games' ? gamesCsv(s) : membersCsv(s));
    toast(`Downloaded ${name}.`);
  };

  return (
    <div className="space-y-5">
      <Card id="stats-range" title="Dates">
        <form className="space-y-3" aria-label="Stats dates" noValidate onSubmit={submit}>
          <FormError message={errors.from || errors.to ? 'Check the dates.' : undefined} />
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="From" type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} error={errors.from} />
            <Field label="To" type="date" value={to} onChange={(e) => setTo(e.target.value)} error={errors.to} hint="At most 366 days." />
          </div>
          <Button type="submit" variant="secondary">
            Show these dates
          </Button>
        </form>
      </Card>
      {stats.isPending ? (
        <Loading label="Loading the stats…" />
      ) : stats.isError ? (
        <ErrorState error={stats.error} onRetry={() => void stats.refetch()} title="Could not load the stats" />
      ) : (
        <>
          <p role="status" className="font-semibold" data-testid="stats-summary">
            {formatDay(stats.data.from)} to {formatDay(stats.data.to)}: {stats.data.nights} {stats.data.nights === 1 ? 'night' : 'nights'}{' '}
            with a winner.
          </p>
          <Card id="stats-games" title="Games by wins">
            <div className="grid gap-4 lg:grid-cols-2">
              <BarChart
                testId="chart-games"
                title="Wins per game"
                description="How many nights each game won in these dates, most wins first."
                bars={stats.data.games.map((g) => ({ label: g.name, value: g.wins }))}
              />
              <div className="min-w-0 space-y-2">
                {/* Focusable, so a table wider than a phone can be scrolled by keyboard. */}
                <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Wins per game, table">
                  <table className="w-full text-sm" data-testid="games-table">
                    <caption className="sr-only">Wins per game</caption>
                    <thead>
                      <tr>
                        <th scope="col" className={th}>
                          Game
                        </th>
                        <th scope="col" className={`${th} text-right`}>
                          Wins
                        </th>
                        <th scope="col" className={th}>
                          Last won
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {stats.data.games.map((g) => (
                        <tr key={g.gameId ?? `name:${g.name}`}>
                          <th scope="row" className={`${td} text-left font-normal break-words`}>
                            {g.name}
                          </th>
                          <td className={num}>{g.wins}</td>
                          <td className={td}>{g.lastWonOn}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Button variant="secondary" onClick={() => download('games', stats.data)}>
                  Download games as CSV
                </Button>
              </div>
            </div>
          </Card>
          <Card id="stats-streaks" title="Streaks">
            <Streaks groupId={group.id} from={stats.data.from} to={stats.data.to} />
          </Card>
          <Card id="stats-members" title="Members">
            <div className="space-y-4">
              <div className="grid gap-4 sm:grid-cols-2">
                {MEMBER_COLUMNS.map(([k, label]) => (
                  <BarChart
                    key={k}
                    testId={`chart-${k}`}
                    title={`${label} per member`}
                    description={`${label} of each member in these dates.`}
                    bars={stats.data.members.map((m) => ({ label: m.username, value: m[k] }))}
                  />
                ))}
              </div>
              <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Per member, table">
                <table className="w-full text-sm" data-testid="members-table">
                  <caption className="sr-only">Per member: nights in, suggestions, approvals and picks won</caption>
                  <thead>
                    <tr>
                      <th scope="col" className={th}>
                        Member
                      </th>
                      {MEMBER_COLUMNS.map(([k, label]) => (
                        <th key={k} scope="col" className={`${th} text-right`}>
                          {label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {stats.data.members.map((m) => (
                      <tr key={m.id}>
                        <th scope="row" className={`${td} text-left font-normal break-words`}>
                          {m.username}
                        </th>
                        {MEMBER_COLUMNS.map(([k]) => (
                          <td key={k} className={num}>
                            {m[k]}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Button variant="secondary" onClick={() => download('members', stats.data)}>
                Download members as CSV
              </Button>
            </div>
          </Card>
        </>
      )}
    </div>
  );
}
