/**
 * Library search on a large library: a group of its own
 * gets 5,000 games through the API (names from 100 words, so a prefix like "stardew" matches 50 of
 * them, and each game has an alias), then `GET /api/groups/:id/games?q=stardew` is loaded. The setup is
 * not measured; the figure is the search's req/s as a ratio to the same run's baseline.
 */
import { registerCase } from '../registry.ts';

const GAMES = 5_000;
const WORDS = [
  'stardew',
  'terraria',
  'valheim',
  'portal',
  'factorio',
  'rimworld',
  'hades',
  'celeste',
  'minecraft',
  'rocket',
  'overcooked',
  'among',
  'phasmo',
  'lethal',
  'satisfactory',
  'subnautica',
  'raft',
  'grounded',
  'palworld',
  'helldivers',
  'deep',
  'risk',
  'cuphead',
  'dont',
  'left',
  'borderlands',
  'civilization',
  'stellaris',
  'crusader',
  'europa',
  'hearts',
  'oxygen',
  'planet',
  'cities',
  'kerbal',
  'slay',
  'inscryption',
  'balatro',
  'vampire',
  'brotato',
  'dota',
  'league',
  'valorant',
  'counter',
  'apex',
  'fortnite',
  'warframe',
  'destiny',
  'diablo',
  'path',
  'elden',
  'dark',
  'monster',
  'baldur',
  'divinity',
  'pillars',
  'tyranny',
  'wasteland',
  'fallout',
  'skyrim',
  'witcher',
  'cyberpunk',
  'mass',
  'dragon',
  'halo',
  'gears',
  'forza',
  'gran',
  'mario',
  'zelda',
  'splatoon',
  'pikmin',
  'kirby',
  'metroid',
  'smash',
  'animal',
  'pokemon',
  'xenoblade',
  'fire',
  'octopath',
  'tetris',
  'puyo',
  'street',
  'tekken',
  'mortal',
  'guilty',
  'soul',
  'king',
  'chess',
  'go',
  'catan',
  'ticket',
  'carcassonne',
  'pandemic',
  'wingspan',
  'azul',
  'splendor',
  'codenames',
  'dixit',
  'gloomhaven',
];

async function post(url: string, path: string, headers: Record<string, string>, json: unknown): Promise<{ id: string }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { ...headers, origin: url, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

registerCase({
  name: 'library search GET',
  description: '`?q=stardew` (50 matches by key prefix) in a library of 5,000 games with aliases',
  run: async (ctx) => {
    const { url, authHeaders } = ctx.app;
    const group = await post(url, '/api/groups', authHeaders, { name: 'Bench library', timezone: 'UTC' });
    let next = 0;
    // A few writers at a time: the setup only has to finish, not to be fast.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < GAMES) {
          const i = next++;
          const word = WORDS[i % WORDS.length]!;
          await post(url, `/api/groups/${group.id}/games`, authHeaders, {
            name: `${word} ${Math.floor(i / WORDS.length) + 1}`,
            aliases: [`${word.slice(0, 3)} ${i} alt`],
            minPlayers: 1 + (i % 4),
            maxPlayers: 4 + (i % 8),
            platforms: ['pc'],
          });
        }
      }),
    );
    const check = await fetch(`${url}/api/groups/${group.id}/games?q=stardew`, { headers: authHeaders });
    const found = ((await check.json()) as unknown[]).length;
    if (found !== GAMES / WORDS.length) throw new Error(`library search found ${found} games, expected ${GAMES / WORDS.length}`);
    return ctx.load({ path: `/api/groups/${group.id}/games?q=stardew`, headers: authHeaders });
  },
});
