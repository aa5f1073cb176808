import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the dashboard from the current sources (vite build) into a fresh temporary folder; returns the folder. */
export async function buildDashboard(): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'imggen-web-dist-'));
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [
    vite,
    'build',
    '--config',
    path.join(root, 'apps/web/vite.config.ts'),
    '--outDir',
    outDir,
    '--logLevel',
    'warn',
  ];
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    // jest sets NODE_ENV=test, which would make vite bundle React's development build
    const env = { ...process.env, NODE_ENV: 'production' };
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(`vite build failed (${code}):\n${output.join('')}`);
  }
  return outDir;
}
