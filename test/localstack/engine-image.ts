import http from 'node:http';

/**
 * Makes sure the engine at `dockerHost` (unix:// or tcp://, Docker's API, which podman serves too) has `image`,
 * pulling it when missing. testcontainers logs a failed pull and goes on to "no such image"; this throws the
 * registry's own answer instead (`pulling <image> failed: ...`), or the connection error when nothing answers.
 * Hosts it cannot speak to without TLS settings (https://, ssh://) are left to testcontainers.
 */
export async function ensureImage(dockerHost: string, image: string): Promise<void> {
  const target = apiTarget(dockerHost);
  if (!target) {
    return;
  }
  const present = await request(target, 'GET', `/images/${encodeURIComponent(image)}/json`);
  if (present.status === 200) {
    return;
  }
  const pulled = await request(target, 'POST', `/images/create?fromImage=${encodeURIComponent(image)}`);
  const failure = pullFailure(pulled.status, pulled.body);
  if (failure) {
    throw new Error(`pulling ${image} failed: ${failure}`);
  }
}

/** The error in a pull's answer: a non-2xx status, or an `error` line in its JSON progress stream. */
export function pullFailure(status: number, body: string): string | undefined {
  const messages = body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const event = JSON.parse(line) as { error?: string; errorDetail?: { message?: string }; message?: string };
        return event.errorDetail?.message ?? event.error ?? (status >= 300 ? event.message : undefined);
      } catch {
        return status >= 300 ? line.trim() : undefined;
      }
    })
    .filter((message): message is string => Boolean(message));
  if (messages.length > 0) {
    return [...new Set(messages)].join('; ');
  }
  return status >= 300 ? `HTTP ${status}` : undefined;
}

type ApiTarget = { socketPath: string } | { host: string; port: number };

function apiTarget(dockerHost: string): ApiTarget | undefined {
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') {
    return { socketPath: url.pathname };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:') {
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return undefined;
}

function request(target: ApiTarget, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, method, path, headers: { host: 'docker' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
