/**
 * The Library tab: search (the server's `q`, by prefix of names and aliases), filters "fits tonight's
 * players", "everyone in owns it" and platform (on tonight's `playable`, which the list asks for with
 * `date` = today in the group's timezone), a grid or list of covers, "I own it" toggles, add and edit.
 * How many games are shown is announced politely as it changes. Live events (game_updated, RSVPs)
 * refetch the list through use-group-live.
 *
 * Focus: a card that leaves the list (a filter no longer matches after "I own it", a removal) would drop
 * focus onto <body>; it goes to the results heading instead.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card, EmptyState, ErrorState } from '../../../components/ui/card.tsx';
import { ConfirmDialog, Dialog } from '../../../components/ui/dialog.tsx';
import { Field, SelectField } from '../../../components/ui/field.tsx';
import { Loading } from '../../../components/ui/spinner.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { Game, GroupDetail, Platform, User } from '@queuecrew/shared';
import { everyoneInOwns, fitsTonight, gameApi, gameKeys, gameQueries, PLATFORM_LABEL, PLATFORMS, type GameBody } from '../api.ts';
import { GameCard } from './game-card.tsx';
import { GameForm } from './game-form.tsx';
import { CHECKBOX_INPUT_CLASS, CheckboxMark } from '../../../components/ui/checkbox.tsx';

/** The value after it stopped changing for `ms` (search as you type without a request per keystroke). */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return settled;
}

/** A 44 px checkbox row for the filters (the real checkbox covers the row; see discord-webhook-settings.tsx). */
function FilterBox({
  label,
  checked,
  onChange,
  testId,
}: {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  testId: string;
}) {
  return (
    <label className="relative flex min-h-11 cursor-pointer items-center gap-2 rounded-lg px-1">
      <input
        type="checkbox"
        checked={checked}
        data-testid={testId}
        onChange={(e) => onChange(e.target.checked)}
        className={CHECKBOX_INPUT_CLASS}
      />
      <CheckboxMark />
      <span className="text-sm font-semibold">{label}</span>
    </label>
  );
}

/** Only the fields that changed, so an edit never re-sends (and re-judges) what it did not touch. */
function changed(before: Game, body: GameBody): Partial<GameBody> {
  const out: Partial<GameBody> = {};
  if (body.name !== before.name) out.name = body.name;
  if (body.aliases.join('\n') !== before.aliases.join('\n')) out.aliases = body.aliases;
  if (body.minPlayers !== before.minPlayers) out.minPlayers = body.minPlayers;
  if (body.maxPlayers !== before.maxPlayers) out.maxPlayers = body.maxPlayers;
  if (body.playtimeMinutes !== before.playtimeMinutes) out.playtimeMinutes = body.playtimeMinutes;
  if ([...body.platforms].sort().join() !== [...before.platforms].sort().join()) out.platforms = body.platforms;
  if (body.steamAppId !== before.steamAppId) out.steamAppId = body.steamAppId;
  return out;
}

export function LibraryPanel({ group, me, today }: { group: GroupDetail; me: User; today: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [q, setQ] = useState('');
  const search = useDebounced(q, 200);
  const [fits, setFits] = useState(false);
  const [owned, setOwned] = useState(false);
  const [platform, setPlatform] = useState<Platform | ''>('');
  const [view, setView] = useState<'grid' | 'list'>('grid');
  const [editing, setEditing] = useState<Game>();
  const [removing, setRemoving] = useState<Game>();
  const games = useQuery(gameQueries.list(group.id, { q: search, date: today }));
  const isAdmin = group.role === 'owner' || group.role === 'admin';
  const listRef = useRef<HTMLUListElement>(null);
  const focusInList = useRef(false);
  /** After a removal the dialog hands focus back to a Remove button that is gone: the heading takes it. */
  const focusHeadingAfterClose = useRef(false);

  const setGame = (game: Game) => {
    for (const [key, list] of qc.getQueriesData<Game[]>({ queryKey: gameKeys.all(group.id) })) {
      // Keep this list's own `playable` (the answer has none: it is not asked for a date).
      if (list)
        qc.setQueryData(
          key,
          list.map((x) => (x.id === game.id ? { ...game, playable: x.playable } : x)),
        );
    }
  };
  const invalidate = () => qc.invalidateQueries({ queryKey: gameKeys.all(group.id) });
  const own = useMutation({
    mutationFn: (game: Game) =>
      game.ownedByMe || game.owners.some((o) => o.id === me.id) ? gameApi.disown(game.id) : gameApi.own(game.id),
    onSuccess: (game) => {
      setGame(game);
      toast(game.ownedByMe ? `Marked “${game.name}” as yours.` : `“${game.name}” is no longer marked as yours.`);
    },
    onError: (err) => toast(errorMessage(err), 'error'),
    onSettled: () => {
      void invalidate();
      // Playable verdicts on the day's suggestions depend on who owns what.
      void qc.invalidateQueries({ queryKey: ['groups', group.id, 'day-data'] });
    },
  });

  const all = games.data ?? [];
  const shown = all.filter(
    (g) => (!fits || fitsTonight(g)) && (!owned || everyoneInOwns(g)) && (!platform || g.platforms.includes(platform)),
  );
  const filtering = fits || owned || platform !== '' || search.trim() !== '';
  const inTonight = all.find((g) => g.playable)?.playable?.in;

  // A focused card that left the list (filtered out, removed) dropped focus onto <body>: the heading gets it.
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (focusInList.current && (active === null || active === document.body)) {
      focusInList.current = false;
      document.getElementById('library-results-title')?.focus({ preventScroll: true });
    }
  });

  return (
    <div className="space-y-5">
      <Card id="library" title="Library">
        <div className="space-y-3">
          <form role="search" aria-label="Search the library" onSubmit={(e) => e.preventDefault()}>
            <Field
              label="Search games"
              type="search"
              name="q"
              maxLength={100}
              autoComplete="off"
              hint="By name or other name, e.g. “deep rock” or “DRG”."
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
          </form>
          <fieldset className="flex flex-wrap items-end gap-x-4 gap-y-2">
            <legend className="sr-only">Filters</legend>
            <FilterBox label="Fits tonight’s players" checked={fits} onChange={setFits} testId="filter-fits" />
            <FilterBox label="Everyone in owns it" checked={owned} onChange={setOwned} testId="filter-owned" />
            <SelectField
              label="Platform"
              name="platform"
              className="min-w-40"
              value={platform}
              onChange={(e) => setPlatform(e.target.value as Platform | '')}
            >
              <option value="">Any platform</option>
              {PLATFORMS.map((p) => (
                <option key={p} value={p}>
                  {PLATFORM_LABEL[p]}
                </option>
              ))}
            </SelectField>
          </fieldset>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {inTonight === undefined
              ? 'Tonight’s verdicts appear once the library has games.'
              : `Tonight: ${inTonight} ${inTonight === 1 ? 'member is' : 'members are'} in.`}
          </p>
        </div>
      </Card>

      <section aria-labelledby="library-results-title" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="library-results-title" tabIndex={-1} className="text-lg font-bold">
            Games
          </h2>
          <div className="flex gap-1" role="group" aria-label="Show as">
            <Button variant={view === 'grid' ? 'primary' : 'secondary'} aria-pressed={view === 'grid'} onClick={() => setView('grid')}>
              Grid
            </Button>
            <Button variant={view === 'list' ? 'primary' : 'secondary'} aria-pressed={view === 'list'} onClick={() => setView('list')}>
              List
            </Button>
          </div>
        </div>
        <p role="status" className="text-sm text-slate-700 dark:text-slate-300" data-testid="library-count">
          {games.isPending
            ? ''
            : filtering
              ? `${shown.length} of ${all.length} ${all.length === 1 ? 'game' : 'games'} shown`
              : `${all.length} ${all.length === 1 ? 'game' : 'games'}`}
        </p>
        {games.isPending ? (
          <Loading label="Loading the library…" />
        ) : games.isError ? (
          <ErrorState error={games.error} onRetry={() => void games.refetch()} title="Could not load the library" />
        ) : shown.length === 0 ? (
          <EmptyState title={all.length === 0 && !search.trim() ? 'No games yet' : 'No game matches'}>
            <p>
              {all.length === 0 && !search.trim()
                ? 'Add the games your group plays below. Suggesting a new game adds it too.'
                : 'Try another search or turn a filter off.'}
            </p>
          </EmptyState>
        ) : (
          <ul
            ref={listRef}
            aria-labelledby="library-results-title"
            data-view={view}
            className={view === 'grid' ? 'grid gap-3 sm:grid-cols-2 lg:grid-cols-3' : 'space-y-3'}
            onFocus={() => (focusInList.current = true)}
            onBlur={(e) => {
              if (e.relatedTarget && !listRef.current?.contains(e.relatedTarget as Node)) focusInList.current = false;
            }}
          >
            {shown.map((game) => (
              <GameCard
                key={game.id}
                game={game}
                me={me}
                view={view}
                canEdit={isAdmin || game.addedBy?.id === me.id}
                canDelete={isAdmin}
                onToggleOwn={(x) => {
                  if (!(own.isPending && own.variables?.id === x.id)) own.mutate(x);
                }}
                onEdit={setEditing}
                onDelete={setRemoving}
              />
            ))}
          </ul>
        )}
      </section>

      <Card id="add-game" title="Add a game">
        <GameForm
          submitLabel="Add game"
          onSubmit={(body) => gameApi.create(group.id, body)}
          onDone={(game) => {
            void invalidate();
            toast(`Added “${game.name}” to the library.`);
          }}
        />
      </Card>

      <Dialog open={editing !== undefined} onClose={() => setEditing(undefined)} title={editing ? `Edit ${editing.name}` : 'Edit'}>
        {editing && (
          <GameForm
            key={editing.id}
            game={editing}
            submitLabel="Save changes"
            onSubmit={(body) => {
              const patch = changed(editing, body);
              return Object.keys(patch).length === 0 ? Promise.resolve(editing) : gameApi.update(editing.id, patch);
            }}
            onDone={(game) => {
              setGame(game);
              void invalidate();
              setEditing(undefined);
              toast(`Saved “${game.name}”.`);
            }}
            onCancel={() => setEditing(undefined)}
          />
        )}
      </Dialog>
      <ConfirmDialog
        open={removing !== undefined}
        onClose={() => {
          setRemoving(undefined);
          if (focusHeadingAfterClose.current) {
            focusHeadingAfterClose.current = false;
            requestAnimationFrame(() => document.getElementById('library-results-title')?.focus());
          }
        }}
        title="Remove this game from the library?"
        description={removing ? `“${removing.name}” leaves the library for everyone. Suggestions of it keep their name.` : ''}
        confirmLabel="Remove game"
        danger
        onConfirm={async () => {
          if (!removing) return;
          await gameApi.remove(removing.id);
          focusHeadingAfterClose.current = true;
          await invalidate();
          toast(`Removed “${removing.name}” from the library.`);
        }}
      />
    </div>
  );
}
