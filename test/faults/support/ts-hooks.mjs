// `node --import ./test/faults/support/ts-hooks.mjs <entry>.ts` runs an app straight from its TypeScript sources
// in a process of its own, so the fault tests can SIGKILL it. Unlike tsx (esbuild), TypeScript's own transpiler
// emits the decorator metadata Nest's dependency injection reads. Transpiled files are cached in the OS temp dir by
// path and content, so only the first process of a run pays for TypeScript.
import { createHash } from 'node:crypto';
import process from 'node:process';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cacheDir = path.join(tmpdir(), 'imggen-ts-hooks');
mkdirSync(cacheDir, { recursive: true });

let typescript;
let compilerOptions;
/** Loaded on the first cache miss only: a warm start never reads TypeScript itself. */
function transpiler() {
  if (!typescript) {
    typescript = createRequire(import.meta.url)('typescript');
    const { config } = typescript.readConfigFile(path.join(root, 'tsconfig.json'), typescript.sys.readFile);
    compilerOptions = {
      ...typescript.convertCompilerOptionsFromJson(config.compilerOptions, root).options,
      module: typescript.ModuleKind.ESNext,
      moduleResolution: typescript.ModuleResolutionKind.Bundler,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: false,
      declaration: false,
    };
  }
  return { typescript, compilerOptions };
}

function transpile(file) {
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha1').update(`${file}\0${source}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not transpiled yet
  }
  const { typescript: ts, compilerOptions: options } = transpiler();
  const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: file });
  // write then rename: a process starting at the same time never reads half a file
  const partial = `${cached}.${process.pid}`;
  writeFileSync(partial, outputText);
  renameSync(partial, cached);
  return outputText;
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    // #libs/<name> → the lib's TypeScript entry point (package.json maps it to dist/ for built code)
    const lib = /^#libs\/([^/]+)$/.exec(specifier);
    if (lib) {
      return { url: pathToFileURL(path.join(root, 'libs', lib[1], 'src', 'index.ts')).href, shortCircuit: true };
    }
    const fromTs = context.parentURL?.endsWith('.ts');
    if (fromTs && specifier.startsWith('.') && specifier.endsWith('.js')) {
      const candidate = new globalThis.URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      try {
        if (statSync(fileURLToPath(candidate)).isFile()) {
          return { url: candidate.href, shortCircuit: true };
        }
      } catch {
        // a real .js file: resolved below
      }
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && url.endsWith('.ts')) {
      return { format: 'module', source: transpile(fileURLToPath(url)), shortCircuit: true };
    }
    return nextLoad(url, context);
  },
});
