import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
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
});
