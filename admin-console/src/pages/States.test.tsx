import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, aJob, fakeGateway, json, renderConsole } from '../test/gateway';

describe('Loading, empty and error states', () => {
  it('announces that jobs are loading until the gateway answers', async () => {
    let answer: (r: Response) => void = () => {};
    fakeGateway({ ...QUIET, '/api/v1/jobs': () => new Promise<Response>((resolve) => { answer = resolve; }) });
    renderConsole('/jobs');

    expect(await screen.findByRole('status')).toHaveTextContent('Loading jobs');

    answer(json(200, { items: [aJob({ jobId: 'j-late' })], nextCursor: null }));
    expect(await screen.findByRole('link', { name: 'j-late' })).toBeInTheDocument();
    expect(screen.queryByText(/Loading jobs/)).not.toBeInTheDocument();
  });

  it('shows the gateway error with its code and loads again when asked to', async () => {
    let failing = true;
    fakeGateway({
      ...QUIET,
      '/api/v1/jobs': () => failing
        ? json(400, { code: 'INVALID_ARGUMENT', message: 'cursor belongs to another filter', details: [] })
        : json(200, { items: [aJob({ jobId: 'j-after-retry' })], nextCursor: null }),
    });
    renderConsole('/jobs');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load jobs. INVALID_ARGUMENT: cursor belongs to another filter');

    failing = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'j-after-retry' })).toBeInTheDocument();
  });

  it('tells the admin to sign in again when the token was revoked meanwhile', async () => {
    fakeGateway({ ...QUIET, '/api/v1/jobs': () => json(401, { code: 'UNAUTHENTICATED', message: 'revoked', details: [] }) });
    renderConsole('/jobs');

    expect(await screen.findByRole('alert')).toHaveTextContent('Sign in again');
  });

  it('says there are no jobs when the gateway lists none', async () => {
    fakeGateway({ ...QUIET });
    renderConsole('/jobs');

    expect(await screen.findByText('No jobs on this page.')).toBeInTheDocument();
  });

  it('shows the overview figures: members, nodes online, jobs by state and balances', async () => {
    fakeGateway({
      ...QUIET,
      '/api/v1/consortium/members': () => ({ body: [
        { subject: 'Org1MSP', score: 80, positiveEvidence: 8, negativeEvidence: 0, record: { dissented: 0, noShows: 0, disputed: 0, unrated: 0 } },
        { subject: 'Org2MSP', score: 60, positiveEvidence: 6, negativeEvidence: 1, record: { dissented: 1, noShows: 0, disputed: 0, unrated: 0 } },
      ] }),
      '/api/v1/nodes': () => ({ body: [
        { nodeId: 'n1', state: 'idle', online: true, runningJobs: 0, capacity: 2, lastSeen: 1, heartbeatAt: 1, offers: [] },
        { nodeId: 'n2', state: 'offline', online: false, runningJobs: 0, capacity: 2, lastSeen: 1, heartbeatAt: 1, offers: [] },
      ] }),
      '/api/v1/admin/accounts': () => ({ body: { items: [{ accountId: 'Org1MSP/a', org: 'Org1MSP', balance: 1500 }, { accountId: 'Org1MSP/b', org: 'Org1MSP', balance: 500 }], nextCursor: null } }),
      '/api/v1/jobs': (url) => ({ body: { items: url.searchParams.get('status') === 'RUNNING' ? [aJob({ jobId: 'j-1', status: 'RUNNING' })] : [], nextCursor: null } }),
    });
    renderConsole('/');

    expect(await screen.findByRole('list', { name: 'Member orgs' })).toHaveTextContent('Org1MSP');
    expect(await screen.findByText(/of this org's nodes online/)).toHaveTextContent('1 of 2');
    expect(await screen.findByText(/credits in/)).toHaveTextContent('2,000 credits in 2 accounts');
    await waitFor(() => expect(screen.getByRole('cell', { name: 'RUNNING' }).nextSibling).toHaveTextContent('1'));
    expect(screen.getByText(/escrowed by your open jobs/)).toHaveTextContent('300');
  });
});
