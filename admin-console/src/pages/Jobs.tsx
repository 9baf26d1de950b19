import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { createColumnHelper } from '@tanstack/react-table';
import { useEventStream, useJobs } from '../api/hooks';
import { JOB_STATUSES, type Job, type JobStatus } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Empty, ErrorState, Loading } from '../components/Status';
import { Pager, useCursors } from '../components/Pager';
import { credits, fromSeconds } from '../format';

const column = createColumnHelper<Job>();
const COLUMNS = [
  column.accessor('jobId', { header: 'Job', cell: (c) => <Link to={`/jobs/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link> }),
  column.accessor('status', { header: 'Status', cell: (c) => <span className={`badge ${c.getValue().toLowerCase()}`}>{c.getValue()}</span> }),
  column.accessor((j) => j.spec.image, { id: 'image', header: 'Image' }),
  column.accessor((j) => `${j.spec.resources.arch}/${j.spec.resources.gpuCount ? j.spec.resources.gpuModel : 'cpu'}`,
    { id: 'class', header: 'Class' }),
  column.accessor('clientId', { header: 'Client' }),
  column.accessor('escrowed', { header: 'Escrowed', cell: (c) => credits(c.getValue()) }),
  column.accessor('createdAt', { header: 'Created', cell: (c) => fromSeconds(c.getValue()) }),
];

/** Whether a job matches the search text (id, image, client, status). */
export function matchesSearch(job: Job, text: string): boolean {
  const needle = text.trim().toLowerCase();
  return !needle || [job.jobId, job.spec.image, job.clientId, job.status].some((v) => v.toLowerCase().includes(needle));
}

/**
 * The jobs the gateway lists for the signed-in admin (`GET /jobs`: every job of this org's clients), a page at a time,
 * re-read as the org's event stream reports changes. The status filter is the gateway's; the search narrows the page
 * shown.
 */
export function Jobs() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? '') as JobStatus | '';
  const search = params.get('q') ?? '';
  const [pageSize, setPageSize] = useState(50);
  const cursors = useCursors();
  const jobs = useJobs(status, pageSize, cursors.cursor);
  useEventStream('/events', () => [['jobs', 'list']], { reconnect: true });
  const shown = useMemo(() => (jobs.data?.items ?? []).filter((j) => matchesSearch(j, search)), [jobs.data, search]);

  function update(key: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setParams(next, { replace: true });
    if (key === 'status') {
      cursors.reset();
    }
  }

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <p className="hint">Every job of this org's clients, live.</p>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search
          <input type="search" value={search} placeholder="id, image, client" onChange={(e) => update('q', e.target.value)} />
        </label>
        <label>Status
          <select value={status} onChange={(e) => update('status', e.target.value)}>
            <option value="">All</option>
            {JOB_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Page size
          <select value={pageSize} onChange={(e) => { setPageSize(Number(e.target.value)); cursors.reset(); }}>
            {[20, 50, 100, 200].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </form>
      {jobs.isPending ? <Loading what="jobs" />
        : jobs.isError ? <ErrorState what="jobs" error={jobs.error} onRetry={() => void jobs.refetch()} />
          : shown.length === 0
            ? <Empty>{jobs.data.items.length === 0 ? 'No jobs on this page.' : 'No job on this page matches the search.'}</Empty>
            : <DataTable caption={`Jobs, page ${cursors.page}${status ? `, status ${status}` : ''}`} data={shown} columns={COLUMNS} />}
      <Pager label="Pages of jobs" cursors={cursors} nextCursor={jobs.data?.nextCursor} busy={jobs.isPlaceholderData} />
    </section>
  );
}
