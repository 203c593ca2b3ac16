/**
 * The differential SQL fuzzer: random tables and queries, run by tsdask (API on sync and pool,
 * records / Arrow / CSV inputs, several partition counts; and now and then the CLI) and by DuckDB,
 * results compared (test/differential/). Longer runs than the suite's, and with every generator
 * feature on, including those known bugs of issue 13 break (see FUZZ_OPTIONS).
 *
 *   npm run fuzz -- --queries 5000 [--seed 42] [--cli-share 0.03] [--suite-options] [--chunk 500]
 *                   [--minimize-seconds 60] [--minimize-known 2]   # known bugs: minimize the first 2
 *   npm run fuzz -- --seed 42 --path 1234   # replays (and minimizes) run 1234 of seed 42
 *
 * Queries run in chunks of `--chunk`, each in a child process with its own seed (seed, seed + 1, …;
 * a failure's report names its chunk's seed), so a process crash loses one chunk, not the run.
 * Every failing case is minimized (test/differential/minimize.ts); the report gives its seed and
 * path (which replay it), the minimized tsdask and DuckDB queries, the first difference, and the
 * case as a literal for test/differential/regressions.ts. Exit status 1 when anything failed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import fc from 'fast-check'
import { shutdown } from '../test/differential/engine.js'
import { DuckSession } from '../test/differential/duckdb.js'
import { knownBugOf } from '../test/differential/known-bugs.js'
import { minimize } from '../test/differential/minimize.js'
import {
  CaseFailure,
  describeFailure,
  differentialProperty,
  FUZZ_OPTIONS,
  SUITE_OPTIONS,
} from '../test/differential/property.js'
import type { CaseOptions, Failure, SqlCase } from '../test/differential/sql-case.js'

const { values } = parseArgs({
  options: {
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    path: { type: 'string' },
    'cli-share': { type: 'string' },
    'suite-options': { type: 'boolean', default: false },
    'minimize-seconds': { type: 'string', default: '60' },
    'minimize-known': { type: 'string', default: '2' },
    chunk: { type: 'string', default: '500' },
    // Internal: one chunk, run by the parent process; its counts go to this JSON file.
    'child-summary': { type: 'string' },
  },
})

const queries = Number(values.queries)
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
const base = values['suite-options'] ? SUITE_OPTIONS : FUZZ_OPTIONS
const options: CaseOptions = {
  ...base,
  ...(values['cli-share'] !== undefined && { cliShare: Number(values['cli-share']) }),
}
const shrinkMs = Number(values['minimize-seconds']) * 1000
const perKnownBug = Number(values['minimize-known'])

const duck = await DuckSession.open()

async function report(index: string, c: SqlCase, f: Failure): Promise<void> {
  const m = await minimize(c, f, duck, shrinkMs)
  const label = knownBugOf(m.sqlCase, m.failure) ?? knownBugOf(c, f)
  const cliShare = values['cli-share'] === undefined ? '' : ` --cli-share ${values['cli-share']}`
  const suite = values['suite-options'] ? ' --suite-options' : ''
  console.log('─'.repeat(100))
  console.log(`FAILURE  seed ${seed}  path ${index}  ${label ? `— looks like ${label}` : '— NEW'}`)
  console.log(`replay:  npm run fuzz -- --seed=${seed} --path ${index}${cliShare}${suite}`)
  console.log(`minimized in ${m.tries} tries; the original query was:\n  ${c.tsdask}`)
  console.log(describeFailure(m.sqlCase, m.failure))
}

async function replay(path: string): Promise<void> {
  const details = await fc.check(differentialProperty(duck, options), { seed, path, endOnFailure: true })
  const error = details.errorInstance
  if (!details.failed) console.log(`seed ${seed} path ${path}: passes now`)
  else if (error instanceof CaseFailure) await report(path, error.sqlCase, error.failure)
  else console.log(error)
}

const started = Date.now()
const chunk = Number(values.chunk)
if (values.path !== undefined) {
  await replay(values.path)
} else if (values['child-summary'] === undefined && queries > chunk) {
  await runChunks()
} else {
  console.log(`fuzzing ${queries} queries, seed ${seed}, ${base === FUZZ_OPTIONS ? 'every feature on' : 'suite options'}`)
  const failures: { index: number; c: SqlCase; f: Failure }[] = []
  let run = 0
  await fc.assert(
    differentialProperty(duck, options, (c, f) => {
      if (f) failures.push({ index: run, c, f })
      run++
      if (run % 250 === 0) {
        const s = ((Date.now() - started) / 1000).toFixed(0)
        console.log(`  ${run} of ${queries} in ${s} s, ${failures.length} failing so far`)
      }
    }),
    // A throw here is the test's own bug (the generator's): stop at once, without shrinking.
    { seed, numRuns: queries, endOnFailure: true },
  )
  console.log(`${queries} queries in ${((Date.now() - started) / 1000).toFixed(0)} s: ${failures.length} failing`)
  const byLabel = new Map<string, number>()
  for (const { c, f } of failures) {
    const label = knownBugOf(c, f) ?? 'NEW (not a known bug of issue 13)'
    byLabel.set(label, (byLabel.get(label) ?? 0) + 1)
  }
  for (const [label, n] of byLabel) console.log(`  ${n} × ${label}`)
  const summary = values['child-summary']
  if (summary) writeFileSync(summary, JSON.stringify({ queries, failing: failures.length, byLabel: [...byLabel] }))
  // Run i of the seed is path `i`. Every new failure is minimized; of each known bug, the first few.
  const shown = new Map<string, number>()
  for (const { index, c, f } of failures) {
    const label = knownBugOf(c, f)
    const seen = label === undefined ? 0 : (shown.get(label) ?? 0)
    if (label !== undefined) shown.set(label, seen + 1)
    if (seen < perKnownBug) await report(String(index), c, f)
    else console.log(`FAILURE  seed ${seed}  path ${index}  — looks like ${label} (not minimized): ${c.tsdask.slice(0, 160)}`)
  }
  process.exitCode = failures.length > 0 ? 1 : 0
}
await shutdown()

/**
 * Runs the queries in chunks, one child process each (seed, seed + 1, …), so that a crash of the
 * process (bug (d) of issue 13 aborts it when a replaced pool worker is torn down while loading)
 * loses one chunk, which is run once more, and not the whole run.
 */
async function runChunks(): Promise<void> {
  const script = fileURLToPath(import.meta.url)
  const forwarded = process.argv.slice(2).filter((a, i, all) => !isOwnOption(a, all[i - 1]))
  const byLabel = new Map<string, number>()
  let failing = 0
  let crashes = 0
  for (let k = 0; k * chunk < queries; k++) {
    const n = Math.min(chunk, queries - k * chunk)
    const summary = path.join(tmpdir(), `tsdask-fuzz-${process.pid}-${k}.json`)
    for (let attempt = 0; attempt < 2; attempt++) {
      rmSync(summary, { force: true })
      const args = [...process.execArgv, script, ...forwarded, `--seed=${seed + k}`, '--queries', String(n)]
      const child = spawnSync(process.execPath, [...args, '--child-summary', summary], {
        stdio: ['ignore', 'inherit', 'pipe'],
        maxBuffer: 256 * 1024 * 1024,
      })
      process.stderr.write(child.stderr)
      if (existsSync(summary)) {
        const s = JSON.parse(readFileSync(summary, 'utf8')) as { failing: number; byLabel: [string, number][] }
        failing += s.failing
        for (const [label, count] of s.byLabel) byLabel.set(label, (byLabel.get(label) ?? 0) + count)
        break
      }
      crashes++
      const why = /IsGraphAsync/.test(String(child.stderr)) ? 'the V8 abort of bug (d)' : `status ${child.status ?? child.signal}`
      console.log(`CRASH  chunk seed ${seed + k} died (${why})${attempt === 0 ? '; running it again' : '; skipped'}`)
    }
  }
  const s = ((Date.now() - started) / 1000).toFixed(0)
  console.log('═'.repeat(100))
  console.log(`TOTAL  ${queries} queries (seeds ${seed}…${seed + Math.ceil(queries / chunk) - 1}) in ${s} s: ${failing} failing, ${crashes} crashed chunks`)
  for (const [label, n] of byLabel) console.log(`  ${n} × ${label}`)
  process.exitCode = failing > 0 || crashes > 0 ? 1 : 0
}

function isOwnOption(arg: string, previous: string | undefined): boolean {
  return /^--(seed|queries)(=|$)/.test(arg) || previous === '--seed' || previous === '--queries'
}
