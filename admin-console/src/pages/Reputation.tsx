import { useState } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { useMembers, useNodeReputation, useNodeReputations, useNodes } from '../api/hooks';
import type { ReputationView } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Empty, ErrorState, Loading, QueryState } from '../components/Status';
import { LookupForm } from '../components/Pager';

const column = createColumnHelper<ReputationView>();
const evidenceColumns = [
  column.accessor('score', { header: 'Score' }),
  column.accessor('positiveEvidence', { header: 'Positive evidence', cell: (c) => c.getValue().toFixed(1) }),
  column.accessor('negativeEvidence', { header: 'Negative evidence', cell: (c) => c.getValue().toFixed(1) }),
  column.accessor((r) => r.record.dissented, { id: 'dissented', header: 'Dissented' }),
  column.accessor((r) => r.record.noShows, { id: 'noShows', header: 'No-shows' }),
];
const MEMBER_COLUMNS = [column.accessor('subject', { header: 'Member' }), ...evidenceColumns];
const NODE_COLUMNS = [column.accessor('subject', { header: 'Node' }), ...evidenceColumns];

/** This org's provider nodes (those that sent heartbeats) ranked by reputation. */
function NodeLeaderboard() {
  const nodes = useNodes();
  const reputations = useNodeReputations((nodes.data ?? []).map((n) => n.nodeId));
  const failed = reputations.find((r) => r.isError);
  const known = reputations.flatMap((r) => (r.data ? [r.data] : []));
  return (
    <section aria-labelledby="node-board-title">
      <h2 id="node-board-title">This org's provider nodes</h2>
      <QueryState what="nodes" query={nodes} isEmpty={(l) => l.length === 0} empty="No provider node has sent a heartbeat to this gateway.">
        {() => reputations.some((r) => r.isPending) ? <Loading what="the nodes' reputation" />
          : failed ? <ErrorState what="a node's reputation" error={failed.error} onRetry={() => void failed.refetch()} />
            : known.length === 0 ? <Empty>No reputation recorded for these nodes yet.</Empty>
              : <DataTable caption="This org's nodes by reputation" data={known} columns={NODE_COLUMNS} initialSort={[{ id: 'score', desc: true }]} />}
      </QueryState>
    </section>
  );
}

function NodeLookup() {
  const [nodeId, setNodeId] = useState<string | null>(null);
  const reputation = useNodeReputation(nodeId);
  return (
    <section aria-labelledby="node-rep-title">
      <h2 id="node-rep-title">A provider node's reputation</h2>
      <LookupForm label="Node account" placeholder="Org2MSP/node1@org2" onLookup={setNodeId} />
      {nodeId && (
        <QueryState what={`the reputation of ${nodeId}`} query={reputation}>
          {(r) => (
            <dl className="facts">
              <dt>Score</dt><dd>{r.score}</dd>
              <dt>Evidence</dt><dd>+{r.positiveEvidence.toFixed(1)} / −{r.negativeEvidence.toFixed(1)}</dd>
              <dt>Dissented, no-shows, disputed</dt><dd>{r.record.dissented}, {r.record.noShows}, {r.record.disputed}</dd>
            </dl>
          )}
        </QueryState>
      )}
    </section>
  );
}

export function Reputation() {
  const members = useMembers();
  return (
    <section aria-labelledby="rep-title">
      <h1 id="rep-title">Reputation</h1>
      <QueryState what="the leaderboard" query={members} isEmpty={(m) => m.length === 0}>
        {(list) => (
          <>
            <BarChart width={520} height={200} data={list} role="img" aria-label="Bar chart of member reputation scores">
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="subject" />
              <YAxis />
              <Tooltip />
              <Bar dataKey="score" fill="#3a8f5c" />
            </BarChart>
            <DataTable caption="Members by reputation" data={list} columns={MEMBER_COLUMNS} initialSort={[{ id: 'score', desc: true }]} />
          </>
        )}
      </QueryState>
      <NodeLeaderboard />
      <NodeLookup />
    </section>
  );
}
