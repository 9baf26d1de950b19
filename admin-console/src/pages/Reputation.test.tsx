import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, aNodeRank, fakeGateway, renderConsole } from '../test/gateway';
import type { ReputationView } from '../api/types';

const reputation = (subject: string, score: number): ReputationView => ({
  subject, score, positiveEvidence: score / 10, negativeEvidence: 0, record: { dissented: 0, noShows: 0, disputed: 0, unrated: 0 },
});

const BOARD = [aNodeRank('Org3MSP/node1@org3', 1, { score: 0.9 }), aNodeRank('Org1MSP/node1@org1', 2, { score: 0.7 }),
  aNodeRank('Org2MSP/node1@org2', 3, { score: 0.2, online: false })];

function firstCells(table: HTMLElement, column: number): (string | null)[] {
  return within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[column].textContent);
}

describe('The reputation page', () => {
  it('ranks every node of the consortium by the gateway\'s leaderboard, and the members by score', async () => {
    fakeGateway({
      ...QUIET,
      '/api/v1/consortium/members': () => ({ body: [reputation('Org2MSP', 40), reputation('Org1MSP', 90), reputation('Org3MSP', 65)] }),
      '/api/v1/admin/nodes': () => ({ body: BOARD }),
    });
    renderConsole('/reputation');

    const board = await screen.findByRole('table', { name: 'Node leaderboard, best reputation first' });
    expect(firstCells(board, 1)).toEqual(['Org3MSP/node1@org3', 'Org1MSP/node1@org1', 'Org2MSP/node1@org2']);
    expect(within(board).getByRole('link', { name: 'Org2MSP/node1@org2' })).toHaveAttribute('href', '/nodes/Org2MSP/node1%40org2');
    expect(screen.getByRole('img', { name: /best nodes' reputation: Org3MSP\/node1@org3 0\.90, Org1MSP\/node1@org1 0\.70/ })).toBeInTheDocument();
    expect(firstCells(await screen.findByRole('table', { name: 'Members by reputation' }), 0)).toEqual(['Org1MSP', 'Org3MSP', 'Org2MSP']);
  });

  it('charts the reputation trend of the node chosen, the best one first', async () => {
    const calls = fakeGateway({
      ...QUIET,
      '/api/v1/admin/nodes': () => ({ body: BOARD }),
      '/api/v1/admin/nodes/Org3MSP%2Fnode1%40org3': () => ({ body: { node: BOARD[0], offers: [], history: [],
        trend: [{ t: 1_796_000_000, score: 0.6, blockNumber: 3 }, { t: 1_796_000_060, score: 0.9, blockNumber: 9 }] } }),
      '/api/v1/admin/nodes/Org2MSP%2Fnode1%40org2': () => ({ body: { node: BOARD[2], offers: [], history: [], trend: [] } }),
    });
    renderConsole('/reputation');

    expect(await screen.findByRole('img', { name: /Org3MSP\/node1@org3: 2 changes, from 0\.60 .* to 0\.90/ })).toBeInTheDocument();

    await userEvent.setup().selectOptions(screen.getByLabelText('Node'), 'Org2MSP/node1@org2');

    expect(await screen.findByText('No reputation change recorded for Org2MSP/node1@org2 yet.')).toBeInTheDocument();
    expect(calls.some((c) => c.path === '/api/v1/admin/nodes/Org2MSP%2Fnode1%40org2')).toBe(true);
  });

  it('says so when the ledger knows no provider node yet', async () => {
    fakeGateway({ ...QUIET });
    renderConsole('/reputation');

    expect(await screen.findByText('No provider node is known to the ledger yet.')).toBeInTheDocument();
  });
});
