import { useEffect, useRef, useState } from 'react';
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, apiPost, query } from './client';
import { readEventStream } from './sse';
import { useToken } from '../auth/session';
import { JOB_STATUSES } from './types';
import type {
  Account, Job, JobEvent, JobStatus, JobView, MovementDone, NodeView, Offer, Page, Parameters, Proposal,
  ReplicaStatus, ReputationView,
} from './types';

/** How often live pages re-read what has no event stream (nodes, balances, members). */
export const LIVE_REFETCH_MS = 10_000;

export function useMembers() {
  const token = useToken();
  return useQuery({
    queryKey: ['consortium', 'members'],
    queryFn: () => apiFetch<ReputationView[]>('/consortium/members', token),
    refetchInterval: LIVE_REFETCH_MS,
  });
}

export function useParameters() {
  const token = useToken();
  return useQuery({ queryKey: ['consortium', 'parameters'], queryFn: () => apiFetch<Parameters>('/consortium/parameters', token) });
}

/** How often a proposal still OPEN is read again: other orgs' admins approve it in their own consoles. */
export const OPEN_PROPOSAL_REFETCH_MS = 5_000;

export function useProposal(proposalId: string | null) {
  const token = useToken();
  return useQuery({
    queryKey: ['consortium', 'proposals', proposalId],
    queryFn: () => apiFetch<Proposal>(`/consortium/proposals/${encodeURIComponent(proposalId ?? '')}`, token),
    enabled: !!proposalId,
    retry: false,
    refetchInterval: (query) => (query.state.data?.status === 'OPEN' ? OPEN_PROPOSAL_REFETCH_MS : false),
  });
}

export function useNodes() {
  const token = useToken();
  return useQuery({ queryKey: ['nodes'], queryFn: () => apiFetch<NodeView[]>('/nodes', token), refetchInterval: LIVE_REFETCH_MS });
}

export interface OfferFilter {
  resourceClass?: string;
  node?: string;
  maxUnitPrice?: number;
}

export function useOffers(filter: OfferFilter, cursor: string | null) {
  const token = useToken();
  const enabled = !!(filter.resourceClass || filter.node);
  return useQuery({
    queryKey: ['offers', filter, cursor],
    queryFn: () => apiFetch<Page<Offer>>('/offers' + query({
      class: filter.node ? undefined : filter.resourceClass,
      node: filter.node || undefined,
      maxUnitPrice: filter.node ? undefined : filter.maxUnitPrice,
      pageSize: 50,
      cursor,
    }), token),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useJobs(status: JobStatus | '', pageSize: number, cursor: string | null) {
  const token = useToken();
  return useQuery({
    queryKey: ['jobs', 'list', status, pageSize, cursor],
    queryFn: () => apiFetch<Page<Job>>('/jobs' + query({ status, pageSize, cursor }), token),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_MS,
  });
}

/**
 * How many of the caller's jobs are in each status: one page of up to 200 per status (`more` when the gateway has
 * others), and what the counted jobs hold in escrow. The API has no counts of its own.
 */
export function useJobCounts() {
  const token = useToken();
  return useQueries({
    queries: JOB_STATUSES.map((status) => ({
      queryKey: ['jobs', 'count', status],
      queryFn: async () => {
        const page = await apiFetch<Page<Job>>('/jobs' + query({ status, pageSize: 200 }), token);
        return { status, count: page.items.length, more: !!page.nextCursor, escrowed: page.items.reduce((s, j) => s + j.escrowed, 0) };
      },
      refetchInterval: LIVE_REFETCH_MS,
    })),
  });
}

export function useJob(jobId: string) {
  const token = useToken();
  return useQuery({ queryKey: ['jobs', 'one', jobId], queryFn: () => apiFetch<JobView>(`/jobs/${encodeURIComponent(jobId)}`, token) });
}

export function useReplicas(jobId: string) {
  const token = useToken();
  return useQuery({
    queryKey: ['jobs', 'replicas', jobId],
    queryFn: () => apiFetch<ReplicaStatus[]>(`/jobs/${encodeURIComponent(jobId)}/replicas`, token),
  });
}

export function useNodeReputation(nodeId: string | null) {
  const token = useToken();
  return useQuery({
    queryKey: ['reputation', 'node', nodeId],
    queryFn: () => apiFetch<ReputationView>('/reputation/node' + query({ nodeId }), token),
    enabled: !!nodeId,
    retry: false,
  });
}

/** The reputation of each of these nodes (one request per node: the API has no leaderboard of nodes). */
export function useNodeReputations(nodeIds: string[]) {
  const token = useToken();
  return useQueries({
    queries: nodeIds.map((nodeId) => ({
      queryKey: ['reputation', 'node', nodeId],
      queryFn: () => apiFetch<ReputationView>('/reputation/node' + query({ nodeId }), token),
      retry: false,
    })),
  });
}

export function useAccounts(cursor: string | null) {
  const token = useToken();
  return useQuery({
    queryKey: ['admin', 'accounts', cursor],
    queryFn: () => apiFetch<Page<Account>>('/admin/accounts' + query({ pageSize: 200, cursor }), token),
    refetchInterval: LIVE_REFETCH_MS,
    placeholderData: keepPreviousData,
  });
}

export function useOwnAccount() {
  const token = useToken();
  return useQuery({ queryKey: ['account'], queryFn: () => apiFetch<Account>('/account', token), retry: false });
}

export function useDeposit() {
  const token = useToken();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { accountId: string; amount: number; idempotencyKey: string }) =>
      apiPost<MovementDone>('/admin/deposits', token, { accountId: input.accountId, amount: input.amount }, input.idempotencyKey),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', 'accounts'] }),
  });
}

export function usePropose() {
  const token = useToken();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { proposalId: string; amendsVersion: number; expiresAt: number; parameters: Parameters; idempotencyKey: string }) =>
      apiPost<Proposal>('/admin/proposals', token, {
        proposalId: input.proposalId, amendsVersion: input.amendsVersion, expiresAt: input.expiresAt, parameters: input.parameters,
      }, input.idempotencyKey),
    onSuccess: (proposal) => client.setQueryData(['consortium', 'proposals', proposal.proposalId], proposal),
  });
}

export function useApprove() {
  const token = useToken();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { proposalId: string; idempotencyKey: string }) =>
      apiPost<Proposal>(`/admin/proposals/${encodeURIComponent(input.proposalId)}/approvals`, token, undefined, input.idempotencyKey),
    onSuccess: (proposal) => {
      client.setQueryData(['consortium', 'proposals', proposal.proposalId], proposal);
      return client.invalidateQueries({ queryKey: ['consortium', 'parameters'] });
    },
  });
}

export type StreamState = 'connecting' | 'live' | 'ended' | 'failed';

/** How long to wait before reading a stream again that failed or that the gateway closed. */
export const RECONNECT_MS = 5_000;

/**
 * Follows an SSE stream of the gateway (`/jobs/{id}/events` or `/events`): collects its JobEvents and invalidates the
 * queries they make stale, so pages update live without reloading. With `reconnect`, a stream that fails or ends is
 * read again after RECONNECT_MS from the last event id (the gateway resumes after it without a gap); a job's own
 * stream ends for good after the job finished, so it is not reconnected.
 */
export function useEventStream(path: string, invalidate: (event: JobEvent) => unknown[][], { reconnect = false } = {}) {
  const token = useToken();
  const client = useQueryClient();
  const [events, setEvents] = useState<JobEvent[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const invalidateRef = useRef(invalidate);
  invalidateRef.current = invalidate;

  useEffect(() => {
    const abort = new AbortController();
    let lastEventId: string | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setEvents([]);
    setState('connecting');

    const read = () => readEventStream(path, token, (sse) => {
      let event: JobEvent;
      try {
        event = JSON.parse(sse.data) as JobEvent;
      } catch {
        return;
      }
      lastEventId = sse.id ?? lastEventId;
      setState('live');
      setEvents((previous) => [...previous, event].slice(-500));
      for (const key of invalidateRef.current(event)) {
        void client.invalidateQueries({ queryKey: key });
      }
    }, abort.signal, lastEventId).then(() => 'ended' as const, () => 'failed' as const).then((outcome) => {
      if (abort.signal.aborted) {
        return;
      }
      setState(outcome);
      if (reconnect) {
        retry = setTimeout(() => void read(), RECONNECT_MS);
      }
    });

    void read();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [path, token, client, reconnect]);

  return { events, state };
}
