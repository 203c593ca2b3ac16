/**
 * Which file the pool's worker threads load.
 *
 * - From TypeScript sources (vitest, `node --import tsx` on src/): `worker.ts`, through tsx.
 * - Compiled, with no extra op modules: the worker bundle (`dist/bundle/worker.cjs`, made by
 *   scripts/bundle.mjs): one CommonJS file, so a worker starts by compiling one script instead of
 *   resolving and linking ~170 ES modules of tsdask, apache-arrow and their dependencies.
 * - Compiled, with op modules: `worker-entry.cjs`, which imports the unbundled `worker.js`. An op
 *   module registers its ops through `import … from 'tsdask'`, i.e. into dist/'s registry, and
 *   returns batches made by node_modules' apache-arrow; a bundle would have its own copies of both.
 *
 * Both compiled forms are CommonJS on purpose: piscina loads a task file with require(), and
 * require() of an ES module crashes the process when the worker is terminated mid-load
 * (worker-entry.cts says how).
 */
import { existsSync } from 'node:fs'

/**
 * Set by scripts/bundle.mjs in the CLI bundle (dist/bundle/cli.cjs) to the worker bundle's path
 * relative to it; the unbundled library finds the worker bundle from dist/schedule/pool/.
 */
declare const __TSDASK_WORKER_BUNDLE__: string | undefined

const WORKER_BUNDLE =
  typeof __TSDASK_WORKER_BUNDLE__ === 'string' ? __TSDASK_WORKER_BUNDLE__ : '../../bundle/worker.cjs'

export function workerFile(fromTypeScript: boolean, opModules: readonly string[]): URL {
  if (fromTypeScript) return new URL('./worker.ts', import.meta.url)
  if (opModules.length === 0) {
    const bundle = new URL(WORKER_BUNDLE, import.meta.url)
    if (existsSync(bundle)) return bundle
  }
  return new URL('./worker-entry.cjs', import.meta.url)
}
