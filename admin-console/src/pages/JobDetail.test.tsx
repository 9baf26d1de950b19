import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, aJob, aReplica, eventStream, fakeGateway, renderConsole, type Handler } from '../test/gateway';

const JOB_ID = 'j-tag-1';

function detailGateway(replicas = [
  aReplica({ replica: 0, ledgerState: 'REVEALED', committedAt: 1_796_000_030, revealedAt: 1_796_000_040, verdict: 'AGREED',
    agent: { step: 'revealed', at: 1_796_000_041_000, origin: 'kafka' } }),
  aReplica({ replica: 1, nodeId: 'Org3MSP/node1@org3', nodeOrg: 'Org3MSP', ledgerState: 'TIMED_OUT' }),
]) {
  return fakeGateway({
    ...QUIET,
    [`/api/v1/jobs/${JOB_ID}`]: () => ({ body: { job: aJob({ jobId: JOB_ID, status: 'RUNNING', phase: 'REVEAL' }), replicas: [], escrow: 300 } }),
    [`/api/v1/jobs/${JOB_ID}/replicas`]: () => ({ body: replicas }),
    [`/api/v1/jobs/${JOB_ID}/events`]: () => eventStream([
      { event: 'Snapshot', data: { id: `snapshot:${JOB_ID}`, jobId: JOB_ID, event: 'Snapshot', status: 'RUNNING', phase: 'COMMIT', blockNumber: 0 } },
      { event: 'ReplicaRevealed', id: `12:tx1:${JOB_ID}`, data: { id: `12:tx1:${JOB_ID}`, jobId: JOB_ID, event: 'ReplicaRevealed', status: 'RUNNING', phase: 'REVEAL', replica: 0, txId: 'tx1', blockNumber: 12 } },
      { event: 'AgentStep', id: 'agent:k:running:1', data: { id: 'agent:k:running:1', jobId: JOB_ID, event: 'AgentStep', replica: 1, attempt: 0, nodeId: 'Org3MSP/node1@org3', step: 'failed', reason: 'IMAGE_MISSING', blockNumber: 0, at: 1_796_000_050_000 } },
    ]),
  });
}

describe('A job detail', () => {
  it('shows each replica as a timeline from assignment through the agent, commit and reveal to its verdict', async () => {
    detailGateway();
    renderConsole(`/jobs/${JOB_ID}`);

    const timeline = await screen.findByRole('list', { name: 'Timeline of replica 0, attempt 0' });
    const steps = within(timeline).getAllByRole('listitem').map((li) => li.querySelector('.step')?.textContent);
    expect(steps).toEqual(['Assigned', 'Agent: revealed', 'Committed', 'Revealed', 'Verdict: AGREED']);
    expect(within(timeline).getByText('2026-11-30T00:53:30Z')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: /Replica 0, attempt 0 on Org2MSP\/node0@org2/ })).toBeInTheDocument();
  });

  it('shows a replica that timed out with its commit deadline and what it never reached as pending', async () => {
    detailGateway();
    renderConsole(`/jobs/${JOB_ID}`);

    const timeline = await screen.findByRole('list', { name: 'Timeline of replica 1, attempt 0' });
    const items = within(timeline).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.step')?.textContent)).toEqual(
      ['Assigned', 'Agent: no report yet', 'Committed', 'Revealed', 'Timed out']);
    expect(items[2]).toHaveClass('pending');
    expect(items[4]).toHaveTextContent('deadline 2026-11-30T00:54:50Z');
  });

  it('shows the job and the events of its live stream in order', async () => {
    const calls = detailGateway();
    renderConsole(`/jobs/${JOB_ID}`);

    expect(await screen.findByText('(REVEAL)')).toBeInTheDocument();
    const events = await screen.findByRole('list', { name: 'Events of this job' });
    await within(events).findByText(/IMAGE_MISSING/);
    expect(within(events).getAllByRole('listitem').map((li) => li.querySelector('strong')?.textContent))
      .toEqual(['Snapshot', 'ReplicaRevealed', 'AgentStep']);
    expect(calls.find((c) => c.path.endsWith('/events'))?.headers.get('Authorization')).toMatch(/^Bearer glt_/);
  });

  it('says so when no replica is assigned yet', async () => {
    detailGateway([]);
    renderConsole(`/jobs/${JOB_ID}`);

    expect(await screen.findByText('No replica assigned yet.')).toBeInTheDocument();
  });

  it('shows the orgs whose endorsements certified the completion, read from its block', async () => {
    finishedGateway({ '/api/v1/jobs/j-done/result': () => ({ body: null }) });
    renderConsole('/jobs/j-done');

    expect(await screen.findByRole('list', { name: 'Endorsing orgs' })).toHaveTextContent('Org1MSPOrg2MSP');
    expect(screen.getByText(/^Certified by/)).toHaveTextContent('Certified by Org1MSP, Org2MSP');
    expect(screen.getByLabelText('Certifying transaction')).toHaveTextContent('Block88 (VALID)');
    expect(within(screen.getByRole('table', { name: 'Endorsers of the transaction' })).getByText('CN=peer0.org2.example.com'))
      .toBeInTheDocument();
  });

  it('downloads the result and shows its X-Result-Digest, checked against the manifest fetched', async () => {
    const manifest = 'gridledger/outputs/v1\n';
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(manifest))))
      .map((b) => b.toString(16).padStart(2, '0')).join('');
    const location = 'http://console.test/s3/results/j-done/manifest';
    const calls = finishedGateway({
      '/api/v1/jobs/j-done/result': () => new Response(JSON.stringify({ jobId: 'j-done', status: 'COMPLETED', fingerprint: 'ab', runtimeSeconds: 3 }),
        { status: 200, headers: { 'Content-Type': 'application/json', 'X-Result-Digest': digest, 'X-Result-Location': location } }),
      '/s3/results/j-done/manifest': () => new Response(manifest),
    });
    renderConsole('/jobs/j-done');

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Fetch result' }));

    const download = await screen.findByLabelText('Result download');
    expect(download).toHaveTextContent(`Result digest (X-Result-Digest)${digest}`);
    expect(download).toHaveTextContent('the manifest fetched matches the digest');
    expect(within(download).getByRole('link', { name: 'Download the output manifest' })).toHaveAttribute('href', location);
    expect(calls.find((c) => c.path === '/api/v1/jobs/j-done/result')?.search.get('redirect')).toBe('false');
  });

  it('shows the digest and the link when the object store does not let the page read the manifest', async () => {
    finishedGateway({
      '/api/v1/jobs/j-done/result': () => new Response(JSON.stringify({ jobId: 'j-done', status: 'COMPLETED', fingerprint: 'ab', runtimeSeconds: 3 }),
        { status: 200, headers: { 'X-Result-Digest': 'cd'.repeat(32), 'X-Result-Location': 'http://console.test/s3/forbidden' } }),
      '/s3/forbidden': () => ({ status: 403, body: null }),
    });
    renderConsole('/jobs/j-done');

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Fetch result' }));

    const download = await screen.findByLabelText('Result download');
    expect(download).toHaveTextContent('cd'.repeat(32));
    expect(download).toHaveTextContent('does not let this page read the manifest');
  });

  it('says a finished job\'s certification could not be read', async () => {
    finishedGateway({ '/api/v1/jobs/j-done/certification': () => ({ status: 502, body: { code: 'LEDGER_UNAVAILABLE', message: 'no peer answered', details: [] } }) });
    renderConsole('/jobs/j-done');

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the certification. The gateway could not answer (LEDGER_UNAVAILABLE)');
  });
});

/** A job that completed, its certification and whatever else the test adds. */
function finishedGateway(more: Record<string, Handler>) {
  return fakeGateway({
    ...QUIET,
    '/api/v1/jobs/j-done': () => ({ body: { job: aJob({ jobId: 'j-done', status: 'COMPLETED', outcome: { fingerprint: 'ab'.repeat(32), runtimeSeconds: 3, fee: 3, refund: 10 } }), replicas: [], escrow: 0 } }),
    '/api/v1/jobs/j-done/replicas': () => ({ body: [] }),
    '/api/v1/jobs/j-done/events': () => eventStream([]),
    '/api/v1/jobs/j-done/certification': () => ({ body: {
      jobId: 'j-done', txId: 'f00d'.repeat(16), blockNumber: 88, validationCode: 'VALID', function: 'SettleJob', committedAt: 1_796_000_200,
      endorsingOrgs: ['Org1MSP', 'Org2MSP'],
      endorsers: [{ mspId: 'Org1MSP', subject: 'CN=peer0.org1.example.com' }, { mspId: 'Org2MSP', subject: 'CN=peer0.org2.example.com' }],
    } }),
    ...more,
  });
}
