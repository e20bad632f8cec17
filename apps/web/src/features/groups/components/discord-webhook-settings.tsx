/**
 * Discord announcements for a group (admins and the owner): paste a webhook URL, choose which events are
 * posted, remove it. The server never returns the URL in full (it is a bearer secret for the channel), so
 * the page shows the masked form and the input starts empty: typing a URL replaces the current one,
 * leaving it empty keeps it. The last delivery error is shown with its next step (wait for a retry, or paste a new URL).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { DiscordWebhook, GroupDetail } from '@queuecrew/shared';
import { formatInstant } from '../../../lib/dates.ts';
import { groupApi, groupKeys, type WebhookSettingsBody } from '../api.ts';
import { Toggle } from '../../../components/ui/checkbox.tsx';

export function DiscordWebhookSettings({ group, webhook }: { group: GroupDetail; webhook: DiscordWebhook }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [url, setUrl] = useState('');
  const [onSuggestion, setOnSuggestion] = useState(webhook.onSuggestion);
  const [onWinner, setOnWinner] = useState(webhook.onWinner);
  const [urlError, setUrlError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);

  const save = async (body: WebhookSettingsBody) => {
    const updated = await groupApi.updateWebhook(group.id, body);
    // The PATCH answer is the group without its member list: take only the webhook view from it.
    qc.setQueryData<GroupDetail>(groupKeys.detail(group.id), (old) =>
      old && updated.discordWebhook ? { ...old, discordWebhook: updated.discordWebhook } : old,
    );
    await qc.invalidateQueries({ queryKey: groupKeys.detail(group.id) });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setUrlError(undefined);
    setFormError(undefined);
    const typed = url.trim();
    if (!typed && !webhook.configured) {
      setUrlError('Paste the webhook URL from Discord: Server Settings → Integrations → Webhooks → Copy Webhook URL.');
      return;
    }
    setPending(true);
    try {
      await save({
        ...(typed ? { discordWebhookUrl: typed } : {}),
        webhookOnSuggestion: onSuggestion,
        webhookOnWinner: onWinner,
      });
      setUrl('');
      toast(typed ? 'Discord webhook saved. Announcements will be posted to that channel.' : 'Discord announcement settings saved.');
    } catch (err) {
      const fieldError = isApiError(err) ? err.fieldErrors.discordWebhookUrl : undefined;
      if (fieldError) setUrlError(fieldError);
      else setFormError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <Card id="discord-webhook" title="Discord announcements">
      <div className="space-y-4">
        <p className="text-slate-700 dark:text-slate-300">
          Post new suggestions and each day’s winner to a Discord channel. In Discord, open Server Settings → Integrations → Webhooks,
          create a webhook for the channel and copy its URL.
        </p>
        {webhook.configured ? (
          <p data-testid="webhook-current">
            Posting to <code className="font-mono text-sm break-all">{webhook.masked}</code>
          </p>
        ) : (
          <p data-testid="webhook-current">No webhook yet: nothing is posted to Discord.</p>
        )}
        {webhook.configured && webhook.lastError && (
          <div
            data-testid="webhook-last-error"
            className="space-y-1 rounded-lg border border-amber-700 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
          >
            <p className="font-semibold">
              The last announcement could not be delivered{webhook.lastErrorAt ? ` (${formatInstant(webhook.lastErrorAt)})` : ''}.
            </p>
            {/* The server's message names the next step: an outage retries by itself, only a gone webhook needs a new URL. */}
            <p className="break-words">{webhook.lastError}</p>
          </div>
        )}
        <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Discord announcements">
          <FormError message={formError} />
          <Field
            label={webhook.configured ? 'New webhook URL' : 'Webhook URL'}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            maxLength={500}
            placeholder="https://discord.com/api/webhooks/…"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={urlError}
            hint={webhook.configured ? 'Leave empty to keep the current webhook.' : 'It is stored encrypted and never shown again in full.'}
          />
          <fieldset className="space-y-1">
            <legend className="text-sm font-semibold">Announce</legend>
            <Toggle label="New suggestions" hint="When a member suggests a game." checked={onSuggestion} onChange={setOnSuggestion} />
            <Toggle
              label="Winner of the day"
              hint="Once voting for a day has closed, at midnight in the group’s timezone."
              checked={onWinner}
              onChange={setOnWinner}
            />
          </fieldset>
          <div className="flex flex-wrap gap-3">
            <Button type="submit" pending={pending}>
              {webhook.configured ? 'Save announcements' : 'Save webhook'}
            </Button>
            {webhook.configured && (
              <Button variant="danger" onClick={() => setConfirmRemove(true)}>
                Remove webhook…
              </Button>
            )}
          </div>
        </form>
      </div>
      <ConfirmDialog
        open={confirmRemove}
        onClose={() => setConfirmRemove(false)}
        title="Remove the Discord webhook?"
        description="QueueCrew stops posting to that channel. To post again later, paste a webhook URL again."
        confirmLabel="Remove webhook"
        danger
        onConfirm={async () => {
          await save({ discordWebhookUrl: null });
          toast('Discord webhook removed.');
        }}
      />
    </Card>
  );
}
