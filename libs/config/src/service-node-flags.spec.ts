import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { LOCAL_SERVICE_NODE_FLAGS, SERVICE_NODE_FLAGS } from './service-node-flags.js';

describe('SERVICE_NODE_FLAGS', () => {
  it('are flags the Node that runs the services accepts', async () => {
    await expect(
      promisify(execFile)(process.execPath, [...SERVICE_NODE_FLAGS, '-e', 'process.exit(0)']),
    ).resolves.toBeDefined();
  });

  it('are the flags of every service image (docker/Dockerfile CMDs)', async () => {
    const dockerfile = await readFile(new URL('../../../docker/Dockerfile', import.meta.url), 'utf8');
    const commands = [...dockerfile.matchAll(/^CMD (\[.*\])$/gm)].map((match) => JSON.parse(match[1]!) as string[]);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) {
      expect(command.slice(0, -1)).toEqual(['node', ...SERVICE_NODE_FLAGS]);
      expect(command.at(-1)).toMatch(/^dist\/apps\/[a-z-]+\/src\/main\.js$/);
    }
  });
});

describe('LOCAL_SERVICE_NODE_FLAGS', () => {
  it('give a local service the heap Node gives it in a 1 GiB task (a 560 MB limit, as in a 1 GiB container)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      ...LOCAL_SERVICE_NODE_FLAGS,
      '-p',
      "Math.round(require('node:v8').getHeapStatistics().heap_size_limit / 2 ** 20)",
    ]);
    expect(Number(stdout)).toBe(560);
  });
});
