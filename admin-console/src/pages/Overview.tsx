import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { useAccounts, useEventStream, useJobCounts, useMembers, useNodes } from '../api/hooks';
import { QueryState } from '../components/Status';
import { credits } from '../format';

/** Members, nodes, jobs by state and balances; live through the partner event stream and periodic re-reads. */
export function Overview() {
  const members = useMembers();
  const nodes = useNodes();
  const accounts = useAccounts(null);
  const counts = useJobCounts();
  const stream = useEventStream('/events', () => [['jobs']], { reconnect: true });
  const jobsPending = counts.some((c) => c.isPending);
  const jobsFailed = counts.find((c) => c.isError);
  const chart = counts.map((c) => c.data).filter((d) => d !== undefined).map((d) => ({ status: d.status, jobs: d.count }));
  const openEscrow = counts.reduce((sum, c) => sum + (c.data && (c.data.status === 'QUEUED' || c.data.status === 'RUNNING') ? c.data.escrowed : 0), 0);

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <p className="live" aria-live="polite">Updates: {stream.state === 'live' || stream.state === 'connecting' ? 'live event stream' : 'every 10 s (event stream unavailable)'}</p>
      <div className="cards">
        <section aria-labelledby="members-title" className="card">
          <h2 id="members-title">Members</h2>
          <QueryState what="members" query={members} isEmpty={(m) => m.length === 0}>
            {(list) => (
              <ul aria-label="Member orgs">
                {list.map((m) => <li key={m.subject}>{m.subject} <span className="muted">reputation {m.score}</span></li>)}
              </ul>
            )}
          </QueryState>
        </section>
        <section aria-labelledby="nodes-title" className="card">
          <h2 id="nodes-title">Provider nodes</h2>
          <QueryState what="nodes" query={nodes}>
            {(list) => (
              <p><strong className="figure">{list.filter((n) => n.online).length}</strong> of {list.length} of this org's nodes online</p>
            )}
          </QueryState>
        </section>
        <section aria-labelledby="treasury-title" className="card">
          <h2 id="treasury-title">Balances and escrow</h2>
          <QueryState what="balances" query={accounts}>
            {(page) => (
              <p>
                <strong className="figure">{credits(page.items.reduce((sum, a) => sum + a.balance, 0))}</strong> credits in
                {' '}{page.items.length}{page.nextCursor ? '+' : ''} accounts of this org
              </p>
            )}
          </QueryState>
          {!jobsPending && !jobsFailed && <p>{credits(openEscrow)} credits escrowed by your open jobs</p>}
        </section>
      </div>
      <section aria-labelledby="states-title">
        <h2 id="states-title">Jobs by state</h2>
        {jobsPending ? <p role="status">Loading jobs…</p>
          : jobsFailed ? <QueryState what="jobs" query={jobsFailed}>{() => null}</QueryState>
            : (
              <>
                <BarChart width={520} height={220} data={chart} role="img" aria-label="Bar chart of jobs by state">
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="status" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar dataKey="jobs" fill="#2f6fb3" />
                </BarChart>
                <table>
                  <caption>Jobs by state (your jobs; counted up to 200 each)</caption>
                  <thead><tr><th scope="col">State</th><th scope="col">Jobs</th></tr></thead>
                  <tbody>
                    {counts.map(({ data }) => data && (
                      <tr key={data.status}><td>{data.status}</td><td>{data.count}{data.more ? '+' : ''}</td></tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
      </section>
    </section>
  );
}
