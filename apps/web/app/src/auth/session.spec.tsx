import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ESTIMATE, SDXL } from '../test/fixtures';
import { API, fakeApi, json, renderApp } from '../test/render';
import { loadSession, saveSession, sessionFromToken } from './session';

const jwt = (claims: object) => `h.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.s`;

beforeEach(() => sessionStorage.clear());

describe('sessions', () => {
  it('reads the user name, the admin group and the expiry from the token', () => {
    expect(sessionFromToken(jwt({ username: 'root', 'cognito:groups': ['admin'], exp: 2_000_000_000 }))).toEqual({
      token: jwt({ username: 'root', 'cognito:groups': ['admin'], exp: 2_000_000_000 }),
      username: 'root',
      admin: true,
      expiresAt: 2_000_000_000_000,
    });
    expect(sessionFromToken('opaque', 'alice')).toMatchObject({ username: 'alice', admin: false });
  });

  it('forgets an expired session', () => {
    saveSession({ token: 't', username: 'a', admin: false, expiresAt: 1000 });
    expect(loadSession(sessionStorage, 999)).toBeDefined();
    expect(loadSession(sessionStorage, 1000)).toBeUndefined();
  });
});

describe('sign-in and sign-out', () => {
  it('signs in through the dev IdP and sends the token to the api', async () => {
    const { requests } = fakeApi({
      'POST /dev-idp/token': () => json({ access_token: jwt({ username: 'bob', exp: 4_000_000_000 }) }),
      'GET /v1/models': () => json({ items: [SDXL] }),
      'GET /v1/jobs': () => json({ items: [], nextCursor: null }),
    });
    renderApp({ signedIn: false });
    fireEvent.change(screen.getByLabelText('User name'), { target: { value: 'bob' } });
    fireEvent.click(screen.getByLabelText('Administrator'));
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'New image' });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/dev-idp/token',
      body: { username: 'bob', admin: true },
    });
    expect(requests.find((r) => r.path === '/v1/models')?.authorization).toBe(
      `Bearer ${jwt({ username: 'bob', exp: 4_000_000_000 })}`,
    );
    expect(screen.getByText('bob')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('User name')).toBeTruthy();
    expect(loadSession()).toBeUndefined();
  });

  it('a 401 sends the user back to sign in, and the form keeps what they typed', async () => {
    let expired = false;
    fakeApi({
      'GET /v1/models': () => json({ items: [SDXL] }),
      'GET /v1/jobs': () => json({ items: [], nextCursor: null }),
      'POST /v1/jobs/estimate': () =>
        expired
          ? json(
              {
                type: '/problems/unauthorized',
                title: 'Unauthorized',
                status: 401,
                detail: 'expired',
                instance: '/v1/jobs/estimate',
              },
              401,
            )
          : json(ESTIMATE),
      'POST /dev-idp/token': () => json({ access_token: jwt({ username: 'alice', exp: 4_000_000_000 }) }),
    });
    renderApp();
    await screen.findByRole('heading', { name: 'New image' });
    expired = true;
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a draft worth keeping' } });
    expect(await screen.findByText('Your session has expired. Sign in again; your form is kept.')).toBeTruthy();
    expired = false;
    // the sign-in form starts with the name of who was signed in
    expect(screen.getByLabelText<HTMLInputElement>('User name').value).toBe('alice');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() =>
      expect(screen.getByLabelText<HTMLTextAreaElement>('Prompt').value).toBe('a draft worth keeping'),
    );
    expect(API).toBe('http://api.test');
  });

  it('signing out forgets the form, so the next person in the tab starts empty', async () => {
    fakeApi({
      'GET /v1/models': () => json({ items: [SDXL] }),
      'GET /v1/jobs': () => json({ items: [], nextCursor: null }),
      'POST /v1/jobs/estimate': () => json(ESTIMATE),
      'POST /dev-idp/token': () => json({ access_token: jwt({ username: 'bob', exp: 4_000_000_000 }) }),
    });
    renderApp();
    await screen.findByRole('heading', { name: 'New image' });
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'alice’s private idea' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    fireEvent.change(await screen.findByLabelText('User name'), { target: { value: 'bob' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'New image' });
    expect(screen.getByLabelText<HTMLTextAreaElement>('Prompt').value).toBe('');
  });
});
