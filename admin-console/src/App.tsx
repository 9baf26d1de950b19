import { useEffect, useRef, useState } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { SessionProvider, useSession } from './auth/session';
import { SignIn } from './pages/SignIn';
import { Overview } from './pages/Overview';
import { Market } from './pages/Market';
import { Jobs } from './pages/Jobs';
import { JobDetail } from './pages/JobDetail';
import { NodeDetail } from './pages/NodeDetail';
import { Reputation } from './pages/Reputation';
import { Accounts } from './pages/Accounts';
import { Governance } from './pages/Governance';
import { ApiError } from './api/client';

/** One query client per app: refused credentials and missing resources are not retried. */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
        staleTime: 5_000,
      },
    },
  });
}

const PAGES = [
  { to: '/', label: 'Overview', end: true },
  { to: '/market', label: 'Offers and nodes' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/reputation', label: 'Reputation' },
  { to: '/accounts', label: 'Accounts' },
  { to: '/governance', label: 'Governance' },
];

/**
 * Moves the keyboard focus to the main region when the route changes (not on the first page), so a keyboard or
 * screen-reader user continues on the page just opened rather than on the link that opened it.
 */
function FocusMainOnNavigation() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [pathname]);
  return null;
}

/** The console's pages behind the sign-in (the router is the caller's: BrowserRouter in the app, MemoryRouter in tests). */
export function ConsoleRoutes() {
  const { token, signOut } = useSession();
  if (!token) {
    return <SignIn />;
  }
  return (
    <div className="layout">
      <FocusMainOnNavigation />
      <a className="skip" href="#main">Skip to content</a>
      <header>
        <span className="brand">GridLedger admin</span>
        <nav aria-label="Main">
          <ul>
            {PAGES.map((page) => (
              <li key={page.to}><NavLink to={page.to} end={page.end}>{page.label}</NavLink></li>
            ))}
          </ul>
        </nav>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Overview />} />
          <Route path="/market" element={<Market />} />
          <Route path="/jobs" element={<Jobs />} />
          <Route path="/jobs/:jobId" element={<JobDetail />} />
          <Route path="/nodes/*" element={<NodeDetail />} />
          <Route path="/reputation" element={<Reputation />} />
          <Route path="/accounts" element={<Accounts />} />
          <Route path="/governance" element={<Governance />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
    </div>
  );
}

export function App() {
  const [client] = useState(newQueryClient);
  return (
    <QueryClientProvider client={client}>
      <SessionProvider>
        <BrowserRouter basename="/console">
          <ConsoleRoutes />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
