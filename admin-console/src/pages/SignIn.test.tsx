import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ADMIN_TOKEN, QUIET, fakeGateway, json, renderConsole } from '../test/gateway';

async function signInWith(token: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Admin token'), token);
  await user.keyboard('{Enter}');
}

describe('Signing in', () => {
  it('accepts an admin token the gateway accepts, keeps it for the tab and shows the overview', async () => {
    const calls = fakeGateway({ ...QUIET });
    renderConsole('/', { signedIn: false });

    await signInWith(ADMIN_TOKEN);

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeInTheDocument();
    const check = calls.find((c) => c.path === '/api/v1/admin/tokens');
    expect(check?.headers.get('Authorization')).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(sessionStorage.getItem('gridledger.console.token')).toBe(ADMIN_TOKEN);
    expect(localStorage.length).toBe(0);
  });

  it('refuses a token the gateway does not know and says it is unknown, expired or revoked', async () => {
    fakeGateway({ '/api/v1/admin/tokens': () => json(401, { code: 'UNAUTHENTICATED', message: 'unknown token', details: [] }) });
    renderConsole('/', { signedIn: false });

    await signInWith('glt_wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('unknown, expired or revoked');
    expect(screen.getByLabelText('Admin token')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('heading', { name: 'Overview' })).not.toBeInTheDocument();
    expect(sessionStorage.getItem('gridledger.console.token')).toBeNull();
  });

  it('refuses a partner token without the admin scope and says the console needs it', async () => {
    fakeGateway({ '/api/v1/admin/tokens': () => json(403, { code: 'FORBIDDEN', message: 'this credential lacks the scope admin', details: [] }) });
    renderConsole('/', { signedIn: false });

    await signInWith('glt_partner');

    expect(await screen.findByRole('alert')).toHaveTextContent('not an admin token');
    expect(sessionStorage.getItem('gridledger.console.token')).toBeNull();
  });

  it('asks for a token before calling the gateway when none is typed', async () => {
    const calls = fakeGateway({});
    renderConsole('/', { signedIn: false });

    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Enter your admin token');
    expect(calls).toHaveLength(0);
  });

  it('forgets the token on sign-out', async () => {
    fakeGateway({ ...QUIET });
    renderConsole('/');

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(screen.getByLabelText('Admin token')).toBeInTheDocument();
    expect(sessionStorage.getItem('gridledger.console.token')).toBeNull();
  });
});
