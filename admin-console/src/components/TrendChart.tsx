import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrendPoint } from '../api/types';
import { ChartFigure } from './Chart';
import { Empty } from './Status';
import { clock, fromSeconds } from '../format';

/** A node's reputation score after each change, oldest first, with the scores as a table. */
export function TrendChart({ nodeId, trend }: { nodeId: string; trend: TrendPoint[] }) {
  if (trend.length === 0) {
    return <Empty>No reputation change recorded for {nodeId} yet.</Empty>;
  }
  const first = trend[0];
  const last = trend[trend.length - 1];
  const points = trend.map((p) => ({ ...p, time: clock(p.t) }));
  return (
    <ChartFigure id="trend" title={`Reputation trend of ${nodeId}`}
      summary={`Line chart of the reputation score of ${nodeId}: ${trend.length} changes, from ${first.score.toFixed(2)} at ${fromSeconds(first.t)} to ${last.score.toFixed(2)} at ${fromSeconds(last.t)}.`}
      chart={(
        <LineChart width={560} height={220} data={points} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="time" minTickGap={24} />
          <YAxis domain={[0, 'auto']} />
          <Tooltip />
          <Line type="stepAfter" dataKey="score" stroke="#3a8f5c" dot={false} isAnimationActive={false} />
        </LineChart>
      )}
      data={(
        <table>
          <caption>Reputation score of {nodeId} after each change</caption>
          <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Block</th><th scope="col">Score</th></tr></thead>
          <tbody>{trend.map((p) => <tr key={`${p.blockNumber}-${p.t}`}><th scope="row">{fromSeconds(p.t)}</th><td>{p.blockNumber}</td><td>{p.score.toFixed(3)}</td></tr>)}</tbody>
        </table>
      )}
    />
  );
}
