/** First-load JavaScript of the built web app, gzipped, per screen (scripts/bundle-size.mjs); budget 150 KB. */
import { registerCase, scriptFigures } from '../registry.ts';

registerCase({
  name: 'web-first-load',
  description: 'Gzipped JS a first visit downloads (entry + the screen opened), heaviest screen vs the 150 KB budget',
  run: () => scriptFigures('scripts/bundle-size.mjs', 30_000),
});
