import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, aJob, fakeGateway, liveStream, renderConsole } from '../test/gateway';
import type { Job } from '../api/types';

const JOBS: Job[] = [
  aJob({ jobId: 'j-aaa-render', status: 'RUNNING', spec: { ...aJob({ jobId: 'x' }).spec, image: 'render:1' } }),
  aJob({ jobId: 'j-bbb-train', status: 'COMPLETED' }),
  aJob({ jobId: 'j-ccc-render', status: 'QUEUED', spec: { ...aJob({ jobId: 'x' }).spec, image: 'render:2' } }),
];

/** The gateway's `GET /jobs`: filtered by status as the gateway does, two pages when asked for page size 2. */
function jobsGateway() {
  return fakeGateway({
    ...QUIET,
    '/api/v1/jobs': (url) => {
      const status = url.searchParams.get('status');
      const items = JOBS.filter((j) => !status || j.status === status);
      if (url.searchParams.get('cursor') === 'page-2') {
        return { body: { items: [aJob({ jobId: 'j-ddd-second-page' })], nextCursor: null } };
      }
      return { body: { items, nextCursor: url.searchParams.get('pageSize') === '20' ? 'page-2' : null } };
    },
  });
}

function rowsShown(): string[] {
  const table = screen.getByRole('table');
  return within(table).getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell')[0].textContent ?? '');
}

describe('The jobs list', () => {
  it('reads the list again, without reloading, when the org\'s event stream reports a change', async () => {
    let listed: Job[] = [];
    const { handler, push } = liveStream();
    fakeGateway({ ...QUIET, '/api/v1/jobs': () => ({ body: { items: listed, nextCursor: null } }), '/api/v1/events': handler });
    renderConsole('/jobs');
    await screen.findByText('No jobs on this page.');

    listed = [aJob({ jobId: 'j-partner-new', status: 'QUEUED' })];
    push('event: JobSubmitted\nid: 3:tx:j-partner-new\ndata: {"id":"3:tx:j-partner-new","jobId":"j-partner-new","event":"JobSubmitted","status":"QUEUED","blockNumber":3}\n\n');

    expect(await screen.findByRole('link', { name: 'j-partner-new' })).toBeInTheDocument();
  });

  it('lists the jobs the gateway returns, each linking to its detail', async () => {
    jobsGateway();
    renderConsole('/jobs');

    expect(await screen.findByRole('link', { name: 'j-aaa-render' })).toHaveAttribute('href', '/jobs/j-aaa-render');
    expect(rowsShown()).toEqual(['j-aaa-render', 'j-bbb-train', 'j-ccc-render']);
  });

  it('filters by status through the gateway and shows only the jobs in that status', async () => {
    const calls = jobsGateway();
    renderConsole('/jobs');
    await screen.findByRole('link', { name: 'j-aaa-render' });

    await userEvent.setup().selectOptions(screen.getByLabelText('Status'), 'COMPLETED');

    await screen.findByText(/status COMPLETED/);
    expect(rowsShown()).toEqual(['j-bbb-train']);
    expect(calls.some((c) => c.path === '/api/v1/jobs' && c.search.get('status') === 'COMPLETED')).toBe(true);
  });

  it('narrows the page to the jobs whose id or image matches the search', async () => {
    jobsGateway();
    renderConsole('/jobs');
    await screen.findByRole('link', { name: 'j-aaa-render' });

    await userEvent.setup().type(screen.getByRole('searchbox', { name: 'Search' }), 'render');

    expect(rowsShown()).toEqual(['j-aaa-render', 'j-ccc-render']);
  });

  it('says so when no job on the page matches the search', async () => {
    jobsGateway();
    renderConsole('/jobs?q=nothing-like-this');

    expect(await screen.findByText('No job on this page matches the search.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('pages forward with the cursor the gateway gave and back again', async () => {
    const calls = jobsGateway();
    renderConsole('/jobs');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'j-aaa-render' });
    await user.selectOptions(screen.getByLabelText('Page size'), '20');
    await screen.findByRole('link', { name: 'j-aaa-render' });

    await user.click(await screen.findByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('link', { name: 'j-ddd-second-page' })).toBeInTheDocument();
    expect(calls.some((c) => c.search.get('cursor') === 'page-2')).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByRole('link', { name: 'j-aaa-render' })).toBeInTheDocument();
  });

  it('sorts by a column from the keyboard', async () => {
    jobsGateway();
    renderConsole('/jobs');
    await screen.findByRole('link', { name: 'j-aaa-render' });
    const user = userEvent.setup();

    screen.getByRole('button', { name: 'Status' }).focus();
    await user.keyboard('{Enter}');

    expect(screen.getByRole('columnheader', { name: /Status/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(rowsShown()).toEqual(['j-bbb-train', 'j-ccc-render', 'j-aaa-render']);
  });

  it('opens a job from the list with the keyboard alone: Tab to its link, Enter', async () => {
    fakeGateway({ ...QUIET, '/api/v1/jobs': () => ({ body: { items: JOBS, nextCursor: null } }),
      '/api/v1/jobs/j-bbb-train': () => ({ body: { job: JOBS[1], replicas: [], escrow: 0 } }),
      '/api/v1/jobs/j-bbb-train/replicas': () => ({ body: [] }) });
    renderConsole('/jobs');
    await screen.findByRole('link', { name: 'j-bbb-train' });
    const user = userEvent.setup();

    for (let i = 0; i < 40 && document.activeElement?.textContent !== 'j-bbb-train'; i++) {
      await user.tab();
    }
    expect(document.activeElement).toHaveAccessibleName('j-bbb-train');
    await user.keyboard('{Enter}');

    expect(await screen.findByRole('heading', { level: 1, name: 'Job j-bbb-train' })).toBeInTheDocument();
    expect(document.activeElement).toHaveAttribute('id', 'main');
  });
});
