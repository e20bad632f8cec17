/** The error body every endpoint answers with (see docs/api.md). */
export interface ApiErrorBody {
  error: string;
  code: string;
  details?: unknown;
  requestId?: string;
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).error === 'string' &&
    typeof (value as ApiErrorBody).code === 'string'
  );
}
