import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, aPoint, anAlert, anOverview, fakeGateway, json, liveStream, renderConsole } from '../test/gateway';

function jobsIn(state: string) {
  const table = screen.getByRole('table', { name: /^Jobs by state/ });
  return within(table).getByRole('rowheader', { name: state }).nextSibling;
}

describe('The overview', () => {
  it('shows the consortium\'s jobs by state, nodes online and escrow, treasury and stake totals from the gateway', async () => {
    fakeGateway({
      ...QUIET,
      '/api/v1/consortium/members': () => ({ body: [
        { subject: 'Org1MSP', score: 80, positiveEvidence: 8, negativeEvidence: 0, record: { dissented: 0, noShows: 0, disputed: 0, unrated: 0 } },
      ] }),
    });
    renderConsole('/');

    expect(await screen.findByRole('list', { name: 'Member orgs' })).toHaveTextContent('Org1MSP');
    expect(await screen.findByText(/nodes online/)).toHaveTextContent('2 of 3 nodes online');
    expect(screen.getByLabelText('Consortium totals in credits')).toHaveTextContent('In escrow12,345Treasury98,765Staked by offers3,000');
    expect(jobsIn('COMPLETED')).toHaveTextContent('40');
    expect(screen.getByRole('img', { name: /^Bar chart of jobs by state: 1 QUEUED, 2 RUNNING, 40 COMPLETED, 3 FAILED, 0 CANCELLED \(46 in all\)/ }))
      .toBeInTheDocument();
  });

  it('reads the overview again when the admin event stream reports a block, without reloading', async () => {
    let running = 2;
    const stream = liveStream();
    const calls = fakeGateway({
      ...QUIET,
      '/api/v1/admin/overview': () => ({ body: anOverview({ jobsByStatus: { RUNNING: running } }) }),
      '/api/v1/admin/events': stream.handler,
    });
    renderConsole('/');
    await waitFor(() => expect(jobsIn('RUNNING')).toHaveTextContent('2'));
    expect(screen.getByText(/Updates:/)).toHaveTextContent('live event stream');

    running = 3;
    stream.push('event: ledger\ndata: {"blockNumber":121,"kinds":["JobStarted"]}\n\n');

    await waitFor(() => expect(jobsIn('RUNNING')).toHaveTextContent('3'));
    expect(calls.find((c) => c.path === '/api/v1/admin/events')?.headers.get('Authorization')).toMatch(/^Bearer /);
  });

  it('charts throughput and completion latency of the chosen window, with the figures as text', async () => {
    const t0 = 1_796_000_040;
    const calls = fakeGateway({
      ...QUIET,
      '/api/v1/admin/series': (url) => ({ body: { bucketSeconds: 60, points: url.searchParams.get('minutes') === '360'
        ? [aPoint(t0, { submitted: 7, completed: 6, latencyP50Seconds: 2, latencyP95Seconds: 9.5 })]
        : [aPoint(t0, { submitted: 3, completed: 2, failed: 1, latencyP50Seconds: 4.2, latencyP95Seconds: 7.9 }), aPoint(t0 + 60)] } }),
    });
    renderConsole('/');

    expect(await screen.findByRole('img', { name: /jobs per minute, last hour: 3 submitted, 2 completed, 1 failed, 0 cancelled/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /completion latency.*p50 between 4\.2 s and 4\.2 s, p95 at most 7\.9 s/ })).toBeInTheDocument();
    const figures = screen.getAllByRole('table', { name: /^Jobs per 60 s, last hour/ })[0];
    expect(within(figures).getAllByRole('row')).toHaveLength(2);

    await userEvent.setup().selectOptions(screen.getByLabelText('Time window'), 'Last 6 hours');

    expect(await screen.findByRole('img', { name: /last 6 hours: 7 submitted, 6 completed/ })).toBeInTheDocument();
    expect(calls.some((c) => c.path === '/api/v1/admin/series' && c.search.get('minutes') === '360')).toBe(true);
  });

  it('lists the alerts newest first, linking their job and node, and shows a new one as its event arrives', async () => {
    const alerts = [anAlert('100:0:1')];
    const stream = liveStream();
    fakeGateway({
      ...QUIET,
      '/api/v1/admin/alerts': () => ({ body: { items: [...alerts].reverse(), nextCursor: null } }),
      '/api/v1/admin/events': stream.handler,
    });
    renderConsole('/');
    const list = await screen.findByRole('list', { name: 'Alerts, newest first' });
    expect(within(list).getByText(/missed its commit deadline/)).toBeInTheDocument();
    expect(within(list).getByRole('link', { name: 'job job-1' })).toHaveAttribute('href', '/jobs/job-1');
    expect(within(list).getByRole('link', { name: 'node Org2MSP/node1@org2' })).toHaveAttribute('href', '/nodes/Org2MSP/node1%40org2');

    const slashed = anAlert('101:0:2', { kind: 'SLASHED', amount: 100, message: 'Org3MSP/node1@org3 slashed 100 credits (job-7)' });
    alerts.push(slashed);
    stream.push(`event: alert\ndata: ${JSON.stringify(slashed)}\n\n`);

    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Alerts, newest first' })).getAllByRole('listitem')[0])
      .toHaveTextContent('Slashed'));
  });

  it('says there are no alerts, and shows a refused overview as an error with a retry', async () => {
    fakeGateway({ ...QUIET, '/api/v1/admin/overview': () => json(403, { code: 'FORBIDDEN', message: 'admin scope required', details: [] }) });
    renderConsole('/');

    expect(await screen.findByText(/^No alerts:/)).toBeInTheDocument();
    const errors = await screen.findAllByRole('alert');
    expect(errors[0]).toHaveTextContent('Not allowed: admin scope required');
    expect(screen.getAllByRole('button', { name: 'Try again' }).length).toBeGreaterThan(0);
  });
});
