import { describe, expect, it } from 'vitest';
import { createGameInput, createSuggestionInput, gameKey, libraryKey, updateGameInput } from './inputs.ts';

describe('libraryKey', () => {
  it('ignores case, spaces and punctuation', () => {
    expect(libraryKey('Deep Rock Galactic')).toBe('deeprockgalactic');
    expect(libraryKey('deeprockgalactic')).toBe('deeprockgalactic');
    expect(libraryKey('Deep-Rock: Galactic!')).toBe('deeprockgalactic');
    expect(libraryKey('  Deep\tRock   Galactic  ')).toBe('deeprockgalactic');
  });

  it('applies NFKC (full-width letters, ligatures) and keeps symbols', () => {
    expect(libraryKey('ＤＲＧ')).toBe('drg');
    expect(libraryKey('ﬁfa')).toBe('fifa');
    expect(libraryKey('C++')).not.toBe(libraryKey('C'));
  });

  it('differs from gameKey, which keeps spaces', () => {
    expect(gameKey('Rocket  League')).toBe('rocket league');
    expect(libraryKey('Rocket  League')).toBe('rocketleague');
  });
});

describe('game inputs', () => {
  it('accepts the contract ranges and refuses the rest', () => {
    expect(createGameInput.safeParse({ name: 'Chess', minPlayers: 1, maxPlayers: 100, playtimeMinutes: 1440 }).success).toBe(true);
    expect(createGameInput.safeParse({ name: 'Chess', minPlayers: 0 }).success).toBe(false);
    expect(createGameInput.safeParse({ name: 'Chess', maxPlayers: 101 }).success).toBe(false);
    expect(createGameInput.safeParse({ name: 'Chess', minPlayers: 5, maxPlayers: 4 }).success).toBe(false);
    expect(createGameInput.safeParse({ name: 'Chess', playtimeMinutes: 1441 }).success).toBe(false);
    expect(createGameInput.safeParse({ name: 'Chess', aliases: Array.from({ length: 11 }, (_, i) => `a${i}`) }).success).toBe(false);
    expect(createGameInput.safeParse({ name: 'Chess', platforms: ['amiga'] }).success).toBe(false);
    expect(createGameInput.safeParse({ name: 'Chess', extra: 1 }).success).toBe(false);
    expect(createGameInput.safeParse({ name: '!!!' }).success).toBe(false);
    expect(createGameInput.safeParse({ name: 'bad\u0000name' }).success).toBe(false);
    expect(updateGameInput.safeParse({}).success).toBe(true);
  });

  it('suggestions take exactly one of gameName and gameId', () => {
    expect(createSuggestionInput.safeParse({ gameName: 'Chess' }).success).toBe(true);
    expect(createSuggestionInput.safeParse({ gameId: 'abc' }).success).toBe(true);
    expect(createSuggestionInput.safeParse({}).success).toBe(false);
    expect(createSuggestionInput.safeParse({ gameName: 'Chess', gameId: 'abc' }).success).toBe(false);
  });
});
