import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { createColumnHelper, type SortingState } from '@tanstack/react-table';
import { useAdminEvents, useAdminOffers, useNodes, type AdminOfferFilter } from '../api/hooks';
import type { AdminOffer, NodeView, Offer } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Empty, QueryState } from '../components/Status';
import { Pager, useCursors } from '../components/Pager';
import { credits, fromMillis, nodePath } from '../format';

const offerColumn = createColumnHelper<AdminOffer>();
/** The columns the gateway sorts by, and its name of each sort. */
const SERVER_SORTS: Record<string, string> = { unitPrice: 'price', slotsInUse: 'inUse', reputation: 'reputation' };
const OFFER_COLUMNS = [
  offerColumn.accessor('offerId', { header: 'Offer', enableSorting: false }),
  offerColumn.accessor('nodeId', { header: 'Node', enableSorting: false, cell: (c) => <Link to={nodePath(c.getValue())}>{c.getValue()}</Link> }),
  offerColumn.accessor('org', { header: 'Org', enableSorting: false }),
  offerColumn.accessor(slotText, { id: 'slot', header: 'Slot', enableSorting: false }),
  offerColumn.accessor('slotsInUse', { header: 'In use', cell: (c) => `${c.getValue()} of ${c.row.original.slots}` }),
  offerColumn.accessor('unitPrice', { header: 'Unit price', cell: (c) => credits(c.getValue()) }),
  offerColumn.accessor('stake', { header: 'Stake', enableSorting: false, cell: (c) => credits(c.getValue()) }),
  offerColumn.accessor('reputation', { header: 'Reputation', cell: (c) => c.getValue().toFixed(2) }),
  offerColumn.accessor('status', { header: 'Status', enableSorting: false }),
];

/** A slot's resources in a few words. */
export function slotText(o: Offer): string {
  return `${o.slot.cpuMillis / 1000} CPU, ${o.slot.memoryMiB} MiB${o.slot.gpuCount ? `, ${o.slot.gpuCount}× ${o.slot.gpuModel}` : ''}`;
}

/** The gateway's `sort` parameter for the table's sorting (none: by offer id). */
function serverSort(sorting: SortingState): string | undefined {
  const first = sorting[0];
  const name = first && SERVER_SORTS[first.id];
  return name ? `${first.desc ? '-' : ''}${name}` : undefined;
}

const nodeColumn = createColumnHelper<NodeView>();
const NODE_COLUMNS = [
  nodeColumn.accessor('nodeId', { header: 'Node', cell: (c) => <Link to={nodePath(c.getValue())}>{c.getValue()}</Link> }),
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
      <h2 id="nodes-title">This org's provider nodes (heartbeats)</h2>
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

const NO_FILTER = { resourceClass: '', node: '', org: '', status: '' };

/** Every offer of the consortium, filtered and sorted by the gateway, a page at a time. */
function Offers() {
  const [draft, setDraft] = useState(NO_FILTER);
  const [applied, setApplied] = useState(NO_FILTER);
  const [sorting, setSorting] = useState<SortingState>([]);
  const cursors = useCursors();
  const filter: AdminOfferFilter = { ...applied, sort: serverSort(sorting) };
  const offers = useAdminOffers(filter, cursors.cursor);
  useAdminEvents();

  function apply(event: FormEvent) {
    event.preventDefault();
    cursors.reset();
    setApplied({ resourceClass: draft.resourceClass.trim(), node: draft.node.trim(), org: draft.org.trim(), status: draft.status });
  }

  const field = (key: keyof typeof NO_FILTER) => ({ value: draft[key], onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }) });

  return (
    <section aria-labelledby="offers-title">
      <h2 id="offers-title">Offers of the consortium</h2>
      <form className="filters" onSubmit={apply} aria-label="Filter offers">
        <label>Resource class <input {...field('resourceClass')} placeholder="amd64/cpu" /></label>
        <label>Node <input {...field('node')} placeholder="Org2MSP/node1@org2" /></label>
        <label>Org <input {...field('org')} placeholder="Org2MSP" /></label>
        <label>Offer status
          <select {...field('status')}>
            <option value="">Active and paused</option><option value="ACTIVE">Active</option>
            <option value="PAUSED">Paused</option><option value="WITHDRAWN">Withdrawn</option>
          </select>
        </label>
        <button type="submit">Show offers</button>
      </form>
      <p className="hint">Sort by slots in use, unit price or reputation with the column headers (the gateway sorts every page).</p>
      <QueryState what="offers" query={offers} isEmpty={(p) => p.items.length === 0} empty="No offer matches.">
        {(page) => (
          <DataTable caption={`Offers, page ${cursors.page}`} data={page.items} columns={OFFER_COLUMNS}
                     sorting={sorting} onSortingChange={(next) => { cursors.reset(); setSorting(next); }} />
        )}
      </QueryState>
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
