import { vi } from 'vitest';
import { render } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { ConsoleRoutes, newQueryClient } from '../App';
import { SessionProvider } from '../auth/session';
import type { AdminOffer, AdminOverview, Alert, Job, NodeRank, ProposalSummary, ReplicaStatus, SeriesPoint } from '../api/types';

/** What a handler of the fake gateway answers: a JSON body with a status, or a Response of its own. */
export type Answer = { status?: number; body?: unknown } | Response | Promise<Response>;
export type Handler = (url: URL, init: RequestInit) => Answer;

export interface Call {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
}

/**
 * Replaces fetch with a fake gateway at the HTTP boundary: requests are routed by path to the handlers; an unknown
 * path answers 404 with the gateway's error body. Returns the calls made, in order.
 */
export function fakeGateway(handlers: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://console.test');
    const method = (init.method ?? 'GET').toUpperCase();
    calls.push({ method, path: url.pathname, search: url.searchParams, headers: new Headers(init.headers) });
    const handler = handlers[`${method} ${url.pathname}`] ?? handlers[url.pathname];
    if (!handler) {
      return json(404, { code: 'NOT_FOUND', message: `no route ${url.pathname}`, details: [] });
    }
    const answer = await handler(url, init);
    return answer instanceof Response ? answer : json(answer.status ?? 200, answer.body ?? null);
  }));
  return calls;
}

export function json(status: number, body: unknown): Response {
  return new Response(body === null ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A text/event-stream answer carrying these events (each as the gateway writes it: name, id, JSON data). */
export function eventStream(events: { event: string; id?: string; data: unknown }[]): Response {
  const text = events.map((e) => `event: ${e.event}\n${e.id ? `id: ${e.id}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`).join(': keep-alive\n\n');
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const bytes = new TextEncoder().encode(text);
      controller.enqueue(bytes.slice(0, 7));
      controller.enqueue(bytes.slice(7));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/** An event stream that stays open: `push` writes raw event-stream text to it (as the gateway would, later). */
export function liveStream(): { handler: Handler; push: (text: string) => void } {
  const controllers: ReadableStreamDefaultController<Uint8Array>[] = [];
  return {
    handler: () => new Response(new ReadableStream<Uint8Array>({ start: (controller) => void controllers.push(controller) }),
      { headers: { 'Content-Type': 'text/event-stream' } }),
    push: (text) => controllers.forEach((c) => c.enqueue(new TextEncoder().encode(text))),
  };
}

export const ADMIN_TOKEN = 'glt_admin-token-for-the-console-tests';

/** The console at a path, signed in with the admin token unless told otherwise. */
export function renderConsole(path: string, { signedIn = true } = {}) {
  if (signedIn) {
    sessionStorage.setItem('gridledger.console.token', ADMIN_TOKEN);
  }
  return render(
    <QueryClientProvider client={newQueryClient()}>
      <SessionProvider>
        <MemoryRouter initialEntries={[path]}>
          <ConsoleRoutes />
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}

/** A valid job as the gateway lists it, with the given changes. */
export function aJob(changes: Partial<Job> & { jobId: string }): Job {
  return {
    clientId: 'admin', clientOrg: 'Org1MSP', microUnits: 1000, escrowed: 300, status: 'QUEUED', phase: 'NONE', round: 0,
    replicaCount: 2, createdAt: 1_796_000_000, updatedAt: 1_796_000_000, unmatched: null, outcome: null,
    spec: {
      jobId: changes.jobId, image: 'gridledger/busybox:test', command: ['sh', '-c', 'echo hi'],
      resources: { cpuMillis: 500, memoryMiB: 128, gpuCount: 0, gpuModel: null, storageMiB: 10, arch: 'amd64', labels: null },
      maxUnitPrice: 10, timeoutSeconds: 60, verification: { mode: 'REPLICATED', replicas: 2, quorum: 2 }, minReputation: 0,
      deadline: 1_796_003_600,
    },
    ...changes,
  };
}

export function aReplica(changes: Partial<ReplicaStatus> & { replica: number }): ReplicaStatus {
  return {
    attempt: 0, round: 0, nodeId: `Org2MSP/node${changes.replica}@org2`, nodeOrg: 'Org2MSP', offerId: 'offer-1',
    ledgerState: 'ASSIGNED', assignedAt: 1_796_000_010, commitDeadline: 1_796_000_090, committedAt: null, revealedAt: null,
    verdict: null, agent: null, ...changes,
  };
}

export function anOverview(changes: Partial<AdminOverview> = {}): AdminOverview {
  return {
    asOfBlock: 120, jobsByStatus: { QUEUED: 1, RUNNING: 2, COMPLETED: 40, FAILED: 3, CANCELLED: 0 }, escrow: 12_345, treasury: 98_765,
    stakes: 3_000, nodesOnline: 2, nodesKnown: 3, alertsLastHour: 1, ...changes,
  };
}

export function aPoint(t: number, changes: Partial<SeriesPoint> = {}): SeriesPoint {
  return { t, submitted: 0, completed: 0, failed: 0, cancelled: 0, latencyP50Seconds: null, latencyP95Seconds: null, ...changes };
}

export function anAlert(id: string, changes: Partial<Alert> = {}): Alert {
  return {
    id, at: 1_796_000_100, kind: 'REPLICA_TIMED_OUT', jobId: 'job-1', nodeId: 'Org2MSP/node1@org2', org: 'Org2MSP', replica: 1,
    amount: null, txId: 'tx-1', blockNumber: 100, message: 'replica 1 of job-1 on Org2MSP/node1@org2 missed its commit deadline', ...changes,
  };
}

export function aNodeRank(nodeId: string, rank: number, changes: Partial<NodeRank> = {}): NodeRank {
  return {
    nodeId, org: nodeId.split('/')[0], score: 1 - rank / 10, agreed: 10 - rank, dissented: 0, noShows: 0, disputed: 0, paid: 1_000,
    slashed: 0, offers: 1, stake: 500, online: true, rank, ...changes,
  };
}

export function anAdminOffer(offerId: string, changes: Partial<AdminOffer> = {}): AdminOffer {
  return {
    offerId, nodeId: 'Org2MSP/node1@org2', org: 'Org2MSP', slots: 2, slotsInUse: 1, unitPrice: 5, stake: 100, reputation: 0.83,
    status: 'ACTIVE', createdAt: 1, updatedAt: 1, slot: { cpuMillis: 2000, memoryMiB: 4096, gpuCount: 0, storageMiB: 1024, arch: 'amd64' },
    ...changes,
  };
}

export function aProposalSummary(proposalId: string, changes: Partial<ProposalSummary> = {}): ProposalSummary {
  return {
    proposalId, proposedBy: 'Org1MSP', proposedAt: 1_796_000_000, expiresAt: 1_796_086_400, status: 'OPEN', approvals: ['Org1MSP'],
    required: 2, members: ['Org1MSP', 'Org2MSP', 'Org3MSP'], changes: [{ name: 'feeBasisPoints', from: 250, to: 300 }], ...changes,
  };
}

/** The answers every signed-in page may ask for in passing. */
export const QUIET: Record<string, Handler> = {
  '/api/v1/admin/tokens': () => ({ body: [] }),
  '/api/v1/consortium/members': () => ({ body: [] }),
  '/api/v1/nodes': () => ({ body: [] }),
  '/api/v1/admin/accounts': () => ({ body: { items: [], nextCursor: null } }),
  '/api/v1/jobs': () => ({ body: { items: [], nextCursor: null } }),
  '/api/v1/events': () => eventStream([]),
  '/api/v1/admin/events': () => eventStream([]),
  '/api/v1/admin/overview': () => ({ body: anOverview() }),
  '/api/v1/admin/series': () => ({ body: { bucketSeconds: 60, points: [] } }),
  '/api/v1/admin/alerts': () => ({ body: { items: [], nextCursor: null } }),
  '/api/v1/admin/offers': () => ({ body: { items: [], nextCursor: null } }),
  '/api/v1/admin/nodes': () => ({ body: [] }),
  '/api/v1/admin/proposals': () => ({ body: [] }),
};
