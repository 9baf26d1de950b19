import type { ReactNode } from 'react';

/**
 * A chart with its text alternatives: a heading, a one-sentence summary that screen readers read as the image's
 * name (the SVG itself is hidden from them), and the figures behind it as a table anyone can open.
 */
export function ChartFigure({ id, title, summary, chart, data }: {
  id: string;
  title: string;
  summary: string;
  chart: ReactNode;
  data: ReactNode;
}) {
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div role="img" aria-label={summary} className="chart-image">
        <div aria-hidden="true">{chart}</div>
      </div>
      <p className="muted" aria-hidden="true">{summary}</p>
      <details>
        <summary>Data of the chart “{title}”</summary>
        {data}
      </details>
    </figure>
  );
}
