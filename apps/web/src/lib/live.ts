/**
 * The tab's one live connection (ws-client's LiveClient), shared by the group page (its group's events)
 * and the notification bell (the user's own events). Features add listeners for status, reconnection and
 * errors; every auth transition restarts it, so a socket never outlives its session.
 */
import { refreshSession, sessionEnded } from './api-client.ts';
import { LiveClient, type LiveError, type LiveStatus } from './ws-client.ts';

let client: LiveClient | undefined;

export const liveListeners = {
  status: new Set<(s: LiveStatus) => void>(),
  /** After a reconnection: events sent while the socket was down are lost, refetch. */
  reconnect: new Set<() => void>(),
  error: new Set<(e: LiveError) => void>(),
};

export function liveClient(): LiveClient {
  client ??= new LiveClient({
    renewSession: refreshSession,
    onStatus: (s) => liveListeners.status.forEach((fn) => fn(s)),
    onReconnect: () => liveListeners.reconnect.forEach((fn) => fn()),
    onError: (e) => liveListeners.error.forEach((fn) => fn(e)),
    // Only after a real 401 from the refresh (a network error or a restarting server retries instead).
    onSessionEnded: sessionEnded,
  });
  return client;
}

export function liveStatus(): LiveStatus {
  return client?.status ?? 'connecting';
}

/**
 * An auth transition (sign-in, sign-out, a session that ended): the socket carries the previous
 * session, so close it; when someone is signed in, reconnect (handlers are kept and resubscribed).
 */
export function restartLive(signedIn: boolean): void {
  if (!client) return;
  client.close();
  if (signedIn) client.connect();
}
