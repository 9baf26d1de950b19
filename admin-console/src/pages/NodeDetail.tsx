import { Link, useParams } from 'react-router';
import { createColumnHelper } from '@tanstack/react-table';
import { useAdminEvents, useNodeDetail } from '../api/hooks';
import type { AdminOffer, NodeJob } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Empty, QueryState } from '../components/Status';
import { TrendChart } from '../components/TrendChart';
import { credits, fromSeconds } from '../format';
import { slotText } from './Market';

const offerColumn = createColumnHelper<AdminOffer>();
const OFFER_COLUMNS = [
  offerColumn.accessor('offerId', { header: 'Offer' }),
  offerColumn.accessor(slotText, { id: 'slot', header: 'Slot' }),
  offerColumn.accessor('slotsInUse', { header: 'In use', cell: (c) => `${c.getValue()} of ${c.row.original.slots}` }),
  offerColumn.accessor('unitPrice', { header: 'Unit price', cell: (c) => credits(c.getValue()) }),
  offerColumn.accessor('stake', { header: 'Stake', cell: (c) => credits(c.getValue()) }),
  offerColumn.accessor('status', { header: 'Status' }),
];

const jobColumn = createColumnHelper<NodeJob>();
const HISTORY_COLUMNS = [
  jobColumn.accessor('at', { header: 'When', cell: (c) => fromSeconds(c.getValue()) }),
  jobColumn.accessor('jobId', { header: 'Job', cell: (c) => <Link to={`/jobs/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link> }),
  jobColumn.accessor('replica', { header: 'Replica' }),
  jobColumn.accessor('verdict', { header: 'Verdict', cell: (c) => <span className={`badge ${c.getValue().toLowerCase()}`}>{c.getValue()}</span> }),
  jobColumn.accessor('paid', { header: 'Paid', cell: (c) => credits(c.getValue()) }),
  jobColumn.accessor('slashed', { header: 'Slashed', cell: (c) => credits(c.getValue()) }),
  jobColumn.accessor('blockNumber', { header: 'Block' }),
];

/** One provider node: its standing, offers, reputation trend and the jobs it worked on (`/nodes/<node id>`). */
export function NodeDetail() {
  const nodeId = useParams()['*'] ?? '';
  const detail = useNodeDetail(nodeId || null);
  useAdminEvents();
  return (
    <section aria-labelledby="node-title">
      <p><Link to="/reputation">← Reputation</Link> · <Link to="/market">← Offers and nodes</Link></p>
      <h1 id="node-title">Node {nodeId}</h1>
      <QueryState what={`node ${nodeId}`} query={detail}>
        {({ node, offers, trend, history }) => (
          <>
            <dl className="facts" aria-label="Standing">
              <dt>Org</dt><dd>{node.org}</dd>
              <dt>Status</dt><dd><span className={`badge ${node.online ? 'online' : 'offline'}`}>{node.online ? 'online' : 'offline'}</span></dd>
              <dt>Rank</dt><dd>{node.rank}</dd>
              <dt>Reputation score</dt><dd>{node.score.toFixed(3)}</dd>
              <dt>Agreed, dissented, no-shows, disputed</dt><dd>{node.agreed}, {node.dissented}, {node.noShows}, {node.disputed}</dd>
              <dt>Paid, slashed</dt><dd>{credits(node.paid)}, {credits(node.slashed)}</dd>
              <dt>Stake</dt><dd>{credits(node.stake)} on {node.offers} offers</dd>
            </dl>
            <section aria-labelledby="node-offers-title">
              <h2 id="node-offers-title">Offers</h2>
              {offers.length === 0 ? <Empty>This node has no offer.</Empty>
                : <DataTable caption={`Offers of ${nodeId}`} data={offers} columns={OFFER_COLUMNS} />}
            </section>
            <section aria-labelledby="node-trend-title">
              <h2 id="node-trend-title">Reputation trend</h2>
              <TrendChart nodeId={nodeId} trend={trend} />
            </section>
            <section aria-labelledby="node-history-title">
              <h2 id="node-history-title">Job history</h2>
              {history.length === 0 ? <Empty>This node has not worked on a job yet.</Empty>
                : <DataTable caption={`Jobs of ${nodeId}, newest first`} data={history} columns={HISTORY_COLUMNS} />}
            </section>
          </>
        )}
      </QueryState>
    </section>
  );
}
