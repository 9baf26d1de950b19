import type { ReactNode } from 'react';
import { describeError } from '../api/client';

/** A region that is still loading: announced politely to screen readers. */
export function Loading({ what }: { what: string }) {
  return <p role="status" aria-live="polite" className="loading">Loading {what}…</p>;
}

/** A failure, announced at once, with a retry when the caller offers one. */
export function ErrorState({ what, error, onRetry }: { what: string; error: unknown; onRetry?: () => void }) {
  return (
    <div role="alert" className="error">
      <p><strong>Could not load {what}.</strong> {describeError(error)}</p>
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Loading / error / empty / content for one query. */
export function QueryState<T>({ what, query, isEmpty, empty, children }: {
  what: string;
  query: { data: T | undefined; error: unknown; isPending: boolean; isError: boolean; refetch: () => unknown };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return <Loading what={what} />;
  }
  if (query.isError || query.data === undefined) {
    return <ErrorState what={what} error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (isEmpty?.(query.data)) {
    return <Empty>{empty ?? `No ${what}.`}</Empty>;
  }
  return <>{children(query.data)}</>;
}
