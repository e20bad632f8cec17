/**
 * The web app's live client (apps/web/src/lib/ws-client.ts) against a real server on a real port, with
 * the `ws` package standing in for the browser's WebSocket: it receives events, reconnects after a
 * server restart, resubscribes, asks the page to refetch, gives up cleanly when the session is gone, and
 * hands the user's own `notification` events to the user handlers (the bell) with no group subscribed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LiveClient, type LiveError, type LiveStatus, type SocketConstructor } from '../../../../web/src/lib/ws-client.ts';
import { TEST_ORIGIN } from '../../test/create-test-app.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup, openDay } from '../../test/group-factories.ts';
import type { LiveEvent, UserLiveEvent } from '@queuecrew/shared';
import { startInstance, tempDir, type Instance } from '../../test/live-instances.ts';

/** A browser-like WebSocket: same-origin Origin header and the session cookie. */
function browserSocket(cookie: string): SocketConstructor {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols ?? [], { origin: TEST_ORIGIN, headers: { cookie } });
    }
  } as unknown as SocketConstructor;
}

/** Resolves when `check()` holds, re-checking on every callback of the client (no fixed sleeps). */
class Signals {
  #waiters: { check: () => boolean; resolve: () => void }[] = [];
  poke = () => {
    for (const w of [...this.#waiters]) {
      if (w.check()) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }
}

let dir: { dir: string; remove(): void };
let t: Instance;
let owner: TestUser;
let member: TestUser;

beforeAll(async () => {
  dir = tempDir();
  t = await startInstance(dir.dir);
  owner = await createUser(t);
  member = await createUser(t);
});

afterAll(async () => {
  await t.stop();
  dir.remove();
});

async function suggest(groupId: string, gameName: string) {
  const res = await t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName, date: openDay() }, cookie: owner.cookie });
  expect(res.status).toBe(201);
}

describe('LiveClient (web ws-client)', () => {
  it('delivers events, reconnects after a server restart, resubscribes and asks for a refetch', async () => {
    const group = await createGroup(t, owner);
    await addMembers(t, group.id, owner, [member]);
    const signals = new Signals();
    const statuses: LiveStatus[] = [];
    const events: LiveEvent[] = [];
    let reconnects = 0;
    let subscribed = 0;
    let subscribedAtReconnect = -1;
    const client = new LiveClient({
      url: t.wsUrl,
      WebSocketImpl: browserSocket(member.cookie),
      minDelayMs: 20,
      maxDelayMs: 200,
      onStatus: (s) => {
        statuses.push(s);
        signals.poke();
      },
      onReconnect: () => {
        reconnects += 1;
        subscribedAtReconnect = subscribed;
        signals.poke();
      },
      onSubscribed: () => {
        subscribed += 1;
        signals.poke();
      },
    });
    client.subscribe(group.id, (e) => {
      events.push(e);
      signals.poke();
    });
    await signals.until(() => subscribed === 1);
    await suggest(group.id, 'Hollow Knight');
    await signals.until(() => events.some((e) => e.type === 'suggestion_created'));

    // Restart the server on the same port and database.
    const port = t.running.port;
    await t.stop();
    await signals.until(() => client.status !== 'open');
    t = await startInstance(dir.dir, { env: { PORT: String(port) } });
    await signals.until(() => reconnects === 1);
    // The page is told to refetch only once the subscription is active again (nothing can fall in between).
    expect(subscribedAtReconnect).toBe(2);
    expect(statuses.slice(0, 2)).toEqual(['connecting', 'open']);
    expect(statuses).toContain('closed');

    // Resubscribed: new events flow without the page doing anything.
    await signals.until(() => subscribed === 2);
    await suggest(group.id, 'Terraria');
    await signals.until(() =>
      events.some((e) => e.type === 'suggestion_created' && (e.data as { gameName: string }).gameName === 'Terraria'),
    );
    client.close();
    expect(client.status).toBe('closed');
  });

  it('reports not_found for a group the user is not in', async () => {
    const group = await createGroup(t, owner);
    const signals = new Signals();
    const errors: LiveError[] = [];
    const client = new LiveClient({
      url: t.wsUrl,
      WebSocketImpl: browserSocket(member.cookie),
      onError: (e) => {
        errors.push(e);
        signals.poke();
      },
    });
    client.subscribe(group.id, () => undefined);
    await signals.until(() => errors.length > 0);
    expect(errors[0]).toMatchObject({ code: 'not_found', groupId: group.id });
    client.close();
  });

  it('asks to renew the session when the handshake is refused, and stops when it cannot', async () => {
    const signals = new Signals();
    let renewals = 0;
    let ended = false;
    const client = new LiveClient({
      url: t.wsUrl,
      WebSocketImpl: browserSocket('qc_access=expired.or.forged'),
      minDelayMs: 10,
      maxDelayMs: 50,
      renewSession: async () => {
        renewals += 1;
        signals.poke();
        return false;
      },
      onSessionEnded: () => {
        ended = true;
        signals.poke();
      },
    });
    client.connect();
    await signals.until(() => ended);
    expect(renewals).toBe(1);
    expect(client.status).toBe('closed');
  });

  it('hands `notification` events to the user handlers only, with no group subscribed, and stops on unsubscribe', async () => {
    const group = await createGroup(t, owner);
    await addMembers(t, group.id, owner, [member]);
    await suggest(group.id, 'Deep Rock Galactic');
    const signals = new Signals();
    const mine: UserLiveEvent[] = [];
    const later: UserLiveEvent[] = [];
    let open = false;
    const client = new LiveClient({
      url: t.wsUrl,
      WebSocketImpl: browserSocket(member.cookie),
      onStatus: (s) => {
        open = s === 'open';
        signals.poke();
      },
    });
    const stop = client.onUserEvent((e) => {
      mine.push(e);
      signals.poke();
    });
    client.onUserEvent((e) => {
      later.push(e);
      signals.poke();
    });
    // onUserEvent connects by itself; the server needs no subscribe message for the user's events.
    await signals.until(() => open);
    const nudge = await t.request(`/api/groups/${group.id}/nights/${openDay()}/nudge`, { method: 'POST', cookie: owner.cookie });
    expect(nudge.status).toBe(202);
    await signals.until(() => mine.length === 1 && later.length === 1);
    expect(mine[0]).toMatchObject({ type: 'notification', groupId: group.id, data: { kind: 'nudge', groupId: group.id, readAt: null } });

    // A group handler for the same group never sees it (it is the user's, not the group's).
    const groupEvents: LiveEvent[] = [];
    let subscribed = false;
    const second = new LiveClient({
      url: t.wsUrl,
      WebSocketImpl: browserSocket(member.cookie),
      onSubscribed: () => {
        subscribed = true;
        signals.poke();
      },
    });
    second.subscribe(group.id, (e) => {
      groupEvents.push(e);
      signals.poke();
    });
    const seen: UserLiveEvent[] = [];
    second.onUserEvent((e) => {
      seen.push(e);
      signals.poke();
    });
    await signals.until(() => subscribed);
    stop();
    // A change of role notifies the member; the group handlers see only member_updated.
    const patch = await t.request(`/api/groups/${group.id}/members/${member.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
      cookie: owner.cookie,
    });
    expect(patch.status).toBe(200);
    await signals.until(() => seen.length === 1 && later.length === 2 && groupEvents.some((e) => e.type === 'member_updated'));
    expect(seen[0]).toMatchObject({ type: 'notification', data: { kind: 'role_changed' } });
    expect(groupEvents.map((e) => e.type)).not.toContain('notification');
    expect(mine).toHaveLength(1);
    client.close();
    second.close();
  });
});
