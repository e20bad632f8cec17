/**
 * Link or unlink Steam, and import owned games. Linking is a full navigation through Steam's OpenID
 * sign-in, which comes back here (a refusal as `?error=steam_<reason>`, explained in an alert). Import
 * shows an indeterminate progress bar while Steam answers and then a summary, both in a live region;
 * a private profile (409 `steam_profile_private`) shows the server's instructions for Steam's privacy
 * settings. Unlinking removes the ownership marks that came from Steam (manual marks stay).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button, buttonClass } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { SteamImportResult, User } from '@queuecrew/shared';
import { authQueries } from '../../auth/api.ts';
import { groupKeys } from '../../groups/api.ts';
import { steamApi, steamLinkError, steamStartUrl } from '../api.ts';

type ImportState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; result: SteamImportResult }
  | { kind: 'failed'; message: string; privateProfile: boolean };

function summary(r: SteamImportResult): string {
  const owned = `Imported ${r.owned} ${r.owned === 1 ? 'game' : 'games'} from Steam.`;
  if (r.matched === 0) return `${owned} None of them is in your groups’ libraries yet; add them in a group’s Library and import again.`;
  return `${owned} ${r.matched} ${r.matched === 1 ? 'game' : 'games'} in your groups’ libraries ${r.matched === 1 ? 'is' : 'are'} marked as yours.`;
}

export function SteamSection({ me, linkError }: { me: User; linkError?: string | undefined }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const [confirming, setConfirming] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const refusal = steamLinkError(linkError);
  // Back from a refused link: the explanation is the first thing to read.
  useEffect(() => {
    if (refusal) errorRef.current?.focus();
  }, [refusal]);

  const runImport = async () => {
    if (state.kind === 'running') return;
    setState({ kind: 'running' });
    try {
      const result = await steamApi.import();
      setState({ kind: 'done', result });
      // Ownership changed in the libraries (and so the verdicts of suggestions).
      void qc.invalidateQueries({ queryKey: groupKeys.all });
    } catch (err) {
      setState({
        kind: 'failed',
        message: errorMessage(err),
        privateProfile: isApiError(err) && err.code === 'steam_profile_private',
      });
    }
  };

  return (
    <Card id="steam" title="Steam">
      <div className="space-y-3">
        {refusal && (
          <p
            ref={errorRef}
            tabIndex={-1}
            role="alert"
            data-testid="steam-link-error"
            className="rounded-lg border border-red-700 bg-red-50 p-3 text-sm text-red-800 dark:border-red-400 dark:bg-red-950 dark:text-red-200"
          >
            {refusal}
          </p>
        )}
        {me.steamLinked ? (
          <>
            <p className="text-slate-700 dark:text-slate-300" data-testid="steam-status">
              <span className="font-semibold text-slate-900 dark:text-slate-100">Linked.</span> Import marks the games you own on Steam as
              yours in your groups’ libraries.
            </p>
            <div className="flex flex-wrap gap-2">
              {/* Not `disabled` while running: a focused button that becomes disabled drops focus onto <body>. */}
              <Button onClick={() => void runImport()} aria-busy={state.kind === 'running' || undefined}>
                Import my Steam games
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(true)}>
                Unlink Steam…
              </Button>
            </div>
          </>
        ) : (
          <>
            <p className="text-slate-700 dark:text-slate-300" data-testid="steam-status">
              <span className="font-semibold text-slate-900 dark:text-slate-100">Not linked.</span> Link Steam to mark the games you own in
              your groups’ libraries in one go. QueueCrew only learns your Steam id and your list of games.
            </p>
            <a href={steamStartUrl('/account')} className={buttonClass('primary')}>
              Link Steam
            </a>
          </>
        )}
        <div role="status" data-testid="steam-import-status" className="space-y-2">
          {state.kind === 'running' && (
            <>
              <label htmlFor="steam-import-progress" className="block text-sm font-semibold">
                Importing from Steam…
              </label>
              <progress id="steam-import-progress" className="h-2 w-full accent-indigo-700 dark:accent-indigo-400" />
            </>
          )}
          {state.kind === 'done' && (
            <p
              className="rounded-lg bg-emerald-50 p-3 text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50"
              data-testid="steam-import-summary"
            >
              {summary(state.result)}
            </p>
          )}
        </div>
        {state.kind === 'failed' && (
          <div
            role="alert"
            data-testid="steam-import-error"
            className="space-y-1 rounded-lg border border-red-700 bg-red-50 p-3 text-sm text-red-800 dark:border-red-400 dark:bg-red-950 dark:text-red-200"
          >
            {state.privateProfile && <p className="font-bold">Your Steam game list is private</p>}
            <p>{state.message}</p>
          </div>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Unlink Steam?"
        description="The games marked as yours by the Steam import are unmarked; games you marked by hand stay yours. You can link Steam again at any time."
        confirmLabel="Unlink Steam"
        danger
        onConfirm={async () => {
          const user = await steamApi.unlink();
          qc.setQueryData(authQueries.me().queryKey, user);
          setState({ kind: 'idle' });
          void qc.invalidateQueries({ queryKey: groupKeys.all });
          toast('Steam is unlinked.');
        }}
      />
    </Card>
  );
}
