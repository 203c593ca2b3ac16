/**
 * Runs the real `tsdask` binary many times on a tiny CSV with the worker pool and counts the runs
 * that did not exit cleanly with the right answer: the guard against crashes that "pass when
 * rerun" (issue 13: V8 aborted ~1 in 20 short CLI runs, status 134, as workers were terminated
 * while still loading). Each query is answered by one worker while the others are still starting,
 * so the pool closes mid-start on every run: the case that crashed.
 *
 *   node --import tsx scripts/stress-cli.ts [--runs 300] [--concurrency 2] [--workers 2]
 *
 * test/cli/stress.test.ts runs it at a size that fits the suite.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

export interface StressOptions {
  readonly runs: number
  /** CLI processes at once. */
  readonly concurrency?: number
  readonly workers?: number
}

export interface FailedRun {
  readonly run: number
  readonly query: string
  /** Exit status, or the signal's name. */
  readonly status: number | string
  readonly stderr: string
  readonly stdout: string
}

export interface StressResult {
  readonly runs: number
  readonly failed: readonly FailedRun[]
  readonly ms: number
}

/** The queries the crash was seen on, each with its answer in `--format csv`. */
const QUERIES: readonly { readonly sql: string; readonly expected: string }[] = [
  { sql: 'SELECT k1 FROM t', expected: 'k1\na\nb\na\nc\n' },
  { sql: 'SELECT k1, sum(v) AS s FROM t GROUP BY k1', expected: 'k1,s\na,4\nb,2\nc,4\n' },
  {
    sql: "SELECT k1, count(*) AS n FROM t WHERE k1 IN ('a', 'c') OR k1 LIKE 'b%' GROUP BY k1",
    expected: 'k1,n\na,2\nb,1\nc,1\n',
  },
  { sql: 'SELECT k1, v FROM t ORDER BY v DESC LIMIT 2', expected: 'k1,v\nc,4\na,3\n' },
]

export async function stressCli(options: StressOptions): Promise<StressResult> {
  const dir = path.join(root, '.tmp', 'stress-cli')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'tiny.csv')
  writeFileSync(file, 'k1,v\na,1\nb,2\na,3\nc,4\n')
  const bin = path.join(root, 'dist', 'bundle', 'cli.cjs')
  const workers = String(options.workers ?? 2)
  const failed: FailedRun[] = []
  const startedAt = performance.now()
  let next = 0
  const one = (run: number): Promise<void> => {
    const query = QUERIES[run % QUERIES.length]!
    const args = [bin, 'sql', query.sql, '--table', `t=${file}`, '--format', 'csv', '--workers', workers]
    return new Promise((resolve) => {
      // The pool must start, whatever the suite's mode: no inline run of the tiny input, no sync default.
      const env = { ...process.env, TSDASK_INLINE_BYTES: '0', TSDASK_SCHEDULER: 'pool' }
      execFile(process.execPath, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
        const status = error ? ((error as { signal?: string }).signal ?? (error as { code?: number }).code ?? -1) : 0
        if (status !== 0 || stdout !== query.expected || stderr !== '') {
          failed.push({ run, query: query.sql, status: status ?? -1, stderr, stdout })
        }
        resolve()
      })
    })
  }
  const lanes = Array.from({ length: Math.max(1, options.concurrency ?? 2) }, async () => {
    while (next < options.runs) await one(next++)
  })
  await Promise.all(lanes)
  return { runs: options.runs, failed, ms: performance.now() - startedAt }
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = await stressCli({
    runs: flag('runs', 300),
    concurrency: flag('concurrency', 2),
    workers: flag('workers', 2),
  })
  for (const f of result.failed) {
    console.log(`run ${f.run} (${f.query}): status ${f.status}\n${f.stderr.split('\n').slice(0, 3).join('\n')}`)
  }
  console.log(`${result.runs} runs, ${result.failed.length} failed, ${(result.ms / 1000).toFixed(1)} s`)
  process.exitCode = result.failed.length === 0 ? 0 : 1
}
