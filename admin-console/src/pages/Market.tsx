import { useState, type FormEvent } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { useNodes, useOffers, type OfferFilter } from '../api/hooks';
import type { NodeView, Offer } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Empty, QueryState } from '../components/Status';
import { Pager, useCursors } from '../components/Pager';
import { credits, fromMillis, fromSeconds } from '../format';

const offerColumn = createColumnHelper<Offer>();
const OFFER_COLUMNS = [
  offerColumn.accessor('offerId', { header: 'Offer' }),
  offerColumn.accessor('nodeId', { header: 'Node' }),
  offerColumn.accessor('org', { header: 'Org' }),
  offerColumn.accessor((o) => `${o.slot.cpuMillis / 1000} CPU, ${o.slot.memoryMiB} MiB${o.slot.gpuCount ? `, ${o.slot.gpuCount}× ${o.slot.gpuModel}` : ''}`,
    { id: 'slot', header: 'Slot' }),
  offerColumn.accessor('slots', { header: 'Slots' }),
  offerColumn.accessor('unitPrice', { header: 'Unit price', cell: (c) => credits(c.getValue()) }),
  offerColumn.accessor('stake', { header: 'Stake', cell: (c) => credits(c.getValue()) }),
  offerColumn.accessor('status', { header: 'Status' }),
  offerColumn.accessor('updatedAt', { header: 'Updated', cell: (c) => fromSeconds(c.getValue()) }),
];

const nodeColumn = createColumnHelper<NodeView>();
const NODE_COLUMNS = [
  nodeColumn.accessor('nodeId', { header: 'Node' }),
  nodeColumn.accessor('state', { header: 'State', cell: (c) => <span className={`badge ${c.row.original.online ? 'online' : 'offline'}`}>{c.getValue()}</span> }),
  nodeColumn.accessor((n) => (n.capacity ? n.runningJobs / n.capacity : 0), {
    id: 'load', header: 'Load', cell: (c) => `${c.row.original.runningJobs} of ${c.row.original.capacity}`,
  }),
  nodeColumn.accessor((n) => n.offers.map((o) => `${o.resourceClass} @ ${o.unitPrice}`).join('; '), { id: 'offers', header: 'Offers' }),
  nodeColumn.accessor((n) => n.runningReplicas?.length ?? 0, { id: 'running', header: 'Running replicas' }),
  nodeColumn.accessor('lastSeen', { header: 'Last seen', cell: (c) => fromMillis(c.getValue()) }),
];

function Nodes() {
  const nodes = useNodes();
  const [state, setState] = useState('');
  return (
    <section aria-labelledby="nodes-title">
      <h2 id="nodes-title">This org's provider nodes</h2>
      <label>Node state
        <select value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">All</option><option value="online">Online</option><option value="offline">Offline</option>
        </select>
      </label>
      <QueryState what="nodes" query={nodes} isEmpty={(l) => l.length === 0} empty="No provider node has sent a heartbeat to this gateway.">
        {(list) => {
          const shown = list.filter((n) => !state || (state === 'online') === n.online);
          return shown.length === 0 ? <Empty>No node in that state.</Empty>
            : <DataTable caption="Provider nodes" data={shown} columns={NODE_COLUMNS} initialSort={[{ id: 'nodeId', desc: false }]} />;
        }}
      </QueryState>
    </section>
  );
}

function Offers() {
  const [draft, setDraft] = useState({ resourceClass: 'amd64/cpu', node: '', maxUnitPrice: '' });
  const [filter, setFilter] = useState<OfferFilter>({ resourceClass: 'amd64/cpu' });
  const cursors = useCursors();
  const offers = useOffers(filter, cursors.cursor);

  function apply(event: FormEvent) {
    event.preventDefault();
    cursors.reset();
    setFilter({
      resourceClass: draft.resourceClass.trim() || undefined,
      node: draft.node.trim() || undefined,
      maxUnitPrice: draft.maxUnitPrice ? Number(draft.maxUnitPrice) : undefined,
    });
  }

  return (
    <section aria-labelledby="offers-title">
      <h2 id="offers-title">Offers on the market</h2>
      <form className="filters" onSubmit={apply} aria-label="Filter offers">
        <label>Resource class <input value={draft.resourceClass} onChange={(e) => setDraft({ ...draft, resourceClass: e.target.value })} placeholder="amd64/cpu" /></label>
        <label>Max unit price <input type="number" min={0} value={draft.maxUnitPrice} onChange={(e) => setDraft({ ...draft, maxUnitPrice: e.target.value })} /></label>
        <label>Or one node <input value={draft.node} onChange={(e) => setDraft({ ...draft, node: e.target.value })} placeholder="Org2MSP/node1@org2" /></label>
        <button type="submit">Show offers</button>
      </form>
      {!filter.resourceClass && !filter.node ? <Empty>Name a resource class or a node.</Empty> : (
        <QueryState what="offers" query={offers} isEmpty={(p) => p.items.length === 0} empty="No offer matches.">
          {(page) => <DataTable caption="Offers, cheapest first" data={page.items} columns={OFFER_COLUMNS} />}
        </QueryState>
      )}
      <Pager label="Pages of offers" cursors={cursors} nextCursor={offers.data?.nextCursor} busy={offers.isPlaceholderData} />
    </section>
  );
}

export function Market() {
  return (
    <section aria-labelledby="market-title">
      <h1 id="market-title">Offers and nodes</h1>
      <Nodes />
      <Offers />
    </section>
  );
}
