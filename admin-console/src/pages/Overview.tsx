import { useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useAdminEvents, useAdminOverview, useAlerts, useMembers, useSeries } from '../api/hooks';
import { JOB_STATUSES, type AdminOverview, type Alert, type Series } from '../api/types';
import { ChartFigure } from '../components/Chart';
import { Pager, useCursors } from '../components/Pager';
import { QueryState } from '../components/Status';
import { clock, credits, fromSeconds, nodePath } from '../format';

const WINDOWS = [{ minutes: 60, label: 'Last hour' }, { minutes: 360, label: 'Last 6 hours' }, { minutes: 1440, label: 'Last 24 hours' }];

function JobsByState({ overview }: { overview: AdminOverview }) {
  const rows = JOB_STATUSES.map((status) => ({ status, jobs: overview.jobsByStatus[status] ?? 0 }));
  const total = rows.reduce((sum, r) => sum + r.jobs, 0);
  return (
    <ChartFigure id="states" title="Jobs by state"
      summary={`Bar chart of jobs by state: ${rows.map((r) => `${r.jobs} ${r.status}`).join(', ')} (${total} in all).`}
      chart={(
        <BarChart width={560} height={200} data={rows} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="status" interval={0} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="jobs" fill="#2f6fb3" isAnimationActive={false} />
        </BarChart>
      )}
      data={(
        <table>
          <caption>Jobs by state (consortium-wide, block {overview.asOfBlock})</caption>
          <thead><tr><th scope="col">State</th><th scope="col">Jobs</th></tr></thead>
          <tbody>{rows.map((r) => <tr key={r.status}><th scope="row">{r.status}</th><td>{r.jobs}</td></tr>)}</tbody>
        </table>
      )}
    />
  );
}

function seconds(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(1)} s`;
}

/** Throughput and completion latency per bucket, with the figures as a table of the buckets that had any job. */
function Activity({ series, window }: { series: Series; window: string }) {
  const points = series.points.map((p) => ({ ...p, time: clock(p.t) }));
  const sum = (key: 'submitted' | 'completed' | 'failed' | 'cancelled') => points.reduce((s, p) => s + p[key], 0);
  const busy = points.filter((p) => p.submitted + p.completed + p.failed + p.cancelled > 0);
  const timed = points.filter((p) => p.latencyP50Seconds !== null);
  const p50s = timed.map((p) => p.latencyP50Seconds ?? 0);
  const p95 = Math.max(0, ...timed.map((p) => p.latencyP95Seconds ?? 0));
  const table = (
    <table>
      <caption>Jobs per {series.bucketSeconds} s, {window.toLowerCase()} (buckets with activity)</caption>
      <thead>
        <tr><th scope="col">Minute (UTC)</th><th scope="col">Submitted</th><th scope="col">Completed</th><th scope="col">Failed</th>
          <th scope="col">Cancelled</th><th scope="col">Latency p50</th><th scope="col">Latency p95</th></tr>
      </thead>
      <tbody>
        {busy.length === 0 ? <tr><td colSpan={7}>No job was submitted or ended.</td></tr> : busy.map((p) => (
          <tr key={p.t}><th scope="row">{fromSeconds(p.t)}</th><td>{p.submitted}</td><td>{p.completed}</td><td>{p.failed}</td>
            <td>{p.cancelled}</td><td>{seconds(p.latencyP50Seconds)}</td><td>{seconds(p.latencyP95Seconds)}</td></tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div className="charts">
      <ChartFigure id="throughput" title="Throughput"
        summary={`Line chart of jobs per minute, ${window.toLowerCase()}: ${sum('submitted')} submitted, ${sum('completed')} completed, ${sum('failed')} failed, ${sum('cancelled')} cancelled.`}
        chart={(
          <LineChart width={560} height={220} data={points} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="time" minTickGap={24} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Line type="monotone" dataKey="submitted" stroke="#2f6fb3" dot={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="completed" stroke="#3a8f5c" dot={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="failed" stroke="#a3140c" dot={false} isAnimationActive={false} />
          </LineChart>
        )}
        data={table}
      />
      <ChartFigure id="latency" title="Completion latency"
        summary={timed.length === 0
          ? `Line chart of completion latency, ${window.toLowerCase()}: no job ended.`
          : `Line chart of completion latency (submit to end), ${window.toLowerCase()}: p50 between ${seconds(Math.min(...p50s))} and ${seconds(Math.max(...p50s))}, p95 at most ${seconds(p95)}.`}
        chart={(
          <LineChart width={560} height={220} data={points} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="time" minTickGap={24} />
            <YAxis unit=" s" />
            <Tooltip />
            <Legend />
            <Line type="monotone" dataKey="latencyP50Seconds" name="p50" stroke="#2f6fb3" connectNulls dot={{ r: 3 }} isAnimationActive={false} />
            <Line type="monotone" dataKey="latencyP95Seconds" name="p95" stroke="#c46f00" connectNulls dot={{ r: 3 }} isAnimationActive={false} />
          </LineChart>
        )}
        data={table}
      />
    </div>
  );
}

const ALERT_LABELS: Record<string, string> = {
  REPLICA_TIMED_OUT: 'Timeout', DISAGREEMENT: 'Disagreement', SLASHED: 'Slashed', JOB_FAILED: 'Job failed',
};

function AlertItem({ alert }: { alert: Alert }) {
  return (
    <li className="alert-item">
      <span className={`badge alert-${alert.kind.toLowerCase()}`}>{ALERT_LABELS[alert.kind] ?? alert.kind}</span>{' '}
      <time dateTime={new Date(alert.at * 1000).toISOString()}>{fromSeconds(alert.at)}</time>{' '}
      <span>{alert.message}</span>
      {alert.jobId && <> — <Link to={`/jobs/${encodeURIComponent(alert.jobId)}`}>job {alert.jobId}</Link></>}
      {alert.nodeId && <> — <Link to={nodePath(alert.nodeId)}>node {alert.nodeId}</Link></>}
    </li>
  );
}

function Alerts() {
  const cursors = useCursors();
  const alerts = useAlerts(10, cursors.cursor);
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts</h2>
      <p className="hint">Timeouts, disagreements, slashing and failed jobs, newest first; new ones appear as their block commits.</p>
      <QueryState what="alerts" query={alerts} isEmpty={(p) => p.items.length === 0} empty="No alerts: no timeout, disagreement, slashing or failure recorded.">
        {(page) => <ol className="alerts" aria-label="Alerts, newest first">{page.items.map((a) => <AlertItem key={a.id} alert={a} />)}</ol>}
      </QueryState>
      <Pager label="Pages of alerts" cursors={cursors} nextCursor={alerts.data?.nextCursor} busy={alerts.isPlaceholderData} />
    </section>
  );
}

/** The consortium at a glance, live through the admin event stream (and re-read every 10 s besides). */
export function Overview() {
  const members = useMembers();
  const overview = useAdminOverview();
  const [minutes, setMinutes] = useState(60);
  const series = useSeries(minutes);
  const stream = useAdminEvents();
  const windowLabel = WINDOWS.find((w) => w.minutes === minutes)?.label ?? `Last ${minutes} minutes`;

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <p className="live" aria-live="polite">Updates: {stream === 'live' || stream === 'connecting' ? 'live event stream' : 'every 10 s (event stream unavailable)'}</p>
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
          <QueryState what="nodes" query={overview}>
            {(o) => <p><strong className="figure">{o.nodesOnline}</strong> of {o.nodesKnown} nodes online</p>}
          </QueryState>
        </section>
        <section aria-labelledby="treasury-title" className="card">
          <h2 id="treasury-title">Escrow, treasury and stakes</h2>
          <QueryState what="totals" query={overview}>
            {(o) => (
              <dl className="facts" aria-label="Consortium totals in credits">
                <dt>In escrow</dt><dd>{credits(o.escrow)}</dd>
                <dt>Treasury</dt><dd>{credits(o.treasury)}</dd>
                <dt>Staked by offers</dt><dd>{credits(o.stakes)}</dd>
              </dl>
            )}
          </QueryState>
        </section>
        <section aria-labelledby="alert-count-title" className="card">
          <h2 id="alert-count-title">Alerts in the last hour</h2>
          <QueryState what="the alert count" query={overview}>
            {(o) => <p><strong className="figure">{o.alertsLastHour}</strong> <a href="#alerts-title">see the alerts</a></p>}
          </QueryState>
        </section>
      </div>
      <section aria-labelledby="states-title">
        <h2 id="states-title">Jobs by state</h2>
        <QueryState what="jobs by state" query={overview}>{(o) => <JobsByState overview={o} />}</QueryState>
      </section>
      <section aria-labelledby="activity-title">
        <h2 id="activity-title">Throughput and latency</h2>
        <div className="filters">
          <label>Time window
            <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
              {WINDOWS.map((w) => <option key={w.minutes} value={w.minutes}>{w.label}</option>)}
            </select>
          </label>
        </div>
        <QueryState what="the series" query={series}>{(s) => <Activity series={s} window={windowLabel} />}</QueryState>
      </section>
      <Alerts />
    </section>
  );
}
