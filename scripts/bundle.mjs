/**
 * Bundles what must start fast, after `tsc` has compiled src/ to dist/ (`npm run build`):
 *
 * - dist/bundle/cli-main.cjs: the `tsdask` command (dist/cli/main.js and everything it imports,
 *   apache-arrow and chevrotain included; piscina not: it finds its worker runtime next to its own
 *   main file), started by dist/bundle/cli.cjs (the bin);
 * - dist/bundle/worker-main.cjs: the pool's worker (dist/schedule/pool/worker.js, the built-in ops
 *   and their dependencies; piscina external, since the worker thread has already loaded it),
 *   started by dist/bundle/worker.cjs (what workers load, src/schedule/pool/worker-file.ts);
 * - their V8 code caches (`*.v8cache`), made by running a small query once (a training run), which
 *   scripts/bundle/load-cached.cjs reads.
 *
 * Why: loading ~170 compiled modules plus chevrotain's and apache-arrow's hundreds took ~0.45 s of
 * a 0.9 s CLI run; resolving, reading and linking each file is the cost. One CommonJS file per
 * thread, with its compiled code cached, starts in a fraction of that (bench/startup.bench.ts).
 * CommonJS, not ESM: Node 20 can cache compiled code only for scripts it compiles through vm, and
 * piscina require()s its task file (worker-entry.cts says why an ES worker must not be required).
 * The library's own entry (dist/index.js) stays unbundled for users' bundlers; its workers use the
 * worker bundle too.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = path.join(root, 'dist', 'bundle')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // Whitespace and syntax only: class and function names stay, so errors read as in the sources.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  legalComments: 'none',
  external: ['piscina'],
  // import.meta does not exist in CommonJS; tsdask uses only its url, to find files beside it.
  define: { 'import.meta.url': '__tsdaskImportMetaUrl' },
  banner: { js: "var __tsdaskImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  // worker-flags.ts calls import.meta.resolve('tsx') only when tsdask runs from its .ts sources.
  logOverride: { 'empty-import-meta': 'silent' },
}

await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(root, 'dist/cli/main.js')],
    outfile: path.join(out, 'cli-main.cjs'),
    define: { ...common.define, __TSDASK_WORKER_BUNDLE__: JSON.stringify('./worker.cjs') },
  }),
  build({
    ...common,
    entryPoints: [path.join(root, 'dist/schedule/pool/worker.js')],
    outfile: path.join(out, 'worker-main.cjs'),
  }),
])
for (const file of ['load-cached.cjs', 'cli.cjs', 'worker.cjs']) {
  copyFileSync(path.join(root, 'scripts', 'bundle', file), path.join(out, file))
}
chmodSync(path.join(out, 'cli.cjs'), 0o755)

// The training run: a query on the pool, so both bundles cache what a query compiles.
const tiny = path.join(out, '.training.csv')
writeFileSync(tiny, 'k,v\na,1\nb,2\na,3\n')
execFileSync(
  process.execPath,
  [path.join(out, 'cli.cjs'), 'sql', 'SELECT k, sum(v) AS s FROM t WHERE v > 1 GROUP BY k ORDER BY k', '--table', `t=${tiny}`],
  { env: { ...process.env, TSDASK_INLINE_BYTES: '0', TSDASK_WRITE_CODE_CACHE: '1' }, stdio: ['ignore', 'ignore', 'inherit'] },
)
rmSync(tiny)
