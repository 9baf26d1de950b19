import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCertification, useEventStream, useJob, useReplicas } from '../api/hooks';
import { API_BASE, ApiError, describeError, jsonBody } from '../api/client';
import type { ApiErrorBody } from '../api/types';
import { useToken } from '../auth/session';
import type { JobEvent, JobResultLike, ReplicaStatus } from './jobTypes';
import { Empty, QueryState } from '../components/Status';
import { credits, fromMillis, fromSeconds, short } from '../format';

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

/** The SHA-256 of some bytes, in hex (as X-Result-Digest writes it). */
async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return Array.from(new Uint8Array(hash)).map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface Download {
  result: JobResultLike;
  digest: string | null;
  location: string | null;
  /** The SHA-256 of the manifest as fetched from its location; null when the object store refused the browser. */
  fetchedDigest?: string | null;
}

/** The SHA-256 of the output manifest at its presigned location, or null when the browser may not read it (CORS). */
async function manifestDigest(location: string): Promise<string | null> {
  try {
    const response = await fetch(location);
    return response.ok ? await sha256Hex(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/**
 * The result: its fingerprint on the ledger, and the download the gateway serves — `?redirect=false` answers 200 with
 * the digest of the output manifest (X-Result-Digest) and its presigned location (X-Result-Location), headers a browser
 * never sees on a 303. When the object store lets the browser read the manifest, its SHA-256 is checked against the
 * digest.
 */
function ResultPanel({ jobId, fingerprint }: { jobId: string; fingerprint?: string | null }) {
  const token = useToken();
  const [state, setState] = useState<{ busy: boolean; download?: Download; error?: string }>({ busy: false });

  async function fetchResult() {
    setState({ busy: true });
    try {
      const response = await fetch(`${API_BASE}/jobs/${encodeURIComponent(jobId)}/result?redirect=false`,
        { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
      const body = await jsonBody(response);
      if (!response.ok) {
        throw new ApiError(response.status, body as Partial<ApiErrorBody> | null);
      }
      const location = response.headers.get('X-Result-Location');
      const download: Download = { result: body as JobResultLike, digest: response.headers.get('X-Result-Digest'), location };
      setState({ busy: false, download: location ? { ...download, fetchedDigest: await manifestDigest(location) } : download });
    } catch (e) {
      setState({ busy: false, error: describeError(e) });
    }
  }

  const download = state.download;
  return (
    <section aria-labelledby="result-title">
      <h2 id="result-title">Result</h2>
      <p>Agreed fingerprint (ledger): <code className="wrap">{fingerprint ?? '—'}</code></p>
      <button type="button" onClick={() => void fetchResult()} disabled={state.busy}>{state.busy ? 'Fetching…' : 'Fetch result'}</button>
      {state.error && <p role="alert" className="error">{state.error}</p>}
      {download && (
        <dl className="facts" aria-label="Result download">
          <dt>Result digest (X-Result-Digest)</dt>
          <dd><code className="wrap">{download.digest ?? 'none: no outputs stored'}</code></dd>
          <dt>Runtime</dt><dd>{download.result.runtimeSeconds} s</dd>
          {download.location && (
            <>
              <dt>Output manifest</dt><dd><a href={download.location}>Download the output manifest</a> (presigned link)</dd>
              <dt>Manifest check</dt>
              <dd>
                {download.fetchedDigest === null || download.fetchedDigest === undefined
                  ? 'the object store does not let this page read the manifest: check the download against the digest'
                  : download.fetchedDigest === download.digest
                    ? <span className="badge completed">the manifest fetched matches the digest</span>
                    : <span className="badge failed">the manifest fetched does not match the digest (SHA-256 {download.fetchedDigest})</span>}
              </dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}

const TERMINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];

/** The transaction that ended the job, read from its block: the orgs whose endorsements certified it. */
function CertificationPanel({ jobId }: { jobId: string }) {
  const certification = useCertification(jobId);
  return (
    <section aria-labelledby="cert-title">
      <h2 id="cert-title">Certification</h2>
      <QueryState what="the certification" query={certification}>
        {(c) => (
          <>
            <p>Certified by <strong>{c.endorsingOrgs.join(', ') || 'no org'}</strong></p>
            <dl className="facts" aria-label="Certifying transaction">
              <dt>Endorsing orgs</dt>
              <dd><ul aria-label="Endorsing orgs" className="inline">{c.endorsingOrgs.map((o) => <li key={o}>{o}</li>)}</ul></dd>
              <dt>Transaction</dt><dd><code className="wrap">{c.function}</code> <code className="wrap" title={c.txId}>{short(c.txId, 24)}</code></dd>
              <dt>Block</dt><dd>{c.blockNumber} ({c.validationCode}), {fromSeconds(c.committedAt)}</dd>
            </dl>
            {c.endorsers.length > 0 && (
              <div className="table-wrap">
                <table>
                  <caption>Endorsers of the transaction</caption>
                  <thead><tr><th scope="col">Org</th><th scope="col">Peer</th></tr></thead>
                  <tbody>{c.endorsers.map((e) => <tr key={`${e.mspId} ${e.subject}`}><td>{e.mspId}</td><td title={e.subject}>{e.subject}</td></tr>)}</tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}

export function JobDetail() {
  const { jobId = '' } = useParams();
  const job = useJob(jobId);
  const replicas = useReplicas(jobId);
  const stream = useEventStream(`/jobs/${encodeURIComponent(jobId)}/events`, () => [['jobs', 'one', jobId], ['jobs', 'replicas', jobId], ['jobs', 'certification', jobId]]);

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
      {job.data && TERMINAL.includes(job.data.job.status) && <CertificationPanel jobId={jobId} />}
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
