/**
 * Cover art: Steam's header image for games with an app id (the URL the server gives, on the one image host
 * the CSP allows), else a placeholder with the initials. Decorative: the game's name is always next to it.
 * An image that fails to load (offline, a removed app) falls back to the placeholder.
 */
import { useState } from 'react';
import { cn } from '../../../components/ui/cn.ts';

function initials(name: string): string {
  const words = name.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  return (
    words
      .slice(0, 2)
      .map((w) => [...w][0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}

export function GameCover({ name, coverUrl, className }: { name: string; coverUrl: string | null | undefined; className?: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  const showImage = coverUrl && failed !== coverUrl;
  return (
    <div
      aria-hidden="true"
      className={cn(
        'flex aspect-[460/215] shrink-0 items-center justify-center overflow-hidden rounded-lg bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
        className,
      )}
    >
      {showImage ? (
        <img
          src={coverUrl}
          alt=""
          width={460}
          height={215}
          loading="lazy"
          decoding="async"
          referrerPolicy="no-referrer"
          onError={() => setFailed(coverUrl)}
          className="size-full object-cover"
        />
      ) : (
        <span className="text-lg font-extrabold">{initials(name)}</span>
      )}
    </div>
  );
}
