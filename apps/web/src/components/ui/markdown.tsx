/**
 * A small Markdown renderer for the project's own documents (docs/privacy.md): headings, paragraphs,
 * nested lists, tables, **bold** and `code`. It builds React elements — never HTML strings — so nothing
 * in the text can become markup.
 */
import type { ReactNode } from 'react';

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(\*\*[^*]+\*\*|`[^`]+`)/g;
  let last = 0;
  let i = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const token = m[0];
    out.push(
      token.startsWith('**') ? (
        <strong key={i++}>{token.slice(2, -2)}</strong>
      ) : (
        <code key={i++} className="rounded bg-slate-200 px-1 text-sm dark:bg-slate-800">
          {token.slice(1, -1)}
        </code>
      ),
    );
    last = m.index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block =
  | { kind: 'h'; level: number; text: string }
  | { kind: 'p'; text: string }
  | { kind: 'ul'; items: { depth: number; text: string }[] }
  | { kind: 'table'; rows: string[][] };

function parse(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'p', text: para.join(' ') });
    para = [];
  };
  for (const line of lines) {
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const item = /^(\s*)[-*]\s+(.*)$/.exec(line);
    const prev = blocks[blocks.length - 1];
    if (!line.trim()) flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'h', level: heading[1]!.length, text: heading[2]! });
    } else if (line.trimStart().startsWith('|')) {
      flush();
      const cells = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim());
      if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
      if (prev?.kind === 'table') prev.rows.push(cells);
      else blocks.push({ kind: 'table', rows: [cells] });
    } else if (item) {
      flush();
      const entry = { depth: Math.floor(item[1]!.length / 2), text: item[2]! };
      if (prev?.kind === 'ul') prev.items.push(entry);
      else blocks.push({ kind: 'ul', items: [entry] });
    } else if (prev?.kind === 'ul' && para.length === 0 && /^\s+/.test(line)) {
      // A wrapped list item continues the previous item.
      const last = prev.items[prev.items.length - 1]!;
      last.text += ` ${line.trim()}`;
    } else para.push(line.trim());
  }
  flush();
  return blocks;
}

export function Markdown({ source, skipTitle = false }: { source: string; skipTitle?: boolean }) {
  const blocks = parse(source).filter((b, i) => !(skipTitle && i === 0 && b.kind === 'h' && b.level === 1));
  return (
    <>
      {blocks.map((b, i) => {
        if (b.kind === 'h') {
          const cls = b.level <= 2 ? 'pt-2 text-xl font-bold' : 'text-lg font-bold';
          return b.level <= 2 ? (
            <h2 key={i} className={cls}>
              {inline(b.text)}
            </h2>
          ) : (
            <h3 key={i} className={cls}>
              {inline(b.text)}
            </h3>
          );
        }
        if (b.kind === 'p') return <p key={i}>{inline(b.text)}</p>;
        if (b.kind === 'ul') {
          return (
            <ul key={i} className="list-disc space-y-1 pl-5">
              {b.items.map((it, j) => (
                <li key={j} className={it.depth > 0 ? 'ml-5 list-[circle]' : undefined}>
                  {inline(it.text)}
                </li>
              ))}
            </ul>
          );
        }
        const [head, ...rows] = b.rows;
        return (
          <div
            key={i}
            className="overflow-x-auto rounded-lg border border-slate-300 dark:border-slate-700"
            tabIndex={0}
            role="region"
            aria-label="Table"
          >
            <table className="w-full min-w-[40rem] border-collapse text-left text-sm">
              <thead className="bg-slate-100 dark:bg-slate-800">
                <tr>
                  {head?.map((c, j) => (
                    <th key={j} scope="col" className="p-2 font-bold">
                      {inline(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, j) => (
                  <tr key={j} className="border-t border-slate-200 align-top dark:border-slate-700">
                    {r.map((c, k) => (
                      <td key={k} className="p-2">
                        {inline(c)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </>
  );
}
