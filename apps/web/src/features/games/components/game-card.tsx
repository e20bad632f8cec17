/**
 * One library game: cover, name, other names, players, playtime, platforms, who owns it, tonight's
 * verdict, wins; "I own it" (a toggle, aria-pressed), Edit for its adder or an admin, Remove for admins.
 * Names from people and from Steam are plain text (React escapes them).
 */
import { Button } from '../../../components/ui/button.tsx';
import { cn } from '../../../components/ui/cn.ts';
import type { Game, User } from '@queuecrew/shared';
import { formatDay } from '../../../lib/dates.ts';
import { PLATFORM_LABEL, playersLabel } from '../api.ts';
import { GameCover } from './game-cover.tsx';
import { PlayableNotes } from './playable-notes.tsx';

function ownersText(game: Game, me: User): string {
  if (game.owners.length === 0) return 'Nobody has marked it as owned yet';
  const names = game.owners.map((o) => (o.id === me.id ? 'you' : o.username));
  return `Owned by ${names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`}`;
}

export function GameCard({
  game,
  me,
  view,
  canEdit,
  canDelete,
  onToggleOwn,
  onEdit,
  onDelete,
}: {
  game: Game;
  me: User;
  view: 'grid' | 'list';
  canEdit: boolean;
  canDelete: boolean;
  onToggleOwn: (game: Game) => void;
  onEdit: (game: Game) => void;
  onDelete: (game: Game) => void;
}) {
  const owned = game.owners.some((o) => o.id === me.id);
  const players = playersLabel(game.minPlayers, game.maxPlayers);
  const facts = [
    players,
    game.playtimeMinutes !== null ? `${game.playtimeMinutes} min` : null,
    game.platforms.length > 0 ? game.platforms.map((p) => PLATFORM_LABEL[p]).join(', ') : null,
  ].filter((x): x is string => x !== null);
  return (
    <li
      data-testid="library-game"
      data-game-id={game.id}
      className={cn(
        'flex min-w-0 rounded-xl border border-slate-300 bg-white p-3 shadow-sm dark:border-slate-700 dark:bg-slate-900',
        view === 'grid' ? 'flex-col gap-3' : 'flex-col gap-3 sm:flex-row sm:items-start',
      )}
    >
      <GameCover name={game.name} coverUrl={game.coverUrl} className={view === 'grid' ? 'w-full' : 'w-full sm:w-40'} />
      <div className="min-w-0 flex-1 space-y-1">
        <h3 className="text-lg font-bold break-words" data-testid="library-game-name">
          {game.name}
        </h3>
        {game.aliases.length > 0 && (
          <p className="text-sm break-words text-slate-700 dark:text-slate-300">Also called {game.aliases.join(', ')}</p>
        )}
        {facts.length > 0 && <p className="text-sm break-words text-slate-700 dark:text-slate-300">{facts.join(' · ')}</p>}
        <p className="text-sm break-words text-slate-700 dark:text-slate-300" data-testid="owners">
          {ownersText(game, me)}
        </p>
        {game.timesWon > 0 && (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Won {game.timesWon === 1 ? 'once' : `${game.timesWon} times`}
            {game.lastWonOn ? `, last on ${formatDay(game.lastWonOn)}` : ''}
          </p>
        )}
        {game.playable && (
          <div className="pt-1">
            <span className="sr-only">Tonight: </span>
            <PlayableNotes playable={game.playable} range={game} meId={me.id} />
          </div>
        )}
        <div className="flex flex-wrap gap-2 pt-2">
          <Button
            variant={owned ? 'primary' : 'secondary'}
            aria-pressed={owned}
            data-focus-key={`own:${game.id}`}
            onClick={() => onToggleOwn(game)}
          >
            <span aria-hidden="true">{owned ? '✓' : '+'}</span> I own it<span className="sr-only"> — {game.name}</span>
          </Button>
          {canEdit && (
            <Button variant="ghost" data-focus-key={`edit:${game.id}`} onClick={() => onEdit(game)} aria-label={`Edit ${game.name}`}>
              Edit
            </Button>
          )}
          {canDelete && (
            <Button variant="ghost" onClick={() => onDelete(game)} aria-label={`Remove ${game.name} from the library`}>
              Remove
            </Button>
          )}
        </div>
      </div>
    </li>
  );
}
