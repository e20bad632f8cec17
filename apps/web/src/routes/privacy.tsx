import privacy from '../../../../docs/privacy.md?raw';
import { Markdown } from '../components/ui/markdown.tsx';
import { usePageTitle } from '../lib/use-page-title.ts';

/** The privacy notice is docs/privacy.md itself, built into this screen's chunk, so the two never drift. */
export function PrivacyPage() {
  usePageTitle('Privacy');
  return (
    <article className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-extrabold">Privacy</h1>
      <Markdown source={privacy} skipTitle />
    </article>
  );
}
