import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenService } from './tokens.ts';

const SECRET = 'tokens-test-secret-0123456789abcdefghijklmnopqrstuvwxyz';

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenService.verify with its verified-token cache', () => {
  it('answers a repeated token from the cache but still refuses it once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
    const tokens = new TokenService(SECRET, [], 'http://localhost:3000', 600);
    const token = await tokens.sign({ userId: 'u1', sessionId: 's1' });
    expect(await tokens.verify(token)).toEqual({ userId: 'u1', sessionId: 's1' });
    expect(await tokens.verify(token)).toEqual({ userId: 'u1', sessionId: 's1' });
    vi.setSystemTime(new Date('2026-11-26T10:10:01Z'));
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('never caches a tampered or foreign token', async () => {
    const tokens = new TokenService(SECRET, [], 'http://localhost:3000', 600);
    const other = new TokenService('another-secret-0123456789abcdefghijklmnopqrstuvwxyz', [], 'http://localhost:3000', 600);
    const good = await tokens.sign({ userId: 'u1', sessionId: 's1' });
    expect(await tokens.verify(good)).toBeDefined();
    const [h, p, sig] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'u2' })).toString(
      'base64url',
    );
    for (let i = 0; i < 2; i++) {
      expect(await tokens.verify(`${h}.${forgedPayload}.${sig}`)).toBeUndefined();
      expect(await tokens.verify(await other.sign({ userId: 'u1', sessionId: 's1' }))).toBeUndefined();
    }
  });

  it('verifiedClaims answers only a token that verified before, whole and unexpired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
    const tokens = new TokenService(SECRET, [], 'http://localhost:3000', 600);
    const token = await tokens.sign({ userId: 'u1', sessionId: 's1' });
    expect(tokens.verifiedClaims(token)).toBeUndefined();
    expect(await tokens.verify(token)).toEqual({ userId: 'u1', sessionId: 's1' });
    expect(tokens.verifiedClaims(token)).toEqual({ userId: 'u1', sessionId: 's1' });
    // The cache is keyed by the signature: the same signature under another header or payload is a miss,
    // and verify() refuses it.
    const [h, p, sig] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'u2' })).toString('base64url')}.${sig}`;
    for (const other of [forged, `${h}x.${p}.${sig}`, `${p}.${h}.${sig}`, sig!, `.${sig}`]) {
      expect(tokens.verifiedClaims(other)).toBeUndefined();
      expect(await tokens.verify(other)).toBeUndefined();
    }
    expect(tokens.verifiedClaims(token)).toEqual({ userId: 'u1', sessionId: 's1' });
    vi.setSystemTime(new Date('2026-11-26T10:10:01Z'));
    expect(tokens.verifiedClaims(token)).toBeUndefined();
    expect(await tokens.verify(token)).toBeUndefined();
  });
});
