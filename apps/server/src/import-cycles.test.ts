/**
 * No import circles in the server: a module must be able to load without a module that needs it being
 * half-evaluated. Type-only imports are left out (they vanish at run time); every value import counts.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface MadgeResult {
  circular(): string[][];
  obj(): Record<string, string[]>;
}
type Madge = (path: string, config: Record<string, unknown>) => Promise<MadgeResult>;
const madge = createRequire(import.meta.url)('madge') as Madge;

const SRC = new URL('.', import.meta.url).pathname;

describe('import graph of apps/server/src', () => {
  it('has no circle of value imports', async () => {
    const result = await madge(SRC, {
      fileExtensions: ['ts'],
      excludeRegExp: [/\.test\.ts$/],
      detectiveOptions: { ts: { skipTypeImports: true } },
    });
    const circles = result.circular();
    // The graph is the real one (every module found, so a circle could not hide in a file it missed).
    expect(Object.keys(result.obj()).length).toBeGreaterThan(150);
    expect(circles.map((c) => c.join(' > '))).toEqual([]);
  }, 120_000);
});
