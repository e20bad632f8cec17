/**
 * Dark mode: follows the system unless the person picked light or dark (kept in localStorage). Tailwind's
 * `dark:` variant keys off the `dark` class on <html> (class strategy), set here before the first render.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'queuecrew-theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

export function readTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice) {
  const dark = choice === 'dark' || (choice === 'system' && media().matches);
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.classList.toggle('light', !dark);
}

export function saveTheme(choice: ThemeChoice) {
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  applyTheme(choice);
}

/** Keeps "system" in sync when the OS switches while the page is open. */
export function watchSystemTheme() {
  media().addEventListener('change', () => {
    if (readTheme() === 'system') applyTheme('system');
  });
}
