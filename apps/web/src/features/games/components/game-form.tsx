/**
 * Add or edit a library game: name, aliases, players, playtime, platforms, Steam app id. The server is the
 * judge of the rules (the same zod schemas as @queuecrew/shared): a 400 puts each message of `details`
 * under the field it names, a 409 `duplicate_game` under the name; focus moves to the first field in error.
 * Numbers that are not whole numbers are sent as typed, so the server's message names the field.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Field, FormError } from '../../../components/ui/field.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import type { Game, Platform } from '@queuecrew/shared';
import { PLATFORMS, PLATFORM_LABEL, type GameBody } from '../api.ts';
import { CHECKBOX_INPUT_CLASS, CheckboxMark } from '../../../components/ui/checkbox.tsx';

type FieldName = 'name' | 'aliases' | 'minPlayers' | 'maxPlayers' | 'playtimeMinutes' | 'platforms' | 'steamAppId';
const FIELD_ORDER: FieldName[] = ['name', 'aliases', 'minPlayers', 'maxPlayers', 'playtimeMinutes', 'platforms', 'steamAppId'];

interface Values {
  name: string;
  aliases: string;
  minPlayers: string;
  maxPlayers: string;
  playtimeMinutes: string;
  platforms: Platform[];
  steamAppId: string;
}

const fromGame = (g: Game | undefined): Values => ({
  name: g?.name ?? '',
  aliases: g?.aliases.join(', ') ?? '',
  minPlayers: g?.minPlayers?.toString() ?? '',
  maxPlayers: g?.maxPlayers?.toString() ?? '',
  playtimeMinutes: g?.playtimeMinutes?.toString() ?? '',
  platforms: g?.platforms ?? [],
  steamAppId: g?.steamAppId?.toString() ?? '',
});

/** '' → null, digits → a number, anything else as typed (the server answers 400 naming the field). */
function numberOrRaw(v: string): number | null {
  const t = v.trim();
  if (t === '') return null;
  return /^\d+$/.test(t) ? Number(t) : (t as unknown as number);
}

function toBody(v: Values): GameBody {
  return {
    name: v.name.trim(),
    aliases: v.aliases
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    minPlayers: numberOrRaw(v.minPlayers),
    maxPlayers: numberOrRaw(v.maxPlayers),
    playtimeMinutes: numberOrRaw(v.playtimeMinutes),
    platforms: v.platforms,
    steamAppId: numberOrRaw(v.steamAppId),
  };
}

/** A real checkbox covering its whole 44 px row (see discord-webhook-settings.tsx), for the platforms. */
function PlatformBox({ platform, checked, onChange }: { platform: Platform; checked: boolean; onChange: (on: boolean) => void }) {
  const id = useId();
  return (
    <label htmlFor={id} className="relative flex min-h-11 min-w-11 cursor-pointer items-center gap-2 rounded-lg px-2">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className={CHECKBOX_INPUT_CLASS} />
      <CheckboxMark />
      <span className="text-sm font-semibold">{PLATFORM_LABEL[platform]}</span>
    </label>
  );
}

export function GameForm({
  game,
  submitLabel,
  onSubmit,
  onDone,
  onCancel,
}: {
  game?: Game;
  submitLabel: string;
  onSubmit: (body: GameBody) => Promise<Game>;
  onDone: (game: Game) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<Values>(() => fromGame(game));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const platformsId = useId();

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key as FieldName]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const focusFirstError = (errs: Partial<Record<FieldName, string>>) => {
    const first = FIELD_ORDER.find((f) => errs[f]);
    if (!first) return;
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus());
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    if (!values.name.trim()) {
      const errs = { name: 'Type the name of the game (1–100 characters).' };
      setErrors(errs);
      focusFirstError(errs);
      return;
    }
    setPending(true);
    setFormError(undefined);
    try {
      const saved = await onSubmit(toBody(values));
      setErrors({});
      if (!game) setValues(fromGame(undefined));
      onDone(saved);
    } catch (err) {
      if (isApiError(err) && err.code === 'duplicate_game') {
        const errs = { name: err.message };
        setErrors(errs);
        focusFirstError(errs);
      } else if (isApiError(err) && err.status === 400 && Object.keys(err.fieldErrors).length > 0) {
        const errs: Partial<Record<FieldName, string>> = {};
        const rest: string[] = [];
        for (const [path, message] of Object.entries(err.fieldErrors)) {
          const field = path.split('.')[0] as FieldName;
          if (FIELD_ORDER.includes(field)) errs[field] ??= message;
          else rest.push(message);
        }
        setErrors(errs);
        if (rest.length > 0) setFormError(rest.join(' '));
        focusFirstError(errs);
      } else setFormError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };

  const numberField = (name: 'minPlayers' | 'maxPlayers' | 'playtimeMinutes' | 'steamAppId', label: string, hint?: string) => (
    <Field
      label={label}
      hint={hint}
      name={name}
      data-field={name}
      inputMode="numeric"
      autoComplete="off"
      value={values[name]}
      onChange={(e) => set(name, e.target.value)}
      error={errors[name]}
    />
  );

  return (
    <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate className="space-y-3" aria-label={submitLabel}>
      <Field
        label="Name"
        name="name"
        data-field="name"
        maxLength={100}
        autoComplete="off"
        value={values.name}
        onChange={(e) => set('name', e.target.value)}
        error={errors.name}
      />
      <Field
        label="Other names (optional)"
        hint="Separate with commas, e.g. DRG. Searching and suggesting find the game by these too."
        name="aliases"
        data-field="aliases"
        autoComplete="off"
        value={values.aliases}
        onChange={(e) => set('aliases', e.target.value)}
        error={errors.aliases}
      />
      <div className="grid gap-3 sm:grid-cols-3">
        {numberField('minPlayers', 'Min players')}
        {numberField('maxPlayers', 'Max players')}
        {numberField('playtimeMinutes', 'Playtime (minutes)')}
      </div>
      <fieldset aria-describedby={errors.platforms ? `${platformsId}-error` : undefined}>
        <legend className="text-sm font-semibold">Platforms</legend>
        <div className="mt-1 flex flex-wrap gap-x-2" data-field="platforms" tabIndex={-1}>
          {PLATFORMS.map((p) => (
            <PlatformBox
              key={p}
              platform={p}
              checked={values.platforms.includes(p)}
              onChange={(on) => set('platforms', on ? [...values.platforms, p] : values.platforms.filter((x) => x !== p))}
            />
          ))}
        </div>
        {errors.platforms && (
          <p id={`${platformsId}-error`} className="text-sm font-medium text-red-700 dark:text-red-300">
            {errors.platforms}
          </p>
        )}
      </fieldset>
      {numberField('steamAppId', 'Steam app id (optional)', 'The number in the game’s Steam store address; it adds the cover art.')}
      <FormError message={formError} />
      <div className="flex flex-wrap gap-2">
        {/* Not `disabled` while pending: a focused button that becomes disabled drops focus onto <body>. */}
        <Button type="submit" aria-busy={pending || undefined}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
