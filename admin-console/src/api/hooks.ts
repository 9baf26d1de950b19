import { useEffect, useRef, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, apiPost, query } from './client';
import { readEventStream, type ServerSentEvent } from './sse';
import { useToken } from '../auth/session';
import type {
  Account, AdminOffer, AdminOverview, Alert, Certification, Job, JobEvent, JobStatus, JobView, MovementDone, NodeDetail, NodeRank,
  NodeView, Page, Parameters, Proposal, ProposalSummary, ReplicaStatus, ReputationView, Series,
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

export function useJobs(status: JobStatus | '', pageSize: number, cursor: string | null) {
  const token = useToken();
  return useQuery({
    queryKey: ['jobs', 'list', status, pageSize, cursor],
    queryFn: () => apiFetch<Page<Job>>('/jobs' + query({ status, pageSize, cursor }), token),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_MS,
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
    onSuccess: (proposal) => {
      client.setQueryData(['consortium', 'proposals', proposal.proposalId], proposal);
      return client.invalidateQueries({ queryKey: [...ADMIN_VIEWS, 'proposals'] });
    },
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
      void client.invalidateQueries({ queryKey: [...ADMIN_VIEWS, 'proposals'] });
      return client.invalidateQueries({ queryKey: ['consortium', 'parameters'] });
    },
  });
}

export type StreamState = 'connecting' | 'live' | 'ended' | 'failed';

/** How long to wait before reading a stream again that failed or that the gateway closed. */
export const RECONNECT_MS = 5_000;

/**
 * Follows an SSE stream of the gateway and hands each event to `onEvent`. With `reconnect`, a stream that fails or
 * ends is read again after RECONNECT_MS from the last event id (the gateway resumes after it without a gap).
 */
export function useServerEvents(path: string, onEvent: (event: ServerSentEvent) => void, { reconnect = false } = {}) {
  const token = useToken();
  const [state, setState] = useState<StreamState>('connecting');
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;

  useEffect(() => {
    const abort = new AbortController();
    let lastEventId: string | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setState('connecting');

    const read = () => readEventStream(path, token, (sse) => {
      lastEventId = sse.id ?? lastEventId;
      setState('live');
      onEventRef.current(sse);
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
  }, [path, token, reconnect]);

  return state;
}

/**
 * Follows a job event stream of the gateway (`/jobs/{id}/events` or `/events`): collects its JobEvents and invalidates
 * the queries they make stale, so pages update live without reloading. A job's own stream ends for good after the job
 * finished, so it is not reconnected.
 */
export function useEventStream(path: string, invalidate: (event: JobEvent) => unknown[][], { reconnect = false } = {}) {
  const client = useQueryClient();
  const [events, setEvents] = useState<JobEvent[]>([]);
  useEffect(() => setEvents([]), [path]);
  const state = useServerEvents(path, (sse) => {
    let event: JobEvent;
    try {
      event = JSON.parse(sse.data) as JobEvent;
    } catch {
      return;
    }
    setEvents((previous) => [...previous, event].slice(-500));
    for (const key of invalidate(event)) {
      void client.invalidateQueries({ queryKey: key });
    }
  }, { reconnect });
  return { events, state };
}

/** The queries of the consortium-wide admin views: what a new block or alert makes stale. */
export const ADMIN_VIEWS = ['admin', 'views'];

/**
 * Follows the admin's consortium-wide stream (`/admin/events`): every `ledger` (a block with chaincode events) and
 * `alert` invalidates the overview, series, alerts, offers, leaderboard and proposals, so they are read again at once.
 */
export function useAdminEvents() {
  const client = useQueryClient();
  return useServerEvents('/admin/events', (sse) => {
    if (sse.event === 'ledger' || sse.event === 'alert') {
      void client.invalidateQueries({ queryKey: ADMIN_VIEWS });
    }
  }, { reconnect: true });
}

export function useAdminOverview() {
  const token = useToken();
  return useQuery({
    queryKey: [...ADMIN_VIEWS, 'overview'],
    queryFn: () => apiFetch<AdminOverview>('/admin/overview', token),
    refetchInterval: LIVE_REFETCH_MS,
  });
}

export function useSeries(minutes: number) {
  const token = useToken();
  return useQuery({
    queryKey: [...ADMIN_VIEWS, 'series', minutes],
    queryFn: () => apiFetch<Series>('/admin/series' + query({ minutes }), token),
    refetchInterval: LIVE_REFETCH_MS,
    placeholderData: keepPreviousData,
  });
}

export function useAlerts(pageSize: number, cursor: string | null) {
  const token = useToken();
  return useQuery({
    queryKey: [...ADMIN_VIEWS, 'alerts', pageSize, cursor],
    queryFn: () => apiFetch<Page<Alert>>('/admin/alerts' + query({ pageSize, cursor }), token),
    placeholderData: keepPreviousData,
  });
}

export interface AdminOfferFilter {
  resourceClass?: string;
  node?: string;
  org?: string;
  status?: string;
  sort?: string;
}

export function useAdminOffers(filter: AdminOfferFilter, cursor: string | null) {
  const token = useToken();
  return useQuery({
    queryKey: [...ADMIN_VIEWS, 'offers', filter, cursor],
    queryFn: () => apiFetch<Page<AdminOffer>>('/admin/offers' + query({
      class: filter.resourceClass, node: filter.node, org: filter.org, status: filter.status, sort: filter.sort, pageSize: 50, cursor,
    }), token),
    placeholderData: keepPreviousData,
  });
}

export function useLeaderboard() {
  const token = useToken();
  return useQuery({
    queryKey: [...ADMIN_VIEWS, 'nodes'],
    queryFn: () => apiFetch<NodeRank[]>('/admin/nodes', token),
    refetchInterval: LIVE_REFETCH_MS,
  });
}

export function useNodeDetail(nodeId: string | null) {
  const token = useToken();
  return useQuery({
    queryKey: [...ADMIN_VIEWS, 'node', nodeId],
    queryFn: () => apiFetch<NodeDetail>(`/admin/nodes/${encodeURIComponent(nodeId ?? '')}`, token),
    enabled: !!nodeId,
  });
}

export function useProposals() {
  const token = useToken();
  return useQuery({
    queryKey: [...ADMIN_VIEWS, 'proposals'],
    queryFn: () => apiFetch<ProposalSummary[]>('/admin/proposals', token),
    refetchInterval: (q) => (q.state.data?.some((p) => p.status === 'OPEN') ? OPEN_PROPOSAL_REFETCH_MS : LIVE_REFETCH_MS),
  });
}

/** Who certified a finished job's end (read from its block): ask only once the job is terminal (409 before). */
export function useCertification(jobId: string) {
  const token = useToken();
  return useQuery({
    queryKey: ['jobs', 'certification', jobId],
    queryFn: () => apiFetch<Certification>(`/jobs/${encodeURIComponent(jobId)}/certification`, token),
  });
}
