/**
 * The decision of a closed night: the winner and how it was decided. A random tie-break shows its seed
 * and a "Check it" disclosure that recomputes the pick in this browser (crypto.subtle), exactly as the
 * server did; a pending admin tie shows the candidates, and admins a control to pick one.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { FormError } from '../../../components/ui/field.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { Night, Suggestion } from '@queuecrew/shared';
import { nightApi, nightKeys, randomPick } from '../api.ts';

const box = 'rounded-xl border p-4 break-words';
const winTone = 'border-emerald-700 bg-emerald-50 text-emerald-950 dark:border-emerald-400 dark:bg-emerald-950 dark:text-emerald-50';
const neutralTone = 'border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900';

function names(ids: string[], suggestions: Suggestion[]): string[] {
  return ids.map((id) => suggestions.find((s) => s.id === id)?.gameName ?? 'a removed suggestion');
}

function CheckRandom({
  seed,
  tied,
  suggestions,
  winnerId,
}: {
  seed: string;
  tied: string[];
  suggestions: Suggestion[];
  winnerId: string | null;
}) {
  const [result, setResult] = useState<{ sorted: string[]; uint32: number; index: number } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    randomPick(seed, tied).then(
      (r) => live && setResult(r),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [seed, tied]);
  return (
    <details className="mt-2" data-testid="check-random">
      <summary className="inline-flex min-h-11 cursor-pointer items-center font-semibold underline">Check it</summary>
      <div className="mt-2 space-y-2 text-sm font-normal">
        <p>Anyone can recompute this pick:</p>
        <ol className="list-decimal space-y-1 pl-5">
          <li>Sort the tied suggestions by their id.</li>
          <li>Take the SHA-256 hash of the seed and read its first 4 bytes as a big-endian number.</li>
          <li>That number modulo the number of tied suggestions is the position of the winner (counting from 0).</li>
        </ol>
        {failed ? (
          <p>This browser cannot compute SHA-256 here (it needs a secure connection), so the check cannot run.</p>
        ) : result ? (
          <>
            <p>Sorted by id:</p>
            <ol start={0} className="list-decimal pl-8">
              {result.sorted.map((id, i) => (
                <li key={id} className={i === result.index ? 'font-bold' : undefined}>
                  {names([id], suggestions)[0]} <code className="text-xs break-all">{id}</code>
                </li>
              ))}
            </ol>
            <p data-testid="check-result">
              First 4 bytes as a number: <code>{result.uint32}</code>; {result.uint32} mod {result.sorted.length} = {result.index}, which is{' '}
              <strong>{names([result.sorted[result.index] ?? ''], suggestions)[0]}</strong>.{' '}
              {result.sorted[result.index] === winnerId ? 'It matches the winner.' : 'This does not match the winner shown.'}
            </p>
          </>
        ) : (
          <p>Computing…</p>
        )}
      </div>
    </details>
  );
}

function AdminPick({ night, suggestions }: { night: Night; suggestions: Suggestion[] }) {
  const qc = useQueryClient();
  const pick = useMutation({
    mutationFn: (suggestionId: string) => nightApi.pick(night.groupId, night.date, suggestionId),
    onSuccess: (n) => qc.setQueryData(nightKeys.detail(night.groupId, night.date), n),
  });
  return (
    <div className="mt-3 space-y-2" role="group" aria-labelledby="admin-pick-title">
      <p id="admin-pick-title" className="font-semibold">
        As an admin, pick tonight’s game:
      </p>
      <div className="flex flex-wrap gap-2">
        {night.tied.map((sid) => {
          const name = names([sid], suggestions)[0];
          return (
            <Button
              key={sid}
              variant="secondary"
              aria-busy={(pick.isPending && pick.variables === sid) || undefined}
              onClick={() => !pick.isPending && pick.mutate(sid)}
            >
              Pick {name}
            </Button>
          );
        })}
      </div>
      <FormError message={pick.isError ? errorMessage(pick.error) : undefined} />
    </div>
  );
}

export function WinnerBanner({ night, suggestions, isAdmin }: { night: Night; suggestions: Suggestion[]; isAdmin: boolean }) {
  if (night.status === 'cancelled') {
    return (
      <div className={`${box} ${neutralTone}`} data-testid="winner-banner">
        <p className="font-semibold">This night was cancelled.</p>
      </div>
    );
  }
  if (night.status !== 'closed') return null;
  const w = night.winner;
  if (!w) {
    if (night.tied.length > 1) {
      const tiedNames = names(night.tied, suggestions);
      return (
        <div className={`${box} ${neutralTone}`} data-testid="winner-banner">
          <p className="font-semibold">
            Voting closed with a tie between {tiedNames.join(' and ')}. {isAdmin ? 'Pick the game below.' : 'An admin picks the game.'}
          </p>
          {isAdmin && <AdminPick night={night} suggestions={suggestions} />}
        </div>
      );
    }
    return (
      <div className={`${box} ${neutralTone}`} data-testid="winner-banner">
        <p className="font-semibold" data-testid="no-winner-reason">
          {night.noWinnerReason === 'all_vetoed'
            ? 'Voting closed with no winner: every suggestion was vetoed.'
            : night.noWinnerReason === 'no_votes'
              ? night.method === 'ranked'
                ? 'Voting closed with no winner: nobody handed in a ranking.'
                : 'Voting closed with no winner: nobody approved a game.'
              : 'Voting closed. Nobody suggested a game for this night.'}
        </p>
      </div>
    );
  }
  const unit = night.method === 'ranked' ? ['vote in the last round', 'votes in the last round'] : ['approval', 'approvals'];
  const approvals = w.votes === null ? '' : ` with ${w.votes} ${w.votes === 1 ? unit[0] : unit[1]}`;
  const tiedNames = names(night.tied, suggestions);
  let how: string;
  switch (w.decidedBy) {
    case 'votes':
      how = night.method === 'ranked' ? `Decided by ranked choice${approvals}.` : `Decided by votes${approvals}.`;
      break;
    case 'random':
      how = `A tie between ${tiedNames.join(' and ')}${approvals} each, broken by a random pick.`;
      break;
    case 'least_recent':
      how = `A tie between ${tiedNames.join(' and ')}${approvals} each; ${w.gameName} won longest ago (or never), so it plays.`;
      break;
    case 'admin':
      how = `A tie between ${tiedNames.join(' and ')}${approvals} each, picked by an admin.`;
      break;
  }
  return (
    <div className={`${box} ${winTone}`} data-testid="winner-banner">
      <p className="text-xl font-extrabold" data-testid="winner-name">
        Tonight: {w.gameName}
      </p>
      <p data-testid="decided-by">{how}</p>
      {w.decidedBy === 'random' && night.tieBreakSeed && (
        <>
          <p className="text-sm">
            Seed: <code className="break-all">{night.tieBreakSeed}</code>
          </p>
          <CheckRandom seed={night.tieBreakSeed} tied={night.tied} suggestions={suggestions} winnerId={w.suggestionId} />
        </>
      )}
    </div>
  );
}
