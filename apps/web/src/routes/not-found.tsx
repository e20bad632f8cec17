import { Link } from '@tanstack/react-router';
import { usePageTitle } from '../lib/use-page-title.ts';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-extrabold">Page not found</h1>
      <p>This page does not exist, or you do not have access to it. Check the link, or go back to your groups.</p>
      <Link to="/groups">Go to my groups</Link>
    </div>
  );
}
