/**
 * Suggest a game for the shown day. The field autocompletes from the group's library (game-combobox.tsx):
 * a game picked from the list is suggested by its id, typed text by its name (a new name adds a game).
 * A duplicate (409 duplicate_suggestion) points at the existing suggestion: it is scrolled into view,
 * focused and highlighted, and the message says so.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { detailedErrorMessage, errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { Game } from '@queuecrew/shared';
import { gameKeys } from '../../games/api.ts';
import { GameCombobox } from '../../games/components/game-combobox.tsx';
import { suggestionApi, suggestionKeys } from '../api.ts';

type Pick = { gameName: string } | { gameId: string; name: string };
const pickKey = (p: Pick) => ('gameId' in p ? `id:${p.gameId}` : `name:${p.gameName}`);

export function focusSuggestion(id: string) {
  const el = document.getElementById(`suggestion-${id}`);
  if (!el) return;
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  el.focus({ preventScroll: true });
  el.dataset.highlight = 'true';
  window.setTimeout(() => delete el.dataset.highlight, 4000);
}

export function AddSuggestionForm({
  groupId,
  day,
  meId,
  onDuplicate,
}: {
  groupId: string;
  day: string;
  meId: string;
  onDuplicate: (id: string) => void;
}) {
  const qc = useQueryClient();
  const [gameName, setGameName] = useState('');
  const [error, setError] = useState<string>();
  const inputRef = useRef<HTMLInputElement>(null);
  const typedRef = useRef(gameName);
  typedRef.current = gameName;
  const create = useMutation({
    mutationFn: (pick: Pick) =>
      suggestionApi.create(groupId, 'gameId' in pick ? { gameId: pick.gameId, date: day } : { gameName: pick.gameName, date: day }),
    onSuccess: (_created, pick) => {
      // Only when the field still holds what was sent: a name typed while this request was on its way
      // (and the answer to it) must not be wiped by the earlier success. A game picked from the list
      // always clears it (the field held the search, not the name).
      if ('gameId' in pick || typedRef.current.trim() === pick.gameName) {
        setGameName('');
        setError(undefined);
      }
      // Ready for the next game, wherever the submit came from (Enter in the field or the button).
      inputRef.current?.focus({ preventScroll: true });
    },
    onError: (err) => {
      if (isApiError(err) && err.code === 'duplicate_suggestion') {
        const details = err.details as { suggestionId?: unknown } | undefined;
        const existing = typeof details?.suggestionId === 'string' ? details.suggestionId : undefined;
        setError('That game is already suggested for this day, so we highlighted it below. Approve it instead.');
        if (existing) onDuplicate(existing);
      } else if (isApiError(err) && (err.code === 'voting_closed' || err.code === 'night_cancelled')) {
        // The server's reason (closed at the deadline, or cancelled); the night is refetched below.
        setError(err.message);
      } else setError(isApiError(err) ? (err.fieldErrors.gameName ?? detailedErrorMessage(err)) : errorMessage(err));
    },
    onSettled: () => {
      // A new name added a game to the library.
      void qc.invalidateQueries({ queryKey: gameKeys.all(groupId) });
      return qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId) });
    },
  });
  const send = (pick: Pick) => {
    // A second game sent while the first is on its way is sent too; only the same one twice is not.
    if (!(create.isPending && create.variables && pickKey(create.variables) === pickKey(pick))) create.mutate(pick);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = gameName.trim();
    if (!name) {
      setError('Type the name of a game (1–100 characters), then press Suggest.');
      return;
    }
    send({ gameName: name });
  };
  const pickGame = (game: Game) => {
    if (error) setError(undefined);
    setGameName(game.name);
    send({ gameId: game.id, name: game.name });
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-2 sm:flex-row sm:items-start" aria-label="Add a suggestion" noValidate>
      <GameCombobox
        label="Suggest a game"
        groupId={groupId}
        day={day}
        meId={meId}
        className="flex-1"
        placeholder="e.g. Deep Rock Galactic"
        ref={inputRef}
        value={gameName}
        onChange={(v) => {
          setGameName(v);
          if (error) setError(undefined);
        }}
        onPick={pickGame}
        error={error}
      />
      {/* Not `disabled` while pending: a focused button that becomes disabled drops focus onto <body>. */}
      <Button type="submit" aria-busy={create.isPending || undefined} className="sm:mt-6">
        Suggest
      </Button>
    </form>
  );
}
