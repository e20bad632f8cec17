/**
 * The rules of sign-in: who may create a new account and whether it becomes an instance admin (one rule
 * for every sign-up path), and which passwords are strong enough.
 */
import { AppError } from '../../lib/errors.ts';
import type { RegistrationPolicy } from '../../lib/settings.ts';
import { passwordWeakness } from './password-policy.ts';

export interface RegistrationFacts {
  /** The new account's email; null for an account made from a Discord identity. */
  email: string | null;
  /** `ADMIN_EMAILS` (lower-cased). */
  adminEmails: readonly string[];
  /** No account exists yet. */
  firstAccount: boolean;
  /** The instance's registration setting. */
  policy: RegistrationPolicy;
  /** The sign-up brings something that admits it on an invite-only instance (a usable invite code). */
  invited: boolean;
}

export interface RegistrationDecision {
  /** Why the account may not be made, or null when it may. */
  refusal: 'registration_closed' | 'invite_required' | null;
  isInstanceAdmin: boolean;
}

/**
 * Bootstrap: an email in ADMIN_EMAILS may always register; without ADMIN_EMAILS the very first account
 * may (it becomes the instance admin), so a fresh closed or invite-only instance is not locked out of
 * itself. With ADMIN_EMAILS set, only those emails are admins; without it, the first account is.
 */
export function decideRegistration(facts: RegistrationFacts): RegistrationDecision {
  const listedAdmin = facts.email !== null && facts.adminEmails.includes(facts.email);
  const bootstrap = listedAdmin || (facts.adminEmails.length === 0 && facts.firstAccount);
  const policy = bootstrap ? 'open' : facts.policy;
  const refusal = policy === 'closed' ? 'registration_closed' : policy === 'invite-only' && !facts.invited ? 'invite_required' : null;
  return { refusal, isInstanceAdmin: facts.adminEmails.length > 0 ? listedAdmin : facts.firstAccount };
}

/** Refuses a password that `passwordWeakness` finds too weak; the message goes under `field`. */
export function requireStrongPassword(password: string, personal: readonly string[], field: 'password' | 'newPassword'): void {
  const weak = passwordWeakness(password, [...personal]);
  if (weak) throw new AppError(400, 'invalid_input', 'Choose a stronger password.', { [field]: weak });
}

/** The error answer to a refused email sign-up. */
export function registrationRefused(refusal: 'registration_closed' | 'invite_required'): AppError {
  return refusal === 'registration_closed'
    ? new AppError(403, 'registration_closed', 'This QueueCrew instance is not accepting new accounts. Ask its administrator.')
    : new AppError(403, 'invite_required', 'Registration here needs an invite link. Ask a friend for one and open it first.');
}
