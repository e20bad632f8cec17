/** The `playable` verdict as short notes ("Needs 1 more", "Sam doesn't own it", "Playable with the 4 who are in"). */
import { cn } from '../../../components/ui/cn.ts';
import type { Playable } from '@queuecrew/shared';
import { playableNotes } from '../api.ts';

export function PlayableNotes({
  playable,
  range,
  meId,
  className,
  inline = false,
}: {
  playable: Playable | null | undefined;
  range: { minPlayers: number | null; maxPlayers: number | null };
  meId?: string;
  className?: string;
  /** As spans, for places where a list is not allowed (inside a listbox option). */
  inline?: boolean;
}) {
  const notes = playableNotes(playable, range, meId);
  if (notes.length === 0) return null;
  const List = inline ? 'span' : 'ul';
  const Item = inline ? 'span' : 'li';
  return (
    <List className={cn('flex flex-wrap gap-1', className)} data-testid="playable">
      {notes.map((n) => (
        <Item
          key={n.text}
          data-tone={n.tone}
          className={cn(
            'rounded-full px-2 py-0.5 text-xs font-bold break-words',
            n.tone === 'good'
              ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100'
              : 'bg-amber-100 text-amber-950 dark:bg-amber-900 dark:text-amber-50',
          )}
        >
          {n.text}
        </Item>
      ))}
    </List>
  );
}
