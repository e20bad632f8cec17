/** New group: name, optional description, timezone defaulting to the browser's. */
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Field, FormError, TextareaField } from '../../../components/ui/field.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { groupApi, groupKeys } from '../api.ts';
import { TimezoneSelect } from './timezone-options.tsx';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function CreateGroupForm() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [timezone, setTimezone] = useState(browserZone);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setErrors({ name: 'Give your group a name (1–60 characters).' });
      return;
    }
    setPending(true);
    setErrors({});
    setFormError(undefined);
    try {
      const group = await groupApi.create({ name: trimmed, timezone, ...(description.trim() ? { description } : {}) });
      await qc.invalidateQueries({ queryKey: groupKeys.all });
      await navigate({ to: '/groups/$groupId', params: { groupId: group.id } });
    } catch (err) {
      if (isApiError(err) && Object.keys(err.fieldErrors).length > 0) {
        setErrors(err.fieldErrors);
        setFormError('Some fields need attention: fix the ones marked below, then try again.');
      } else setFormError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="max-w-xl space-y-4" noValidate aria-label="Create group">
      <FormError message={formError} />
      <Field
        label="Group name"
        name="name"
        required
        maxLength={60}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
        hint="1–60 characters. Everyone in the group sees it."
      />
      <TextareaField
        label="Description (optional)"
        name="description"
        rows={3}
        maxLength={500}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.description}
        hint="Up to 500 characters, e.g. when you usually play."
      />
      <TimezoneSelect
        name="timezone"
        value={timezone}
        onChange={(e) => setTimezone(e.target.value)}
        error={errors.timezone}
        hint="“Today” for suggestions and votes follows this timezone. We picked yours."
      />
      <Button type="submit" pending={pending}>
        Create group
      </Button>
    </form>
  );
}
