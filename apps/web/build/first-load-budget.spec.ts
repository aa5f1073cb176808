import { gzipSync } from 'node:zlib';
import { type BundleEntry, firstLoadJs } from './first-load-budget.js';

const chunk = (fileName: string, code: string, imports: string[] = [], isEntry = false): BundleEntry => ({
  type: 'chunk',
  fileName,
  code,
  imports,
  isEntry,
});

describe('firstLoadJs', () => {
  it('counts the entry and its static imports, transitively, and not lazy chunks or assets', () => {
    const bundle = {
      'index.js': chunk('index.js', 'import "./react.js"; import("./lazy.js")', ['react.js'], true),
      'react.js': chunk('react.js', 'import "./shared.js"; react()', ['shared.js']),
      'shared.js': chunk('shared.js', 'shared()'),
      'lazy.js': chunk('lazy.js', 'x'.repeat(10_000)),
      'index.css': { type: 'asset', fileName: 'index.css', source: 'body{}' },
    } satisfies Record<string, BundleEntry>;
    const { files, gzipBytes } = firstLoadJs(bundle);
    expect(files).toEqual(['index.js', 'react.js', 'shared.js']);
    const expected = ['index.js', 'react.js', 'shared.js']
      .map((file) => gzipSync((bundle[file as keyof typeof bundle] as { code: string }).code, { level: 9 }).length)
      .reduce((a, b) => a + b);
    expect(gzipBytes).toBe(expected);
  });
});
