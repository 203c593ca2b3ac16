/**
 * What one system's child process reports back (as JSON in a file): its timings, the summary
 * of each answer (row count and column sums, enough to cross-check systems without shipping the
 * results) and its peak RSS. Shared by the Node children, the Python child (same JSON shape, see
 * python_peer.py) and the runner that compares and tabulates.
 */
import { QUESTIONS } from './questions.js'

/** Row count and the sum of every numeric column, by output column name (nulls and NaN skipped). */
export interface AnswerSummary {
  readonly rows: number
  readonly sums: Readonly<Record<string, number>>
}

export type Timing =
  | { readonly ms: number; readonly runs: readonly number[]; readonly answer: AnswerSummary }
  | { readonly unsupported: string }
  | { readonly error: string }

export interface SystemReport {
  /** Row label: `tsdask`, `tsdask SQL`, `DuckDB`, … */
  readonly system: string
  readonly version: string
  /** Threads or workers the system was allowed. */
  readonly threads: number
  readonly load: Timing
  readonly questions: Readonly<Record<string, Timing>>
  readonly cold: Timing
  /** Peak resident set of the whole child process (all phases), in MB. */
  readonly maxRssMB: number
  readonly notes?: readonly string[]
}

/** A child's file may hold several reports (tsdask writes its fluent and its SQL rows). */
export interface ChildOutput {
  readonly reports: readonly SystemReport[]
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

/**
 * A run slower than this is not repeated: at 1e7 rows a slow system's question can take many
 * minutes, and one such run already says where it stands (db-benchmark itself times two runs).
 */
export const SLOW_RUN_MS = 60_000

/** The `error` text of a phase a system was stopped before finishing (see run.ts). */
export const NOT_FINISHED = 'not finished'

/**
 * Runs `run` `repeat` times (once when the first run exceeds SLOW_RUN_MS) and keeps the median
 * time; the answer is summarized from the last run, outside the timing.
 */
export async function timed<R>(
  repeat: number,
  run: () => Promise<R> | R,
  summarize: (result: R) => Promise<AnswerSummary> | AnswerSummary,
  slowRunMs = SLOW_RUN_MS,
): Promise<Timing> {
  const runs: number[] = []
  let last: R | undefined
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now()
    last = await run()
    runs.push(performance.now() - t0)
    if (runs[0]! > slowRunMs) break
  }
  return { ms: median(runs), runs, answer: await summarize(last as R) }
}

/** Like `timed`, but a thrown error becomes an `error` entry (reported loudly) instead of ending the run. */
export async function timedOrError<R>(
  repeat: number,
  run: () => Promise<R> | R,
  summarize: (result: R) => Promise<AnswerSummary> | AnswerSummary,
): Promise<Timing> {
  try {
    return await timed(repeat, run, summarize)
  } catch (e) {
    return { error: e instanceof Error ? (e.message.split('\n')[0] ?? e.name) : String(e) }
  }
}

/**
 * A report saved part-way (the child's checkpoint) when the runner stopped the system: the
 * questions it never reached and the cold scan become `not finished (why)`.
 */
export function withUnfinishedPhases(r: SystemReport, why: string): SystemReport {
  const stopped: Timing = { error: `${NOT_FINISHED} (${why})` }
  const questions = Object.fromEntries(QUESTIONS.map((q) => [q.id, r.questions[q.id] ?? stopped]))
  return { ...r, questions, cold: stopped }
}

export const isUnfinished = (t: Timing): boolean => 'error' in t && t.error.startsWith(NOT_FINISHED)

export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024
}

/** Turns any number-ish cell (number, bigint, numeric string) into a number; null → 0. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (v === null || v === undefined) return 0
  return Number(v)
}

/** Sums columns given as arrays (or array-likes) of values; non-numeric columns are skipped. */
export function summarizeColumns(columns: Readonly<Record<string, ArrayLike<unknown>>>, rows: number): AnswerSummary {
  const sums: Record<string, number> = {}
  for (const [name, values] of Object.entries(columns)) {
    let numeric = true
    let total = 0
    for (let i = 0; i < values.length; i++) {
      const v = values[i]
      if (typeof v === 'string') {
        numeric = false
        break
      }
      const x = toNumber(v)
      if (!Number.isNaN(x)) total += x // NaN is skipped like null, in every system's summary
    }
    if (numeric) sums[name] = total
  }
  return { rows, sums }
}

/** Child processes are called as `<child> --csv FILE --repeat N --out FILE [--threads N]`. */
export function childArgs(argv: readonly string[]): { csv: string; repeat: number; out: string; threads: number } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const csv = get('csv')
  const out = get('out')
  if (!csv || !out) throw new Error('usage: <child> --csv FILE --out FILE [--repeat N] [--threads N]')
  return { csv, out, repeat: Number(get('repeat') ?? 3), threads: Number(get('threads') ?? 2) }
}

/** One line for a progress log. */
export function describe(t: Timing | undefined): string {
  if (!t) return '?'
  if ('ms' in t) return `${(t.ms / 1000).toFixed(3)} s (${t.answer.rows} rows)`
  return 'unsupported' in t ? `unsupported: ${t.unsupported}` : `ERROR: ${t.error}`
}
