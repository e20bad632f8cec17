/**
 * Errors of the database layer. db/ knows nothing of HTTP: lib/errors.ts maps these to responses
 * (DatabaseBusyError → 503 `database_busy`).
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
