/**
 * Suggest a game for the shown day. A duplicate (409 duplicate_suggestion) points at the existing
 * suggestion: it is scrolled into view, focused and highlighted, and the message says so.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { detailedErrorMessage, errorMessage, isApiError } from '../../../lib/api-client.ts';
import { suggestionApi, suggestionKeys } from '../api.ts';

export function focusSuggestion(id: string) {
  const el = document.getElementById(`suggestion-${id}`);
  if (!el) return;
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  el.focus({ preventScroll: true });
  el.dataset.highlight = 'true';
  window.setTimeout(() => delete el.dataset.highlight, 4000);
}

export function AddSuggestionForm({ groupId, day, onDuplicate }: { groupId: string; day: string; onDuplicate: (id: string) => void }) {
  const qc = useQueryClient();
  const [gameName, setGameName] = useState('');
  const [error, setError] = useState<string>();
  const inputRef = useRef<HTMLInputElement>(null);
  const typedRef = useRef(gameName);
  typedRef.current = gameName;
  const create = useMutation({
    mutationFn: (name: string) => suggestionApi.create(groupId, { gameName: name, date: day }),
    onSuccess: (_created, name) => {
      // Only when the field still holds what was sent: a name typed while this request was on its way
      // (and the answer to it) must not be wiped by the earlier success.
      if (typedRef.current.trim() === name) {
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
    onSettled: () => qc.invalidateQueries({ queryKey: suggestionKeys.group(groupId) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = gameName.trim();
    if (!name) {
      setError('Type the name of a game (1–100 characters), then press Suggest.');
      return;
    }
    // A second game typed while the first is on its way is sent too; only the same name twice is not.
    if (!(create.isPending && create.variables === name)) create.mutate(name);
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-2 sm:flex-row sm:items-start" aria-label="Add a suggestion" noValidate>
      <Field
        label="Suggest a game"
        name="gameName"
        className="flex-1"
        maxLength={100}
        autoComplete="off"
        placeholder="e.g. Deep Rock Galactic"
        ref={inputRef}
        value={gameName}
        onChange={(e) => {
          setGameName(e.target.value);
          if (error) setError(undefined);
        }}
        error={error}
      />
      {/* Not `disabled` while pending: a focused button that becomes disabled drops focus onto <body>. */}
      <Button type="submit" aria-busy={create.isPending || undefined} className="sm:mt-6">
        Suggest
      </Button>
    </form>
  );
}
