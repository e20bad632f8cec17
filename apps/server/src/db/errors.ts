/**
 * Errors of the database layer. db/ knows nothing of HTTP: lib/errors.ts maps these to responses
 * (DatabaseBusyError → 503 `database_busy`, WriteGroupError → 503 `write_failed`).
 */

/** A write was refused because the database stayed locked (SQLITE_BUSY) past the busy timeout. */
export class DatabaseBusyError extends Error {
  constructor() {
    super('The database is busy: the write was refused.');
    this.name = 'DatabaseBusyError';
  }
}

/**
 * Errors the application throws on purpose inside a transaction (lib/errors.ts AppError, a refusal, not a
 * database failure). Told by name, so that db/ does not import the HTTP layer.
 */
export const isApplicationError = (e: unknown): boolean => e instanceof Error && e.name === 'AppError';

/**
 * Every write of a group was refused because the group's transaction failed as a whole (its COMMIT, its
 * BEGIN, or an error SQLite answers by rolling the whole transaction back). None of them was committed,
 * so each is safe to retry.
 */
export class WriteGroupError extends Error {
  /**
   * What failed the group (logged once for the group). Not the standard `cause`: the error helpers look
   * through causes (constraintCode, isBusyError), and this write's caller must not map another write's
   * error (a missing parent, a duplicate) as if it were its own.
   */
  readonly groupFailure: unknown;
  constructor(failure: unknown) {
    super('The write was not saved: the transaction it shared with other writes failed.');
    this.name = 'WriteGroupError';
    this.groupFailure = failure;
  }
}
