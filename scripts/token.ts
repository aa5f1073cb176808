// npm run -s token -- <username> [--admin] [--expires-in <seconds>]
// Asks the running dev identity provider for an access token and prints only the token, so that
// TOKEN=$(npm run -s token -- alice) works. The IdP is found at IDP_URL, else http://IDP_HOST:IDP_PORT when
// IDP_PORT is set, else AUTH_ISSUER, else http://127.0.0.1:9000 (make dev's).
import { parseArgs } from 'node:util';
import { DEFAULT_LOCAL_PORTS, LOCAL_HOST } from '#libs/config';

const USAGE = 'usage: npm run -s token -- <username> [--admin] [--expires-in <seconds>]';

function idpUrl(env: NodeJS.ProcessEnv): string {
  if (env.IDP_URL) {
    return env.IDP_URL;
  }
  if (env.IDP_PORT) {
    return `http://${env.IDP_HOST || LOCAL_HOST}:${env.IDP_PORT}`;
  }
  return env.AUTH_ISSUER || `http://${LOCAL_HOST}:${DEFAULT_LOCAL_PORTS.idp}`;
}

function fail(message: string, exitCode = 1): never {
  console.error(message);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { admin: { type: 'boolean', default: false }, 'expires-in': { type: 'string' } },
    });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, 2);
  }
  const [username, ...extra] = parsed.positionals;
  if (!username || extra.length > 0) {
    fail(USAGE, 2);
  }
  const expiresIn = parsed.values['expires-in'];
  if (expiresIn !== undefined && !/^-?\d+$/.test(expiresIn)) {
    fail(`--expires-in takes whole seconds\n${USAGE}`, 2);
  }

  const url = idpUrl(process.env);
  let response: Response;
  try {
    response = await fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username,
        admin: parsed.values.admin,
        ...(expiresIn !== undefined ? { expiresInSeconds: Number(expiresIn) } : {}),
      }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    fail(`The dev identity provider is not reachable at ${url} (${reason}).\nStart it with: make dev`);
  }
  const text = await response.text();
  if (!response.ok) {
    fail(`The dev identity provider at ${url} answered ${response.status}: ${text}`);
  }
  const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
  if (typeof token !== 'string') {
    fail(`The dev identity provider at ${url} answered without an access_token: ${text}`);
  }
  process.stdout.write(`${token}\n`);
}

await main();
