import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { firstLoadBudget } from './build/first-load-budget.js';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** The dashboard: apps/web/app → apps/web/dist (git-ignored), served by apps/web/src/server.ts or from S3. */
export default defineConfig({
  root: here('./app'),
  publicDir: false,
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    rolldownOptions: {
      checks: { pluginTimings: false },
      onwarn(warning, warn) {
        // TanStack Query's "use client" directives mean nothing in a client-only bundle
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') {
          warn(warning);
        }
      },
    },
  },
  plugins: [firstLoadBudget({ limitKb: 150 })],
});
