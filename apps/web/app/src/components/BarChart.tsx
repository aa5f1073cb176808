import type { ReactNode } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** What the bar's end says, e.g. "1.2 s"; the value itself by default. */
  shown?: string;
}

const ROW_HEIGHT = 22;

/** A small horizontal bar chart in SVG (no chart library); the bars' lengths are relative to the largest. */
export function BarChart({ bars, barWidth, caption }: { bars: readonly Bar[]; barWidth: number; caption?: ReactNode }) {
  const max = Math.max(1e-9, ...bars.map((bar) => bar.value));
  const shown = (bar: Bar): string => bar.shown ?? String(bar.value);
  return (
    <figure className="chart">
      <svg
        className="bars"
        role="img"
        aria-label={bars.map((bar) => `${bar.label} ${shown(bar)}`).join(', ')}
        viewBox={`0 0 320 ${bars.length * ROW_HEIGHT}`}
        width="100%"
      >
        {bars.map((bar, index) => (
          <g key={bar.label} transform={`translate(0 ${index * ROW_HEIGHT})`}>
            <text x="0" y="15" className="chart-label">
              {bar.label}
            </text>
            <rect
              x="80"
              y="4"
              height="14"
              rx="3"
              width={Math.max(1, (bar.value / max) * barWidth)}
              className={`chart-bar bar-${index % 4}`}
            />
            <text x={86 + (bar.value / max) * barWidth} y="15" className="chart-value">
              {shown(bar)}
            </text>
          </g>
        ))}
      </svg>
      {caption !== undefined && <figcaption>{caption}</figcaption>}
    </figure>
  );
}
