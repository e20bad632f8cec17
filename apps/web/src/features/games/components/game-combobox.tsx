/**
 * The suggest field as an editable combobox with list autocomplete (WAI-ARIA 1.2 combobox pattern): the
 * input keeps focus and is `role="combobox"` with `aria-expanded`, `aria-controls` (the listbox) and
 * `aria-activedescendant` (the option moved to with the arrow keys). Typing searches the library (`q`);
 * ↓/↑ move through the matches (↓ opens the list again), Enter suggests the active game, Escape closes the
 * list (and clears the field when it is already closed). With no option active, Enter suggests the typed
 * text as it is: a name the library does not know adds a new game. How many games match is announced.
 */
import { useQuery } from '@tanstack/react-query';
import { forwardRef, useEffect, useId, useState, type KeyboardEvent } from 'react';
import { FieldShell, inputClass } from '../../../components/ui/field.tsx';
import { cn } from '../../../components/ui/cn.ts';
import type { Game } from '@queuecrew/shared';
import { gameQueries, playersLabel } from '../api.ts';
import { GameCover } from './game-cover.tsx';
import { PlayableNotes } from './playable-notes.tsx';

const MAX_OPTIONS = 8;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return settled;
}

interface Props {
  groupId: string;
  day: string;
  meId: string;
  value: string;
  onChange: (value: string) => void;
  /** A library game was chosen (Enter on an option, or a click). */
  onPick: (game: Game) => void;
  error?: string | undefined;
  label: string;
  placeholder?: string;
  className?: string;
}

export const GameCombobox = forwardRef<HTMLInputElement, Props>(function GameCombobox(
  { groupId, day, meId, value, onChange, onPick, error, label, placeholder, className },
  ref,
) {
  const listboxId = useId();
  const optionId = (i: number) => `${listboxId}-option-${i}`;
  const typed = useDebounced(value.trim(), 150);
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const [active, setActive] = useState(-1);
  const matches = useQuery({ ...gameQueries.list(groupId, { q: typed, date: day }), enabled: typed !== '' });
  // Only answers for what is in the field now (placeholder data of an earlier search is not a match).
  const options: Game[] =
    typed !== '' && value.trim() !== '' && !matches.isPlaceholderData ? (matches.data ?? []).slice(0, MAX_OPTIONS) : [];
  const total = typed !== '' && !matches.isPlaceholderData ? (matches.data?.length ?? 0) : 0;
  const open = focused && !dismissed && options.length > 0;
  const activeIndex = open && active < options.length ? active : -1;

  useEffect(() => setActive(-1), [typed]);

  const announcement =
    !focused || value.trim() === '' || typed !== value.trim() || matches.isFetching
      ? ''
      : total === 0
        ? `No game in the library matches. Suggest adds “${value.trim()}” as a new game.`
        : `${total} ${total === 1 ? 'game' : 'games'} in the library ${total === 1 ? 'matches' : 'match'}${
            total > options.length ? `, the first ${options.length} shown` : ''
          }. Use the up and down arrows to choose, Enter to suggest.`;

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      if (options.length === 0) return;
      e.preventDefault();
      setDismissed(false);
      setActive((i) => (!open ? 0 : (i + 1) % options.length));
    } else if (e.key === 'ArrowUp') {
      if (!open) return;
      e.preventDefault();
      setActive((i) => (i <= 0 ? options.length - 1 : i - 1));
    } else if (e.key === 'Enter') {
      const game = activeIndex >= 0 ? options[activeIndex] : undefined;
      if (game) {
        e.preventDefault();
        setDismissed(true);
        setActive(-1);
        onPick(game);
      }
      // Otherwise the form submits the typed text.
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (open) setDismissed(true);
      else if (value) onChange('');
      setActive(-1);
    } else if (e.key === 'Tab') {
      setDismissed(true);
    }
  };

  return (
    <FieldShell
      label={label}
      error={error}
      className={className}
      hint="Type to search the library; a name it does not know adds a new game."
    >
      {({ id, describedBy, invalid }) => (
        <div className="relative">
          <input
            ref={ref}
            id={id}
            name="gameName"
            type="text"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={listboxId}
            aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            autoComplete="off"
            maxLength={100}
            placeholder={placeholder}
            className={inputClass}
            value={value}
            onChange={(e) => {
              onChange(e.target.value);
              setDismissed(false);
            }}
            onKeyDown={onKeyDown}
            onFocus={() => setFocused(true)}
            onBlur={() => {
              setFocused(false);
              setActive(-1);
            }}
          />
          <ul
            id={listboxId}
            role="listbox"
            aria-label="Games in the library"
            hidden={!open}
            data-testid="game-options"
            className="absolute top-full right-0 left-0 z-20 mt-1 max-h-96 overflow-y-auto rounded-lg border border-slate-400 bg-white p-1 shadow-lg dark:border-slate-500 dark:bg-slate-900"
          >
            {options.map((game, i) => {
              const players = playersLabel(game.minPlayers, game.maxPlayers);
              return (
                <li
                  key={game.id}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === activeIndex}
                  data-testid="game-option"
                  // Keep focus in the field (a click on an option must not blur it first).
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    setDismissed(true);
                    onPick(game);
                  }}
                  className={cn(
                    'flex min-h-11 cursor-pointer items-center gap-3 rounded-md p-2',
                    i === activeIndex
                      ? 'bg-indigo-100 outline-2 outline-indigo-700 dark:bg-indigo-950 dark:outline-indigo-300'
                      : 'hover:bg-slate-100 dark:hover:bg-slate-800',
                  )}
                >
                  <GameCover name={game.name} coverUrl={game.coverUrl} className="w-20" />
                  <span className="min-w-0 flex-1">
                    <span className="block font-semibold break-words">{game.name}</span>
                    {players && <span className="block text-sm text-slate-700 dark:text-slate-300">{players}</span>}
                    <PlayableNotes playable={game.playable} range={game} meId={meId} className="mt-1" inline />
                  </span>
                </li>
              );
            })}
          </ul>
          <p role="status" className="sr-only" data-testid="game-options-status">
            {announcement}
          </p>
        </div>
      )}
    </FieldShell>
  );
});
