/** A person's avatar, with their initials when there is no picture (or it fails to load). */
import { Avatar as RadixAvatar } from 'radix-ui';
import { cn } from './cn.ts';

export function initials(name: string): string {
  const parts = name.split(/[\s._-]+/).filter(Boolean);
  const letters = parts.length >= 2 ? `${parts[0]![0]}${parts[1]![0]}` : name.slice(0, 2);
  return letters.toUpperCase();
}

// Fixed palette with AA contrast against white text in both themes; picked by a hash of the name.
const COLORS = [
  'bg-indigo-700',
  'bg-emerald-800',
  'bg-rose-700',
  'bg-amber-800',
  'bg-sky-800',
  'bg-violet-700',
  'bg-teal-800',
  'bg-fuchsia-800',
];

function colorFor(name: string) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length];
}

export function Avatar({
  name,
  src,
  size = 'md',
  className,
}: {
  name: string;
  src?: string | null;
  size?: 'sm' | 'md';
  className?: string;
}) {
  const dims = size === 'sm' ? 'size-7 text-[0.65rem]' : 'size-9 text-xs';
  return (
    <RadixAvatar.Root
      className={cn('inline-flex shrink-0 overflow-hidden rounded-full ring-2 ring-white dark:ring-slate-900', dims, className)}
    >
      {src && <RadixAvatar.Image src={src} alt="" className="size-full object-cover" />}
      <RadixAvatar.Fallback
        className={cn('flex size-full items-center justify-center font-bold text-white', colorFor(name))}
        aria-hidden="true"
      >
        {initials(name)}
      </RadixAvatar.Fallback>
    </RadixAvatar.Root>
  );
}
