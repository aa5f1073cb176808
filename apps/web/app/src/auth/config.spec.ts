import { ConfigError, parseRuntimeConfig } from './config';

describe('parseRuntimeConfig (the sign-in chosen from /config.json)', () => {
  it('picks the dev sign-in when only devTokenUrl is set', () => {
    expect(parseRuntimeConfig({ apiUrl: '', devTokenUrl: '/dev-idp/token' })).toEqual({
      apiUrl: '',
      auth: { kind: 'dev', tokenUrl: '/dev-idp/token' },
    });
  });

  it('picks the hosted sign-in (code + PKCE) from what the deploy writes, and it wins over devTokenUrl', () => {
    const deployed = {
      apiUrl: 'https://api.imggen.example/',
      authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      clientId: '4abc',
      redirectUri: 'https://imggen.example/callback',
      logoutUrl: 'https://auth.imggen.example/logout?client_id=4abc&logout_uri=https://imggen.example/',
      devTokenUrl: '/dev-idp/token',
    };
    expect(parseRuntimeConfig(deployed)).toEqual({
      apiUrl: 'https://api.imggen.example',
      auth: {
        kind: 'oidc',
        authority: deployed.authority,
        clientId: '4abc',
        redirectUri: deployed.redirectUri,
        scope: 'openid',
        logoutUrl: deployed.logoutUrl,
      },
    });
    expect(parseRuntimeConfig({ ...deployed, scope: 'openid email' }).auth).toMatchObject({ scope: 'openid email' });
  });

  it('names what is missing or malformed', () => {
    expect(() => parseRuntimeConfig({ authority: 'https://idp.example', clientId: 'c' })).toThrow(
      'config.json: redirectUri missing for the hosted sign-in',
    );
    expect(() =>
      parseRuntimeConfig({ authority: 'idp.example', clientId: 'c', redirectUri: 'https://x.example/callback' }),
    ).toThrow('authority must be an http(s) URL');
    expect(() => parseRuntimeConfig({ apiUrl: 'ftp://x', devTokenUrl: '/t' })).toThrow('apiUrl must be an http(s) URL');
    expect(() => parseRuntimeConfig({ apiUrl: '' })).toThrow(/names no sign-in/);
    expect(() => parseRuntimeConfig([])).toThrow(ConfigError);
    expect(() => parseRuntimeConfig(null)).toThrow('config.json is not a JSON object');
  });
});
