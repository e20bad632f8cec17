/**
 * A horizontal bar chart in plain SVG: a title and a description (SVG <title>/<desc>, named by
 * aria-labelledby/-describedby), each bar labelled with its name and value, so it reads without colour.
 * The numbers are also in a data table beside it (the page renders it). Colours: indigo-700 on white and
 * indigo-300 on slate-900, both above 3:1 for graphics; the text is slate-900 / slate-100.
 */
import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
}

const ROW = 34;
const WIDTH = 320;
const BAR_MAX = WIDTH - 40;

function short(s: string, max = 38): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function BarChart({ title, description, bars, testId }: { title: string; description: string; bars: Bar[]; testId?: string }) {
  const id = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * ROW + 4;
  return (
    <figure className="min-w-0" data-testid={testId}>
      <figcaption className="font-semibold">{title}</figcaption>
      {bars.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">Nothing to show for these dates.</p>
      ) : (
        <svg
          role="img"
          aria-labelledby={`${id}-t`}
          aria-describedby={`${id}-d`}
          viewBox={`0 0 ${WIDTH} ${height}`}
          className="mt-1 h-auto w-full max-w-xl"
          preserveAspectRatio="xMinYMin meet"
        >
          <title id={`${id}-t`}>{title}</title>
          <desc id={`${id}-d`}>
            {description} {bars.map((b) => `${b.label}: ${b.value}`).join('; ')}.
          </desc>
          {bars.map((b, i) => {
            const y = i * ROW;
            const w = Math.max(2, (b.value / max) * BAR_MAX);
            return (
              <g key={`${b.label}-${i}`}>
                <text x={0} y={y + 12} className="fill-slate-900 text-[12px] dark:fill-slate-100">
                  {short(b.label)}
                </text>
                <rect x={0} y={y + 16} width={w} height={12} rx={2} className="fill-indigo-700 dark:fill-indigo-300" />
                <text x={w + 4} y={y + 27} className="fill-slate-900 text-[12px] font-bold dark:fill-slate-100">
                  {b.value}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
