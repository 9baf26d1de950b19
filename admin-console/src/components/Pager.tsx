import { useState, type FormEvent } from 'react';

/** The cursors of the pages seen so far: the gateway's listings page forward only, so going back pops one. */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    next: (cursor: string) => setCursors((seen) => [...seen, cursor]),
    previous: () => setCursors((seen) => seen.slice(0, -1)),
    reset: () => setCursors([null]),
  };
}

/** Previous / next page buttons over {@link useCursors}; next only while the gateway gave a nextCursor. */
export function Pager({ label, cursors, nextCursor, busy = false }: {
  label: string;
  cursors: ReturnType<typeof useCursors>;
  nextCursor: string | null | undefined;
  busy?: boolean;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={cursors.page === 1} onClick={cursors.previous}>Previous page</button>
      <span aria-live="polite">Page {cursors.page}</span>
      <button type="button" disabled={!nextCursor || busy} onClick={() => nextCursor && cursors.next(nextCursor)}>Next page</button>
    </nav>
  );
}

/** A one-field form that looks something up by id (a proposal, a node's reputation). */
export function LookupForm({ label, placeholder, onLookup }: {
  label: string;
  placeholder?: string;
  onLookup: (id: string | null) => void;
}) {
  const [draft, setDraft] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    onLookup(draft.trim() || null);
  }
  return (
    <form className="filters" onSubmit={submit}>
      <label>{label} <input value={draft} placeholder={placeholder} onChange={(e) => setDraft(e.target.value)} /></label>
      <button type="submit">Look up</button>
    </form>
  );
}
