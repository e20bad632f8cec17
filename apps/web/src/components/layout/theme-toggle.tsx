/** Cycles system → light → dark; the label says the current choice and what a press does. */
import { useState } from 'react';
import { readTheme, saveTheme, type ThemeChoice } from '../../lib/theme.ts';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(() => readTheme());
  return (
    <button
      type="button"
      className="inline-flex min-h-11 min-w-11 items-center justify-center gap-1 rounded-lg px-2 text-sm font-semibold text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
      aria-label={`Theme: ${LABEL[choice]}. Switch to ${LABEL[NEXT[choice]]}`}
      data-theme-choice={choice}
      onClick={() => {
        const next = NEXT[choice];
        saveTheme(next);
        setChoice(next);
      }}
    >
      <span aria-hidden="true">{ICON[choice]}</span>
      {/* The current choice stays visible at every width (not only the icon). */}
      <span>{LABEL[choice]}</span>
    </button>
  );
}
