import { usePageTitle } from '../lib/use-page-title.ts';

const sections: Array<{ title: string; body: string[] }> = [
  {
    title: 'What we keep',
    body: [
      'Your account: email address, username, an avatar link if you signed in with Discord, and a hash of your password (never the password itself).',
      'What you do in your groups: the games you suggest and the suggestions you approve.',
      'Security records: your active sessions (device and approximate address) and sign-in events, so you and the operator can spot misuse.',
    ],
  },
  {
    title: 'Who sees it',
    body: [
      'Members of a group see that group’s members (username and avatar), suggestions and approvals. Nobody outside a group sees anything of it.',
      'The person running this QueueCrew instance can read the security event log. Your data is not sold or shared with anyone.',
    ],
  },
  {
    title: 'How it is protected',
    body: [
      'The database is encrypted at rest, sensitive fields (two-factor secrets, Discord webhooks) are encrypted again with a separate key, and backups are encrypted.',
      'Sign-in cookies are HttpOnly and, over https, Secure. Logs never contain passwords, tokens or codes.',
    ],
  },
  {
    title: 'Your choices',
    body: [
      'Account → “Export my data” downloads everything about you as JSON.',
      'Account → “Delete my account” removes it: your approvals go, your suggestions stay in group history without your name, and groups you own pass to another admin (or are deleted when nobody is left).',
      'Old sessions, security events and expired invites are removed automatically after the retention period.',
    ],
  },
];

export function PrivacyPage() {
  usePageTitle('Privacy');
  return (
    <article className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-extrabold">Privacy</h1>
      <p className="text-lg text-slate-700 dark:text-slate-300">
        QueueCrew keeps only what it needs to let your group pick a game, and you can take it with you or delete it at any time.
      </p>
      {sections.map((s) => (
        <section key={s.title} className="space-y-2">
          <h2 className="text-xl font-bold">{s.title}</h2>
          <ul className="list-disc space-y-1 pl-5">
            {s.body.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </section>
      ))}
    </article>
  );
}
