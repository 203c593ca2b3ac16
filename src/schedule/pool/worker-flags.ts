/**
 * The Node flags the pool's worker threads start with.
 *
 * Run from TypeScript sources (vitest, `node --import tsx` on src/), workers load worker.ts through
 * tsx, resolved from this file rather than from the working directory so a script run elsewhere
 * still finds it.
 *
 * Compiled (dist/), workers would inherit the parent's flags, and a parent started with
 * `node --import tsx` (or `tsx script.ts`, the usual way to run a TypeScript script) would make
 * every worker load dist/ through tsx, which rewrites the JavaScript it loads: the group-by
 * kernels then ran 1.5–1.7× slower in the workers than the same code on the main thread
 * (bench/scheduler-speedup.bench.ts, one worker, the same 23 tasks: 1396 ms of op time under tsx
 * against 834 ms without). So the tsx loader is left out there, unless an op module is TypeScript,
 * which only tsx can load.
 */
import { createRequire } from 'node:module'
import type { Piscina } from 'piscina'

/**
 * piscina, loaded on the first pool start rather than with tsdask: a process whose computes all
 * run inline or on sync (a CLI query over a small file) never pays its ~20–30 ms of loading.
 */
let piscina: typeof Piscina | undefined
function loadPiscina(): typeof Piscina {
  piscina ??= (createRequire(import.meta.url)('piscina') as { Piscina: typeof Piscina }).Piscina
  return piscina
}

const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader'])
const TYPESCRIPT_MODULE = /\.[cm]?tsx?$/
const TSX_MODULE = /(^|[\\/@])tsx([\\/.]|$)/

/**
 * The workers' `execArgv`, or undefined to inherit the parent's flags unchanged.
 *
 * @example
 * workerExecArgv(false, [], ['--import', 'tsx', '--enable-source-maps']) // ['--enable-source-maps']
 */
export function workerExecArgv(
  fromTypeScript: boolean,
  opModules: readonly string[],
  parent: readonly string[],
): string[] | undefined {
  if (fromTypeScript) return ['--import', import.meta.resolve('tsx')]
  if (opModules.some((url) => TYPESCRIPT_MODULE.test(new URL(url, 'file:///').pathname))) return undefined
  const kept: string[] = []
  let dropped = false
  for (let i = 0; i < parent.length; i++) {
    const flag = parent[i]!
    const eq = flag.indexOf('=')
    const name = eq < 0 ? flag : flag.slice(0, eq)
    if (!LOADER_FLAGS.has(name)) {
      kept.push(flag)
      continue
    }
    const value = eq < 0 ? (parent[++i] ?? '') : flag.slice(eq + 1)
    if (TSX_MODULE.test(value)) dropped = true
    else kept.push(...(eq < 0 ? [flag, value] : [flag]))
  }
  return dropped ? kept : undefined
}

type PiscinaOptions = NonNullable<ConstructorParameters<typeof Piscina>[0]>

/**
 * A Piscina pool with `execArgv`. A worker given flags explicitly rejects V8 and process-wide ones
 * (`--max-old-space-size`, `--single-threaded-gc`: already in force in every thread) with
 * ERR_WORKER_INVALID_EXEC_ARGV, which Piscina raises here, synchronously, on starting its first
 * thread; those flags are dropped and the pool started again. Should that fail too, the workers
 * inherit the parent's flags as they would without tsdask's choice: slower under tsx, never wrong.
 */
export function startPiscina(options: PiscinaOptions, execArgv: string[] | undefined): Piscina {
  const Piscina = loadPiscina()
  if (execArgv === undefined) return new Piscina(options)
  try {
    return new Piscina({ ...options, execArgv })
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error
    const listed = String((error as Error).message)
      .split(': ')
      .slice(1)
      .join(': ')
      .split(', ')
    const valid = execArgv.filter((flag) => !listed.includes(flag))
    try {
      return new Piscina({ ...options, execArgv: valid })
    } catch {
      return new Piscina(options)
    }
  }
}
