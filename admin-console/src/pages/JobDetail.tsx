import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useEventStream, useJob, useReplicas } from '../api/hooks';
import { API_BASE, ApiError, describeError, jsonBody } from '../api/client';
import type { ApiErrorBody } from '../api/types';
import { useToken } from '../auth/session';
import type { JobEvent, JobResultLike, ReplicaStatus } from './jobTypes';
import { Empty, QueryState } from '../components/Status';
import { credits, fromMillis, fromSeconds } from '../format';

/** The replica's life in order: assigned → running (agent) → committed → revealed → verdict, or timed out. */
export function timeline(replica: ReplicaStatus): { label: string; at: string; done: boolean }[] {
  const steps = [
    { label: 'Assigned', at: fromSeconds(replica.assignedAt), done: true },
    { label: replica.agent ? `Agent: ${replica.agent.step}${replica.agent.reason ? ` (${replica.agent.reason})` : ''}` : 'Agent: no report yet',
      at: fromMillis(replica.agent?.at), done: !!replica.agent },
    { label: 'Committed', at: fromSeconds(replica.committedAt), done: !!replica.committedAt },
    { label: 'Revealed', at: fromSeconds(replica.revealedAt), done: !!replica.revealedAt },
  ];
  if (replica.ledgerState === 'TIMED_OUT') {
    steps.push({ label: 'Timed out', at: `deadline ${fromSeconds(replica.commitDeadline)}`, done: true });
  } else {
    steps.push({ label: replica.verdict ? `Verdict: ${replica.verdict}` : 'Verdict: pending', at: '', done: !!replica.verdict });
  }
  return steps;
}

function ReplicaTimeline({ replica }: { replica: ReplicaStatus }) {
  const title = `Replica ${replica.replica}, attempt ${replica.attempt} on ${replica.nodeId} (${replica.nodeOrg})`;
  return (
    <li>
      <h3>{title}</h3>
      <ol className="timeline" aria-label={`Timeline of replica ${replica.replica}, attempt ${replica.attempt}`}>
        {timeline(replica).map((step) => (
          <li key={step.label} className={step.done ? 'done' : 'pending'}>
            <span className="step">{step.label}</span> {step.at && <time>{step.at}</time>}
          </li>
        ))}
      </ol>
    </li>
  );
}

function describeEvent(event: JobEvent): string {
  if (event.event === 'AgentStep') {
    return `replica ${event.replica} attempt ${event.attempt} on ${event.nodeId}: ${event.step}${event.reason ? ` (${event.reason})` : ''}`;
  }
  return [event.status, event.phase && event.phase !== 'NONE' ? `phase ${event.phase}` : null,
    event.replica !== null && event.replica !== undefined ? `replica ${event.replica}` : null,
    event.blockNumber ? `block ${event.blockNumber}` : null].filter(Boolean).join(', ');
}

/** The result: its fingerprint on the ledger, and the download the gateway serves (a presigned URL or the inline result). */
function ResultPanel({ jobId, fingerprint }: { jobId: string; fingerprint?: string | null }) {
  const token = useToken();
  const [state, setState] = useState<{ busy: boolean; url?: string; digest?: string; inline?: JobResultLike; error?: string }>({ busy: false });

  async function fetchResult() {
    setState({ busy: true });
    try {
      const response = await fetch(`${API_BASE}/jobs/${encodeURIComponent(jobId)}/result`, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) {
        throw new ApiError(response.status, (await jsonBody(response)) as Partial<ApiErrorBody> | null);
      }
      if (response.redirected) {
        const bytes = await response.arrayBuffer();
        const hash = await crypto.subtle.digest('SHA-256', bytes);
        const digest = Array.from(new Uint8Array(hash)).map((b) => b.toString(16).padStart(2, '0')).join('');
        setState({ busy: false, url: response.url, digest });
      } else {
        setState({ busy: false, inline: (await response.json()) as JobResultLike });
      }
    } catch (e) {
      setState({ busy: false, error: describeError(e) });
    }
  }

  return (
    <section aria-labelledby="result-title">
      <h2 id="result-title">Result</h2>
      <p>Agreed fingerprint (ledger): <code>{fingerprint ?? '—'}</code></p>
      <button type="button" onClick={() => void fetchResult()} disabled={state.busy}>{state.busy ? 'Fetching…' : 'Fetch result'}</button>
      {state.error && <p role="alert" className="error">{state.error}</p>}
      {state.url && (
        <p>Output manifest: <a href={state.url}>download (presigned)</a>, SHA-256 of the manifest as fetched: <code>{state.digest}</code></p>
      )}
      {state.inline && <p>No outputs stored; the ledger's result: runtime {state.inline.runtimeSeconds} s, fingerprint <code>{state.inline.fingerprint}</code></p>}
    </section>
  );
}

export function JobDetail() {
  const { jobId = '' } = useParams();
  const job = useJob(jobId);
  const replicas = useReplicas(jobId);
  const stream = useEventStream(`/jobs/${encodeURIComponent(jobId)}/events`, () => [['jobs', 'one', jobId], ['jobs', 'replicas', jobId]]);

  return (
    <section aria-labelledby="job-title">
      <p><Link to="/jobs">← Jobs</Link></p>
      <h1 id="job-title">Job {jobId}</h1>
      <QueryState what="the job" query={job}>
        {(view) => (
          <dl className="facts">
            <dt>Status</dt><dd><span className={`badge ${view.job.status.toLowerCase()}`}>{view.job.status}</span> {view.job.phase !== 'NONE' && `(${view.job.phase})`}</dd>
            <dt>Client</dt><dd>{view.job.clientId} ({view.job.clientOrg})</dd>
            <dt>Image</dt><dd><code>{view.job.spec.image}</code></dd>
            <dt>Replicas / quorum</dt><dd>{view.job.spec.verification.replicas} / {view.job.spec.verification.quorum}</dd>
            <dt>Escrow</dt><dd>{credits(view.escrow)}</dd>
            <dt>Created</dt><dd>{fromSeconds(view.job.createdAt)}</dd>
            {view.job.unmatched && <><dt>Not matched</dt><dd>{view.job.unmatched.reason} {view.job.unmatched.detail}</dd></>}
            {view.job.outcome && <><dt>Settlement</dt><dd>fee {credits(view.job.outcome.fee)}, refund {credits(view.job.outcome.refund)}
              {view.job.outcome.payments && `, paid ${Object.entries(view.job.outcome.payments).map(([k, v]) => `${k} ${credits(v)}`).join(', ')}`}</dd></>}
          </dl>
        )}
      </QueryState>
      <section aria-labelledby="replicas-title">
        <h2 id="replicas-title">Replicas</h2>
        <QueryState what="the replicas" query={replicas} isEmpty={(r) => r.length === 0} empty="No replica assigned yet.">
          {(list) => <ul className="replicas">{list.map((r) => <ReplicaTimeline key={`${r.replica}-${r.attempt}`} replica={r} />)}</ul>}
        </QueryState>
      </section>
      {job.data?.job.status === 'COMPLETED' && <ResultPanel jobId={jobId} fingerprint={job.data.job.outcome?.fingerprint} />}
      <section aria-labelledby="events-title">
        <h2 id="events-title">Events <small className={`stream ${stream.state}`}>({stream.state})</small></h2>
        {stream.events.length === 0
          ? <Empty>{stream.state === 'failed' ? 'The event stream could not be opened.' : 'No events yet.'}</Empty>
          : (
            <ol className="events" aria-label="Events of this job" aria-live="polite">
              {stream.events.map((e) => (
                <li key={e.id}><strong>{e.event}</strong> {describeEvent(e)} {e.at ? <time>{fromMillis(e.at)}</time> : null}</li>
              ))}
            </ol>
          )}
      </section>
    </section>
  );
}
