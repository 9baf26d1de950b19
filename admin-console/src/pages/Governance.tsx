import { useState, type FormEvent } from 'react';
import { useAdminEvents, useApprove, useParameters, usePropose, useProposal, useProposals } from '../api/hooks';
import { describeError, newIdempotencyKey } from '../api/client';
import type { Parameters, Proposal, ProposalSummary } from '../api/types';
import { QueryState } from '../components/Status';
import { LookupForm } from '../components/Pager';
import { fromSeconds } from '../format';

/** The numeric parameters an admin may propose to change, with their labels. */
const EDITABLE: { key: keyof Parameters; label: string }[] = [
  { key: 'feeBasisPoints', label: 'Fee (basis points)' },
  { key: 'minStakePerSlot', label: 'Minimum stake per slot' },
  { key: 'slashBasisPoints', label: 'Slash (basis points)' },
  { key: 'defaultReplicas', label: 'Default replicas' },
  { key: 'defaultQuorum', label: 'Default quorum' },
  { key: 'commitGraceSeconds', label: 'Commit grace (s)' },
  { key: 'revealWindowSeconds', label: 'Reveal window (s)' },
  { key: 'matchScanLimit', label: 'Match scan limit' },
  { key: 'clockToleranceSeconds', label: 'Clock tolerance (s)' },
  { key: 'reputationUnitCredits', label: 'Reputation unit (credits)' },
  { key: 'reputationCapPerOrg', label: 'Reputation cap per org' },
];

/** Approves a proposal for the signed-in admin's org; one Idempotency-Key for all retries of this approval. */
function ApproveButton({ proposalId, label = 'Approve for this org' }: { proposalId: string; label?: string }) {
  const approve = useApprove();
  const [key] = useState(() => newIdempotencyKey('approve'));
  return (
    <>
      <button type="button" disabled={approve.isPending}
              onClick={() => approve.mutate({ proposalId, idempotencyKey: key })}>{label}</button>
      {approve.isError && <p role="alert" className="error">{describeError(approve.error)}</p>}
    </>
  );
}

function ProposalView({ proposal }: { proposal: Proposal }) {
  return (
    <div>
      <dl className="facts">
        <dt>Proposal</dt><dd>{proposal.proposalId} ({proposal.status})</dd>
        <dt>Amends version</dt><dd>{proposal.amendsVersion}</dd>
        <dt>Proposed by</dt><dd>{proposal.proposedBy} at {fromSeconds(proposal.proposedAt)}</dd>
        <dt>Expires</dt><dd>{fromSeconds(proposal.expiresAt)}</dd>
        <dt>Approvals</dt><dd>{proposal.approvals.length ? proposal.approvals.join(', ') : 'none yet'}</dd>
      </dl>
      {proposal.status === 'OPEN' && <ApproveButton proposalId={proposal.proposalId} />}
    </div>
  );
}

/** A proposal just made, read again while it is OPEN so that other orgs' approvals show here too. */
function FollowedProposal({ proposal }: { proposal: Proposal }) {
  const followed = useProposal(proposal.proposalId);
  return <ProposalView proposal={followed.data ?? proposal} />;
}

function ProposeForm({ current }: { current: Parameters }) {
  const propose = usePropose();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(EDITABLE.map(({ key }) => [key, String(current[key])])));
  const [proposalId, setProposalId] = useState('');
  const [hours, setHours] = useState('24');
  const [key, setKey] = useState(() => newIdempotencyKey('propose'));

  function submit(event: FormEvent) {
    event.preventDefault();
    const { version: _version, ...rest } = current;
    void _version;
    const parameters = { ...rest } as Parameters;
    for (const { key: field } of EDITABLE) {
      (parameters as unknown as Record<string, number>)[field] = Number(values[field]);
    }
    propose.mutate({
      proposalId: proposalId.trim(), amendsVersion: current.version ?? 0,
      expiresAt: Math.floor(Date.now() / 1000) + Number(hours) * 3600, parameters, idempotencyKey: key,
    }, { onSuccess: () => setKey(newIdempotencyKey('propose')) });
  }

  return (
    <form onSubmit={submit} className="stacked" aria-labelledby="propose-title">
      <h2 id="propose-title">Propose a change</h2>
      <label htmlFor="proposal-id">New proposal id</label>
      <input id="proposal-id" required pattern="[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}" value={proposalId} onChange={(e) => setProposalId(e.target.value)} />
      <div className="grid">
        {EDITABLE.map(({ key: field, label }) => (
          <label key={field}>{label}
            <input type="number" min={0} required value={values[field]} onChange={(e) => setValues({ ...values, [field]: e.target.value })} />
          </label>
        ))}
      </div>
      <label htmlFor="proposal-hours">Expires in (hours)</label>
      <input id="proposal-hours" type="number" min={1} max={720} value={hours} onChange={(e) => setHours(e.target.value)} />
      <button type="submit" disabled={propose.isPending}>Propose</button>
      {propose.isError && <p role="alert" className="error">{describeError(propose.error)}</p>}
      {propose.data && <div role="status"><p>Proposed.</p><FollowedProposal proposal={propose.data} /></div>}
    </form>
  );
}

/** A parameter's value as text (members and units are a list and an object). */
function shown(value: unknown): string {
  return value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Each member's approval of a proposal, and how many of the required it has. */
function ApprovalState({ proposal }: { proposal: ProposalSummary }) {
  return (
    <>
      <p><strong>{proposal.approvals.length} of {proposal.required}</strong> required approvals</p>
      <ul className="approvals" aria-label={`Approvals of ${proposal.proposalId}`}>
        {proposal.members.map((member) => {
          const approved = proposal.approvals.includes(member);
          return (
            <li key={member} className={approved ? 'approved' : 'pending'}>
              <span aria-hidden="true">{approved ? '✓ ' : '○ '}</span>{member}: {approved ? 'approved' : 'not yet'}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** Every proposal of the consortium, newest first, with its changes and its approval state across the orgs. */
function ProposalList() {
  const proposals = useProposals();
  return (
    <section aria-labelledby="proposals-title">
      <h2 id="proposals-title">Proposals</h2>
      <QueryState what="the proposals" query={proposals} isEmpty={(l) => l.length === 0} empty="No proposal has been made yet.">
        {(list) => (
          <div className="table-wrap">
            <table className="proposals">
              <caption>Proposals, newest first</caption>
              <thead>
                <tr><th scope="col">Proposal</th><th scope="col">Status</th><th scope="col">Proposed</th><th scope="col">Changes</th>
                  <th scope="col">Approvals</th><th scope="col">Action</th></tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.proposalId}>
                    <th scope="row" title={p.proposalId}>{p.proposalId}</th>
                    <td><span className={`badge ${p.status.toLowerCase()}`}>{p.status}</span></td>
                    <td>by {p.proposedBy}<br /><span className="muted">{fromSeconds(p.proposedAt)}, expires {fromSeconds(p.expiresAt)}</span></td>
                    <td>
                      {p.changes.length === 0 ? 'no change' : (
                        <ul className="changes">{p.changes.map((c) => <li key={c.name}>{c.name}: {shown(c.from)} → {shown(c.to)}</li>)}</ul>
                      )}
                    </td>
                    <td><ApprovalState proposal={p} /></td>
                    <td>{p.status === 'OPEN' ? <ApproveButton proposalId={p.proposalId} label={`Approve ${p.proposalId}`} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </section>
  );
}

function ProposalLookup() {
  const [proposalId, setProposalId] = useState<string | null>(null);
  const proposal = useProposal(proposalId);
  return (
    <section aria-labelledby="lookup-title">
      <h2 id="lookup-title">A proposal's approvals</h2>
      <LookupForm label="Proposal id to look up" onLookup={setProposalId} />
      {proposalId && <QueryState what={`proposal ${proposalId}`} query={proposal}>{(p) => <ProposalView proposal={p} />}</QueryState>}
    </section>
  );
}

export function Governance() {
  const parameters = useParameters();
  useAdminEvents();
  return (
    <section aria-labelledby="gov-title">
      <h1 id="gov-title">Governance</h1>
      <QueryState what="the consortium parameters" query={parameters}>
        {(p) => (
          <>
            <table>
              <caption>Parameters in force, version {p.version ?? '—'}</caption>
              <tbody>
                <tr><th scope="row">Members</th><td>{p.members.join(', ')}</td></tr>
                {EDITABLE.map(({ key, label }) => <tr key={key}><th scope="row">{label}</th><td>{String(p[key])}</td></tr>)}
                <tr><th scope="row">Resource units (µ per millicore, MiB, GPU, storage MiB)</th>
                  <td>{p.units.microPerMillicore}, {p.units.microPerMemoryMiB}, {p.units.microPerGpu}, {p.units.microPerStorageMiB}</td></tr>
              </tbody>
            </table>
            <ProposeForm key={p.version ?? 0} current={p} />
          </>
        )}
      </QueryState>
      <ProposalList />
      <ProposalLookup />
    </section>
  );
}
