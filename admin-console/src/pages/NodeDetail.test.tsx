import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { QUIET, aNodeRank, anAdminOffer, fakeGateway, json, renderConsole } from '../test/gateway';
import type { NodeDetail } from '../api/types';

const NODE = 'Org2MSP/node1@org2';
const DETAIL: NodeDetail = {
  node: aNodeRank(NODE, 2, { score: 0.815, agreed: 40, dissented: 1, paid: 12_345, slashed: 100, stake: 1_000 }),
  offers: [anAdminOffer('offer-n1', { slotsInUse: 2 })],
  trend: [{ t: 1_796_000_000, score: 0.5, blockNumber: 10 }, { t: 1_796_000_600, score: 0.85, blockNumber: 80 }],
  history: [
    { at: 1_796_000_600, jobId: 'job-7', replica: 2, verdict: 'DISSENTED', paid: 0, slashed: 100, txId: 'tx-7', blockNumber: 80 },
    { at: 1_796_000_300, jobId: 'job-6', replica: 0, verdict: 'AGREED', paid: 120, slashed: 0, txId: 'tx-6', blockNumber: 50 },
  ],
};

/** The gateway answers for the node id exactly as the console encodes it in the path (its '/' as %2F). */
function nodeGateway(detail: NodeDetail | null) {
  return fakeGateway({
    ...QUIET,
    '/api/v1/admin/nodes/Org2MSP%2Fnode1%40org2': () => (detail ? { body: detail }
      : json(404, { code: 'NOT_FOUND', message: 'no node Org2MSP/node1@org2 on the ledger', details: [] })),
  });
}

describe('A node\'s page', () => {
  it('shows the node\'s standing, its offers, its reputation trend and the jobs it worked on', async () => {
    nodeGateway(DETAIL);
    renderConsole('/nodes/Org2MSP/node1%40org2');

    expect(await screen.findByRole('heading', { level: 1, name: `Node ${NODE}` })).toBeInTheDocument();
    expect(await screen.findByLabelText('Standing')).toHaveTextContent('Reputation score0.815');
    expect(within(screen.getByRole('table', { name: `Offers of ${NODE}` })).getByText('2 of 2')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /reputation score of Org2MSP\/node1@org2: 2 changes, from 0\.50 .* to 0\.85/ })).toBeInTheDocument();
    const history = screen.getByRole('table', { name: `Jobs of ${NODE}, newest first` });
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[3].textContent)).toEqual(['DISSENTED', 'AGREED']);
    expect(within(history).getByRole('link', { name: 'job-7' })).toHaveAttribute('href', '/jobs/job-7');
  });

  it('says when the node has no trend and no job yet', async () => {
    nodeGateway({ ...DETAIL, trend: [], history: [], offers: [] });
    renderConsole('/nodes/Org2MSP/node1%40org2');

    expect(await screen.findByText(`No reputation change recorded for ${NODE} yet.`)).toBeInTheDocument();
    expect(screen.getByText('This node has not worked on a job yet.')).toBeInTheDocument();
    expect(screen.getByText('This node has no offer.')).toBeInTheDocument();
  });

  it('says the ledger never saw a node it does not know', async () => {
    nodeGateway(null);
    renderConsole('/nodes/Org2MSP/node1%40org2');

    expect(await screen.findByRole('alert')).toHaveTextContent('Not found: no node Org2MSP/node1@org2 on the ledger');
  });
});
