import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** What the budget needs of a bundle output: rollup's OutputChunk/OutputAsset, reduced. */
export type BundleEntry =
  | { type: 'chunk'; fileName: string; code: string; isEntry: boolean; imports: string[] }
  | { type: 'asset'; fileName: string; source: string | Uint8Array };

export interface FirstLoad {
  files: string[];
  gzipBytes: number;
}

/** The JavaScript a first visit downloads: the entry chunks and everything they import statically (not import()). */
export function firstLoadJs(bundle: Record<string, BundleEntry>): FirstLoad {
  const seen = new Set<string>();
  const visit = (fileName: string): void => {
    const entry = bundle[fileName];
    if (seen.has(fileName) || entry?.type !== 'chunk') {
      return;
    }
    seen.add(fileName);
    entry.imports.forEach(visit);
  };
  Object.values(bundle)
    .filter((entry) => entry.type === 'chunk' && entry.isEntry)
    .forEach((entry) => visit(entry.fileName));
  const files = [...seen].sort();
  const gzipBytes = files.reduce((sum, file) => {
    const chunk = bundle[file] as Extract<BundleEntry, { type: 'chunk' }>;
    return sum + gzipSync(chunk.code, { level: 9 }).length;
  }, 0);
  return { files, gzipBytes };
}

/** Prints the first-load JavaScript (gzip) after a production build and fails the build above `limitKb`. */
export function firstLoadBudget({ limitKb }: { limitKb: number }): Plugin {
  return {
    name: 'imggen-first-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const { files, gzipBytes } = firstLoadJs(bundle);
      const kb = gzipBytes / 1024;
      const line = `first-load JS: ${kb.toFixed(1)} KB gzip in ${files.length} file(s) (budget ${limitKb} KB)`;
      if (kb > limitKb) {
        this.error(`${line}: over budget`);
      }
      console.log(line);
    },
  };
}
