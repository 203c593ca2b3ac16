/**
 * Bundles what must start fast, after `tsc` has compiled src/ to dist/ (`npm run build`):
 *
 * - dist/bundle/cli.mjs: the `tsdask` command (dist/cli/main.js and everything it imports,
 *   apache-arrow and chevrotain included, piscina not: it finds its worker runtime next to its own
 *   main file) as one ES module;
 * - dist/bundle/worker.cjs: the pool's worker (dist/schedule/pool/worker.js, the built-in ops and
 *   their dependencies) as one CommonJS file; piscina stays external, since the worker thread has
 *   already loaded it (its workerData comes from there).
 *
 * Why: loading ~170 compiled modules plus chevrotain's and apache-arrow's hundreds took ~0.45 s of
 * a 0.9 s CLI run; resolving, reading and linking each file is the cost, not running them. One
 * file per thread is compiled lazily by V8 in a fraction of that. bench/startup.bench.ts measures
 * it. The library's own entry (dist/index.js) stays unbundled: users' bundlers and tree-shaking
 * work on it, and its workers use the worker bundle too (worker-file.ts).
 */
import { chmodSync } from 'node:fs'
import { build } from 'esbuild'

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Whitespace and syntax only: class and function names stay, so error names and stacks read as
  // in the sources.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  legalComments: 'none',
}

await Promise.all([
  build({
    ...common,
    entryPoints: ['dist/cli/main.js'],
    outfile: 'dist/bundle/cli.mjs',
    format: 'esm',
    // piscina starts its threads on its own worker runtime, found next to its main file.
    external: ['piscina'],
    // chevrotain's dependencies are CommonJS and call require() for Node's modules.
    banner: { js: "import { createRequire as __tsdaskCreateRequire } from 'node:module'; const require = __tsdaskCreateRequire(import.meta.url);" },
    define: { __TSDASK_WORKER_BUNDLE__: JSON.stringify('./worker.cjs') },
  }),
  build({
    ...common,
    entryPoints: ['dist/schedule/pool/worker.js'],
    outfile: 'dist/bundle/worker.cjs',
    format: 'cjs',
    external: ['piscina'],
  }),
])
chmodSync('dist/bundle/cli.mjs', 0o755)
