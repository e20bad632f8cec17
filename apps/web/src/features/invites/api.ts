/** The public side of an invite: preview it, accept it. */
import { queryOptions } from '@tanstack/react-query';
import type { InvitePreview } from '@queuecrew/shared';
import { call, isApiError } from '../../lib/api-client.ts';

export type PreviewResult = { state: 'ok'; invite: InvitePreview } | { state: 'signed-out' } | { state: 'invalid' };

export const inviteQueries = {
  preview: (code: string) =>
    queryOptions({
      queryKey: ['invite', code],
      queryFn: async (): Promise<PreviewResult> => {
        try {
          return { state: 'ok', invite: await call('GET /api/invites/{code}', { params: { code }, allow401: true }) };
        } catch (e) {
          if (isApiError(e) && e.status === 401) return { state: 'signed-out' };
          if (isApiError(e) && e.status === 404) return { state: 'invalid' };
          throw e;
        }
      },
    }),
};

export const inviteApi = {
  accept: (code: string) => call('POST /api/invites/{code}/accept', { params: { code } }),
};
