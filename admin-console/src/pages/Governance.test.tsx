import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, aProposalSummary, fakeGateway, renderConsole } from '../test/gateway';
import type { Parameters } from '../api/types';

const PARAMETERS: Parameters = {
  members: ['Org1MSP', 'Org2MSP', 'Org3MSP'], version: 4, feeBasisPoints: 100, minStakePerSlot: 10, slashBasisPoints: 500,
  defaultReplicas: 2, defaultQuorum: 2, commitGraceSeconds: 4, revealWindowSeconds: 8, matchScanLimit: 50,
  clockToleranceSeconds: 2, reputationUnitCredits: 10, reputationCapPerOrg: 100,
  units: { microPerMillicore: 1, microPerMemoryMiB: 1, microPerGpu: 1000, microPerStorageMiB: 1 },
};

describe('The governance page', () => {
  it('shows the parameters in force and proposes a change that amends their version', async () => {
    let sent: Record<string, unknown> = {};
    fakeGateway({
      ...QUIET,
      '/api/v1/consortium/parameters': () => ({ body: PARAMETERS }),
      'POST /api/v1/admin/proposals': (_url, init) => {
        sent = JSON.parse(String(init.body));
        return { status: 201, body: { proposalId: 'fee-200', params: sent.parameters, amendsVersion: 4, expiresAt: sent.expiresAt,
          proposedBy: 'Org1MSP', proposedAt: 1_796_000_000, status: 'OPEN', approvals: ['Org1MSP'] } };
      },
    });
    renderConsole('/governance');
    expect(await screen.findByRole('table', { name: 'Parameters in force, version 4' })).toHaveTextContent('Org1MSP, Org2MSP, Org3MSP');
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('New proposal id'), 'fee-200');
    await user.clear(screen.getByLabelText('Fee (basis points)'));
    await user.type(screen.getByLabelText('Fee (basis points)'), '200');
    await user.click(screen.getByRole('button', { name: 'Propose' }));

    expect(await screen.findByText('Proposed.')).toBeInTheDocument();
    expect(screen.getByText('Org1MSP', { selector: 'dd' })).toBeInTheDocument();
    expect(sent.amendsVersion).toBe(4);
    expect(sent.parameters).toMatchObject({ feeBasisPoints: 200, slashBasisPoints: 500, members: PARAMETERS.members });
    expect(sent.parameters).not.toHaveProperty('version');
    expect(screen.getByRole('button', { name: 'Approve for this org' })).toBeInTheDocument();
  });

  it('reads a looked-up open proposal again until another org\'s approval applies it', async () => {
    const proposal = { proposalId: 'scan-51', params: { ...PARAMETERS, matchScanLimit: 51 }, amendsVersion: 4,
      expiresAt: 1_796_086_400, proposedBy: 'Org1MSP', proposedAt: 1_796_000_000, status: 'OPEN', approvals: ['Org1MSP'] };
    fakeGateway({
      ...QUIET,
      '/api/v1/consortium/parameters': () => ({ body: PARAMETERS }),
      '/api/v1/consortium/proposals/scan-51': () => ({ body: proposal }),
    });
    renderConsole('/governance');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Proposal id to look up'), 'scan-51');
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByText('scan-51 (OPEN)')).toBeInTheDocument();

    Object.assign(proposal, { status: 'APPLIED', approvals: ['Org1MSP', 'Org2MSP'] });

    expect(await screen.findByText('scan-51 (APPLIED)', {}, { timeout: 12_000 })).toBeInTheDocument();
    expect(screen.getByText('Org1MSP, Org2MSP', { selector: 'dd' })).toBeInTheDocument();
  });

  it('lists the proposals with their changes and approval state across the orgs, and approves an open one', async () => {
    const open = aProposalSummary('fee-300');
    let approvals: string[] = [];
    const calls = fakeGateway({
      ...QUIET,
      '/api/v1/consortium/parameters': () => ({ body: PARAMETERS }),
      '/api/v1/admin/proposals': () => ({ body: [{ ...open, approvals: ['Org1MSP', ...approvals] },
        aProposalSummary('scan-51', { status: 'APPLIED', approvals: ['Org1MSP', 'Org3MSP'], changes: [{ name: 'matchScanLimit', from: 50, to: 51 }, { name: 'members', from: ['Org1MSP'], to: ['Org1MSP', 'Org2MSP'] }] })] }),
      'POST /api/v1/admin/proposals/fee-300/approvals': () => {
        approvals = ['Org2MSP'];
        return { body: { proposalId: 'fee-300', params: PARAMETERS, amendsVersion: 4, expiresAt: open.expiresAt, proposedBy: 'Org1MSP',
          proposedAt: open.proposedAt, status: 'APPLIED', approvals: ['Org1MSP', 'Org2MSP'] } };
      },
    });
    renderConsole('/governance');

    const table = await screen.findByRole('table', { name: 'Proposals, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['fee-300', 'scan-51']);
    expect(rows[0]).toHaveTextContent('feeBasisPoints: 250 → 300');
    expect(rows[0]).toHaveTextContent('1 of 2 required approvals');
    expect(within(screen.getByRole('list', { name: 'Approvals of fee-300' })).getAllByRole('listitem').map((li) => li.textContent))
      .toEqual(['✓ Org1MSP: approved', '○ Org2MSP: not yet', '○ Org3MSP: not yet']);
    expect(within(rows[1]).queryByRole('button')).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('members: ["Org1MSP"] → ["Org1MSP","Org2MSP"]');

    await userEvent.setup().click(within(rows[0]).getByRole('button', { name: 'Approve fee-300' }));

    await waitFor(() => expect(screen.getByRole('list', { name: 'Approvals of fee-300' })).toHaveTextContent('Org2MSP: approved'));
    expect(calls.find((c) => c.method === 'POST')?.headers.get('Idempotency-Key')).toMatch(/^approve-/);
  });

  it('says so when no proposal was made yet', async () => {
    fakeGateway({ ...QUIET, '/api/v1/consortium/parameters': () => ({ body: PARAMETERS }) });
    renderConsole('/governance');

    expect(await screen.findByText('No proposal has been made yet.')).toBeInTheDocument();
  });
});
