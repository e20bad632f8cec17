/** Admins edit the group; anyone but the owner can leave; the owner can delete it. */
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { ConfirmDialog } from '../../../components/ui/dialog.tsx';
import { Field, FormError, TextareaField } from '../../../components/ui/field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { GroupDetail, User } from '@queuecrew/shared';
import { groupApi, groupKeys } from '../api.ts';
import { NightSettings } from '../../nights/components/night-settings.tsx';
import { TimezoneSelect } from './timezone-options.tsx';

export function EditGroupForm({ group }: { group: GroupDetail }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description ?? '');
  const [timezone, setTimezone] = useState(group.timezone);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [pending, setPending] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setErrors({});
    setFormError(undefined);
    try {
      await groupApi.update(group.id, { name, description, timezone });
      await qc.invalidateQueries({ queryKey: groupKeys.all });
      toast('Group saved.');
    } catch (err) {
      if (isApiError(err) && Object.keys(err.fieldErrors).length > 0) setErrors(err.fieldErrors);
      setFormError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Card id="settings" title="Group details">
        <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label="Edit group">
          <FormError message={formError} />
          <Field label="Group name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} error={errors.name} />
          <TextareaField
            label="Description"
            rows={3}
            maxLength={500}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            error={errors.description}
          />
          <TimezoneSelect value={timezone} onChange={(e) => setTimezone(e.target.value)} error={errors.timezone} />
          <Button type="submit" pending={pending}>
            Save changes
          </Button>
        </form>
      </Card>
      <NightSettings key={JSON.stringify(group.nightDefaults ?? null)} group={group} />
    </>
  );
}

export function GroupDangerZone({ group, me }: { group: GroupDetail; me: User }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [dialog, setDialog] = useState<'leave' | 'delete'>();
  const [confirmName, setConfirmName] = useState('');
  const isOwner = group.role === 'owner';
  const done = async (message: string) => {
    qc.removeQueries({ queryKey: groupKeys.detail(group.id) });
    await qc.invalidateQueries({ queryKey: groupKeys.all });
    toast(message);
    await navigate({ to: '/groups' });
  };
  return (
    <Card id="danger" title={isOwner ? 'Delete group' : 'Leave group'}>
      {isOwner ? (
        <div className="space-y-3">
          <p className="text-slate-700 dark:text-slate-300">
            Deleting removes the group, its suggestions, votes and invites for everyone. To leave instead, first make another member the
            owner.
          </p>
          <Button variant="danger" onClick={() => setDialog('delete')}>
            Delete group…
          </Button>
        </div>
      ) : (
        <div className="space-y-3">
          <p className="text-slate-700 dark:text-slate-300">You will stop seeing this group. To come back you need a new invite link.</p>
          <Button variant="danger" onClick={() => setDialog('leave')}>
            Leave group…
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={dialog === 'leave'}
        onClose={() => setDialog(undefined)}
        title={`Leave ${group.name}?`}
        description="Your suggestions stay in the group’s history."
        confirmLabel="Leave group"
        danger
        onConfirm={async () => {
          await groupApi.removeMember(group.id, me.id);
          await done(`You left ${group.name}.`);
        }}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        onClose={() => {
          setDialog(undefined);
          setConfirmName('');
        }}
        title={`Delete ${group.name}?`}
        description="This cannot be undone. Type the group’s name to confirm."
        confirmLabel="Delete group for everyone"
        danger
        canConfirm={confirmName.trim() === group.name}
        onConfirm={async () => {
          await groupApi.remove(group.id);
          await done(`${group.name} was deleted.`);
        }}
      >
        <Field label="Group name" value={confirmName} onChange={(e) => setConfirmName(e.target.value)} autoComplete="off" />
      </ConfirmDialog>
    </Card>
  );
}
