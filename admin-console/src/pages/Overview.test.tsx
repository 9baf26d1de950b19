import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { QUIET, aJob, fakeGateway, renderConsole } from '../test/gateway';

function runningCount() {
  return screen.getByRole('cell', { name: 'RUNNING' }).nextSibling;
}

describe('The overview', () => {
  it('reads the job counts again when the event stream reports a change', async () => {
    let running = 0;
    let push: (text: string) => void = () => {};
    const calls = fakeGateway({
      ...QUIET,
      '/api/v1/jobs': (url) => ({ body: { items: url.searchParams.get('status') === 'RUNNING'
        ? Array.from({ length: running }, (_, i) => aJob({ jobId: `j-${i}`, status: 'RUNNING' })) : [], nextCursor: null } }),
      '/api/v1/events': () => new Response(new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) => controller.enqueue(new TextEncoder().encode(text));
        },
      }), { headers: { 'Content-Type': 'text/event-stream' } }),
    });
    renderConsole('/');
    await waitFor(() => expect(runningCount()).toHaveTextContent('0'));
    expect(screen.getByText(/Updates:/)).toHaveTextContent('live event stream');

    running = 1;
    push('event: JobStarted\nid: 9:tx:j-0\ndata: {"id":"9:tx:j-0","jobId":"j-0","event":"JobStarted","status":"RUNNING","blockNumber":9}\n\n');

    await waitFor(() => expect(runningCount()).toHaveTextContent('1'));
    expect(calls.find((c) => c.path === '/api/v1/events')?.headers.get('Accept')).toBe('text/event-stream');
  });
});
