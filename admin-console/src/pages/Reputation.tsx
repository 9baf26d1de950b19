import { useState } from 'react';
import { Link } from 'react-router';
import { createColumnHelper } from '@tanstack/react-table';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { useAdminEvents, useLeaderboard, useMembers, useNodeDetail } from '../api/hooks';
import type { NodeRank, ReputationView } from '../api/types';
import { ChartFigure } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Status';
import { TrendChart } from '../components/TrendChart';
import { credits, nodePath } from '../format';

const column = createColumnHelper<ReputationView>();
const MEMBER_COLUMNS = [
  column.accessor('subject', { header: 'Member' }),
  column.accessor('score', { header: 'Score' }),
  column.accessor('positiveEvidence', { header: 'Positive evidence', cell: (c) => c.getValue().toFixed(1) }),
  column.accessor('negativeEvidence', { header: 'Negative evidence', cell: (c) => c.getValue().toFixed(1) }),
  column.accessor((r) => r.record.dissented, { id: 'dissented', header: 'Dissented' }),
  column.accessor((r) => r.record.noShows, { id: 'noShows', header: 'No-shows' }),
];

const nodeColumn = createColumnHelper<NodeRank>();
const NODE_COLUMNS = [
  nodeColumn.accessor('rank', { header: 'Rank' }),
  nodeColumn.accessor('nodeId', { header: 'Node', cell: (c) => <Link to={nodePath(c.getValue())}>{c.getValue()}</Link> }),
  nodeColumn.accessor('org', { header: 'Org' }),
  nodeColumn.accessor('score', { header: 'Score', cell: (c) => c.getValue().toFixed(3) }),
  nodeColumn.accessor('agreed', { header: 'Agreed' }),
  nodeColumn.accessor('dissented', { header: 'Dissented' }),
  nodeColumn.accessor('noShows', { header: 'No-shows' }),
  nodeColumn.accessor('paid', { header: 'Paid', cell: (c) => credits(c.getValue()) }),
  nodeColumn.accessor('slashed', { header: 'Slashed', cell: (c) => credits(c.getValue()) }),
  nodeColumn.accessor('stake', { header: 'Stake', cell: (c) => credits(c.getValue()) }),
  nodeColumn.accessor('online', { header: 'Online', cell: (c) => (c.getValue() ? 'yes' : 'no') }),
];

function Trend({ nodes }: { nodes: NodeRank[] }) {
  const [chosen, setChosen] = useState(nodes[0].nodeId);
  const nodeId = nodes.some((n) => n.nodeId === chosen) ? chosen : nodes[0].nodeId;
  const detail = useNodeDetail(nodeId);
  return (
    <section aria-labelledby="trend-title">
      <h2 id="trend-title">A node's reputation over time</h2>
      <div className="filters">
        <label>Node
          <select value={nodeId} onChange={(e) => setChosen(e.target.value)}>
            {nodes.map((n) => <option key={n.nodeId} value={n.nodeId}>{n.nodeId}</option>)}
          </select>
        </label>
        <Link to={nodePath(nodeId)}>Open the node's page</Link>
      </div>
      <QueryState what={`the trend of ${nodeId}`} query={detail}>{(d) => <TrendChart nodeId={nodeId} trend={d.trend} />}</QueryState>
    </section>
  );
}

function NodeLeaderboard() {
  const board = useLeaderboard();
  return (
    <QueryState what="the node leaderboard" query={board} isEmpty={(l) => l.length === 0} empty="No provider node is known to the ledger yet.">
      {(nodes) => {
        const top = nodes.slice(0, 10);
        return (
          <>
            <section aria-labelledby="node-board-title">
              <h2 id="node-board-title">Provider nodes of the consortium</h2>
              <ChartFigure id="node-scores" title="Top nodes by reputation"
                summary={`Bar chart of the ${top.length} best nodes' reputation: ${top.map((n) => `${n.nodeId} ${n.score.toFixed(2)}`).join(', ')}.`}
                chart={(
                  <BarChart width={560} height={200} data={top} accessibilityLayer={false}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="nodeId" tick={false} />
                    <YAxis />
                    <Tooltip />
                    <Bar dataKey="score" fill="#3a8f5c" isAnimationActive={false} />
                  </BarChart>
                )}
                data={<ol>{top.map((n) => <li key={n.nodeId}>{n.nodeId}: {n.score.toFixed(3)}</li>)}</ol>}
              />
              <DataTable caption="Node leaderboard, best reputation first" data={nodes} columns={NODE_COLUMNS} initialSort={[{ id: 'rank', desc: false }]} />
            </section>
            <Trend nodes={nodes} />
          </>
        );
      }}
    </QueryState>
  );
}

export function Reputation() {
  const members = useMembers();
  useAdminEvents();
  return (
    <section aria-labelledby="rep-title">
      <h1 id="rep-title">Reputation</h1>
      <NodeLeaderboard />
      <section aria-labelledby="member-board-title">
        <h2 id="member-board-title">Member orgs</h2>
        <QueryState what="the members" query={members} isEmpty={(m) => m.length === 0}>
          {(list) => <DataTable caption="Members by reputation" data={list} columns={MEMBER_COLUMNS} initialSort={[{ id: 'score', desc: true }]} />}
        </QueryState>
      </section>
    </section>
  );
}
