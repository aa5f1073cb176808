import type { JobParams } from '../api/types';

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The POST /v1/jobs that reproduces a job exactly: every resolved parameter, the seed included. */
export function curlFor(params: JobParams, apiBase: string): string {
  const { webhookUrl: _ignored, ...body } = params;
  return [
    `curl -s -X POST ${shellQuote(`${apiBase}/v1/jobs`)}`,
    `-H "Authorization: Bearer $TOKEN"`,
    `-H 'Content-Type: application/json'`,
    `-d ${shellQuote(JSON.stringify(body))}`,
  ].join(' \\\n  ');
}
