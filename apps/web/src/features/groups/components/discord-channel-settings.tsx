/**
 * The Discord channel that runs the group's nights (admins and the owner): create a single-use link code
 * to type in the channel, see which channel is linked, unlink it, and choose who may act from it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { FormError, SelectField } from '../../../components/ui/field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { DiscordChannel, DiscordJoinPolicy, DiscordLinkCode, GroupDetail } from '@queuecrew/shared';
import { formatInstant } from '../../../lib/dates.ts';
import { authQueries } from '../../auth/api.ts';
import { groupApi, groupKeys } from '../api.ts';
import { copyText } from '../../../lib/clipboard.ts';

export function DiscordChannelSettings({ group, channel }: { group: GroupDetail; channel: DiscordChannel | null }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [code, setCode] = useState<DiscordLinkCode>();
  const [confirmUnlink, setConfirmUnlink] = useState(false);
  const installUrl = useQuery(authQueries.config()).data?.discordInstallUrl ?? null;
  const refresh = () => qc.invalidateQueries({ queryKey: groupKeys.detail(group.id) });

  const create = useMutation({
    mutationFn: () => groupApi.createDiscordLinkCode(group.id),
    onSuccess: async (created) => {
      setCode(created);
      const copied = await copyText(`/queuecrew link code:${created.code}`);
      toast(
        copied
          ? 'Link command copied. Paste it in the Discord channel.'
          : 'Link code created. Type the command below in the Discord channel.',
      );
    },
  });
  const policy = useMutation({
    mutationFn: (value: DiscordJoinPolicy) => groupApi.setDiscordJoinPolicy(group.id, value),
    onSuccess: async () => {
      await refresh();
      toast('Saved who may take part from Discord.');
    },
  });
  const command = code ? `/queuecrew link code:${code.code}` : undefined;

  return (
    <Card id="discord-channel" title="Discord channel">
      <div className="space-y-4">
        <p className="text-slate-700 dark:text-slate-300">
          Run the night from a Discord channel: <code className="font-mono text-sm">/tonight</code> posts the card, and people vote and
          answer in / maybe / out with its buttons. Add the QueueCrew application to your server first
          {installUrl
            ? ' (it asks only for slash commands: no bot, no messages read).'
            : ' (the instance administrator has the install link, see docs/discord.md).'}
        </p>
        {installUrl && (
          <p>
            <a href={installUrl} target="_blank" rel="noopener noreferrer" className="inline-flex min-h-11 items-center">
              Add QueueCrew to a Discord server (opens Discord)
            </a>
          </p>
        )}
        <p data-testid="discord-channel-current" aria-live="polite">
          {channel ? (
            <>
              Linked to channel <code className="font-mono text-sm break-all">{channel.channelId}</code> in server{' '}
              <code className="font-mono text-sm break-all">{channel.guildId}</code>.
            </>
          ) : (
            'No channel linked yet.'
          )}
        </p>
        <FormError message={create.error ? errorMessage(create.error) : policy.error ? errorMessage(policy.error) : undefined} />
        <div className="flex flex-wrap gap-3">
          <Button onClick={() => create.mutate()} pending={create.isPending}>
            {channel ? 'Create a code to link another channel' : 'Create link code'}
          </Button>
          {channel && (
            <Button variant="danger" onClick={() => setConfirmUnlink(true)}>
              Unlink channel…
            </Button>
          )}
        </div>
        {command && code && (
          <div className="space-y-1" data-testid="discord-link-command">
            <p>
              In the channel, someone with the <strong>Manage Server</strong> permission types (works once, until{' '}
              {formatInstant(code.expiresAt)}):
            </p>
            <p className="flex flex-wrap items-center gap-2">
              <code className="rounded bg-slate-100 px-2 py-1 font-mono text-sm break-all dark:bg-slate-800">{command}</code>
              <Button variant="secondary" onClick={() => void copyText(command).then((ok) => toast(ok ? 'Copied.' : 'Copy it by hand.'))}>
                Copy command
              </Button>
            </p>
          </div>
        )}
        <SelectField
          label="Who may take part from Discord"
          value={channel?.joinPolicy ?? 'members'}
          disabled={!channel || policy.isPending}
          onChange={(e) => policy.mutate(e.target.value as DiscordJoinPolicy)}
          hint={
            channel
              ? 'With “Anyone in the channel”, a press by someone without an account creates one from their Discord identity and joins them as a member.'
              : 'Link a channel first.'
          }
        >
          <option value="members">Members with a linked Discord account</option>
          <option value="channel">Anyone in the channel (joins as member)</option>
        </SelectField>
      </div>
      <ConfirmDialog
        open={confirmUnlink}
        onClose={() => setConfirmUnlink(false)}
        title="Unlink the Discord channel?"
        description="Commands and buttons in that channel stop working for this group. You can link a channel again with a new code."
        confirmLabel="Unlink channel"
        danger
        onConfirm={async () => {
          await groupApi.unlinkDiscordChannel(group.id);
          await refresh();
          toast('Discord channel unlinked.');
        }}
      />
    </Card>
  );
}
