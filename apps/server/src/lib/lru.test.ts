/** The read caches' Lru: size bound, values, and the coarse recency (an entry read lately is not dropped next). */
import { describe, expect, it } from 'vitest';
import { Lru } from './read-caches.ts';

describe('Lru', () => {
  it('never holds more than max entries and drops the least recently stored first', () => {
    const lru = new Lru<number, string>(4);
    for (let i = 0; i < 10; i++) lru.set(i, `v${i}`);
    expect(lru.size).toBe(4);
    expect([0, 1, 2, 3, 4, 5].map((k) => lru.peek(k))).toEqual(Array(6).fill(undefined));
    expect([6, 7, 8, 9].map((k) => lru.get(k))).toEqual(['v6', 'v7', 'v8', 'v9']);
  });

  it('keeps an old entry that is read: it is dropped only after at least max / 2 other keys were used', () => {
    const lru = new Lru<string, number>(10);
    for (let i = 0; i < 10; i++) lru.set(`k${i}`, i);
    expect(lru.get('k0')).toBe(0); // the oldest, so it moves to the newest end
    for (let i = 10; i < 15; i++) lru.set(`k${i}`, i);
    expect(lru.peek('k0')).toBe(0);
    expect(lru.peek('k1')).toBeUndefined();
    expect(lru.size).toBe(10);
  });

  it('peek does not refresh an entry', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.peek('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.peek('a')).toBeUndefined();
  });

  it('with max 1 or 2 it is an exact LRU', () => {
    const two = new Lru<string, number>(2);
    two.set('a', 1);
    two.set('b', 2);
    expect(two.get('a')).toBe(1);
    two.set('c', 3);
    expect([two.peek('a'), two.peek('b'), two.peek('c')]).toEqual([1, undefined, 3]);
    const one = new Lru<string, number>(1);
    one.set('a', 1);
    one.set('b', 2);
    expect([one.peek('a'), one.get('b')]).toEqual([undefined, 2]);
  });

  it('in any sequence of operations: within max, the last value stored, and nothing used lately dropped', () => {
    let seed = 42;
    const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (const max of [2, 3, 8, 50]) {
      // An exact LRU drops an entry after max other keys were used (stored or read) since its own last
      // use; this one after at least max - (max / 2 - 1) of them.
      const bound = max - Math.max(Math.floor(max / 2) - 1, 0);
      const lru = new Lru<number, number>(max);
      const model = new Map<number, number>();
      const uses: number[] = [];
      const lastUse = new Map<number, number>();
      const use = (key: number) => {
        lastUse.set(key, uses.length);
        uses.push(key);
      };
      for (let op = 0; op < 20_000; op++) {
        const key = random(max * 3);
        const kind = random(10);
        if (kind < 4) {
          lru.set(key, op);
          model.set(key, op);
          use(key);
        } else if (kind < 5) {
          lru.delete(key);
          model.delete(key);
          lastUse.delete(key);
        } else {
          const got = lru.get(key);
          if (got !== undefined) {
            expect(got).toBe(model.get(key));
            use(key);
          } else if (lastUse.has(key)) {
            const others = new Set(uses.slice(lastUse.get(key)! + 1));
            others.delete(key);
            expect(others.size).toBeGreaterThanOrEqual(bound);
            lastUse.delete(key);
            model.delete(key);
          }
        }
        expect(lru.size).toBeLessThanOrEqual(max);
      }
    }
  });
});
