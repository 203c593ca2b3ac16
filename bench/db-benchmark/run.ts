/**
 * `npm run bench [-- --rows 1e7]`: the db-benchmark group-by table, tsdask next to DuckDB,
 * nodejs-polars, Arquero, Dask and pandas, on the same file in the same run.
 *
 * Each system runs in a child process of its own, one after the other, so its peak RSS is its own
 * and no two compete for the cores; each writes a JSON report (report.ts). Then the answers are
 * cross-checked (cross-check.ts) and the tables (markdown.ts) printed and written to
 * bench/results/<date>-<rows>.md.
 *
 * Options: --rows N (1e6; 1e7 is the full size, ~510 MB), --repeat N (3), --threads N (cores),
 * --systems a,b (tsdask,duckdb,polars,arquero,dask,pandas; default: all that are installed),
 * --no-install (do not run `npm --prefix bench ci` when bench/node_modules is missing),
 * --timeout MINUTES (60: a system still running then is stopped and its row left out),
 * --reuse (take a system's report from its last run at this size, bench/results/tmp, instead of
 * running it again: re-run one system with --systems, then tabulate all with --reuse),
 * --scheduler (append the scheduler micro-benchmarks, bench/scheduler*.bench.ts, when present).
 * The Python peers use /usr/bin/python3 (or TSDASK_BENCH_PYTHON) and are skipped when it lacks
 * dask and pandas (Debian: apt-get install python3-dask python3-pandas).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureGroupbyCsv } from '../groupby-data.js'
import { partialReportPath } from './child.js'
import { crossCheck } from './cross-check.js'
import { renderMarkdown } from './markdown.js'
import { QUESTIONS } from './questions.js'
import { type ChildOutput, type SystemReport, withUnfinishedPhases } from './report.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const benchDir = path.dirname(here)
const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const rows = Number(option('rows') ?? 1e6)
const repeat = Number(option('repeat') ?? 3)
const threads = Number(option('threads') ?? availableParallelism())
if (!Number.isInteger(rows) || rows < 100 || !Number.isInteger(repeat) || repeat < 1 || !(threads >= 1)) {
  console.error('usage: run.ts [--rows 1e6|1e7] [--repeat 3] [--threads N] [--systems tsdask,duckdb,…]')
  process.exit(2)
}
const timeoutMinutes = Number(option('timeout') ?? 60)
const python = process.env.TSDASK_BENCH_PYTHON ?? '/usr/bin/python3'

interface System {
  readonly name: string
  readonly command: readonly string[]
  /** Why it cannot run here, or undefined. */
  readonly missing: () => string | undefined
}

const node = (file: string, heapMB = 16_384) => [
  process.execPath,
  `--max-old-space-size=${heapMB}`,
  '--import',
  'tsx',
  path.join(here, file),
]
const benchRequire = createRequire(path.join(benchDir, 'package.json'))
const npmPackage = (name: string) => () => {
  try {
    benchRequire.resolve(name)
    return undefined
  } catch {
    return `${name} is not installed (npm --prefix bench ci)`
  }
}
const pythonHas = (module: string) => () => {
  const r = spawnSync(python, ['-c', `import ${module}, pandas`], { encoding: 'utf8' })
  return r.status === 0 ? undefined : `${python} cannot import ${module} (apt-get install python3-dask python3-pandas)`
}

const SYSTEMS: readonly System[] = [
  { name: 'tsdask', command: node('systems/tsdask.ts'), missing: () => undefined },
  { name: 'duckdb', command: node('peers/duckdb.ts'), missing: npmPackage('@duckdb/node-api') },
  { name: 'polars', command: node('peers/polars.ts'), missing: npmPackage('nodejs-polars') },
  { name: 'arquero', command: node('peers/arquero.ts'), missing: npmPackage('arquero') },
  { name: 'dask', command: [python, path.join(here, 'peers/python_peer.py'), 'dask'], missing: pythonHas('dask') },
  {
    name: 'pandas',
    command: [python, path.join(here, 'peers/python_peer.py'), 'pandas'],
    missing: pythonHas('pandas'),
  },
]

const wanted = (option('systems') ?? SYSTEMS.map((s) => s.name).join(',')).split(',').map((s) => s.trim())
for (const w of wanted) {
  if (!SYSTEMS.some((s) => s.name === w)) {
    console.error(`unknown system "${w}"; choose from ${SYSTEMS.map((s) => s.name).join(', ')}`)
    process.exit(2)
  }
}

// Peers live in bench/'s own package; install them on first use.
if (!args.includes('--no-install') && !existsSync(path.join(benchDir, 'node_modules', '.package-lock.json'))) {
  console.log('bench/node_modules is missing: npm --prefix bench ci')
  const r = spawnSync('npm', ['--prefix', benchDir, 'ci', '--no-audit', '--no-fund'], { stdio: 'inherit' })
  if (r.status !== 0) console.log('npm --prefix bench ci failed: the Node peers will be skipped')
}

const loadAtStart = loadavg()[0] ?? 0
const t0 = performance.now()
const { path: csv, bytes } = ensureGroupbyCsv(rows)
console.log(
  `data: ${csv} (${rows.toLocaleString()} rows, ${megabytes(bytes)} MB; ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
)

const tmp = path.join(benchDir, 'results', 'tmp')
mkdirSync(tmp, { recursive: true })
const reports: SystemReport[] = []
const skipped: string[] = []
for (const system of SYSTEMS.filter((s) => wanted.includes(s.name))) {
  const why = system.missing()
  if (why) {
    console.log(`\n${system.name}: skipped, ${why}`)
    skipped.push(`${system.name}: skipped, ${why}`)
    continue
  }
  const out = path.join(tmp, `${system.name}-${rows}.json`)
  if (args.includes('--reuse') && !existsSync(out) && existsSync(partialReportPath(out))) {
    // A system stopped at --timeout in its last run: reuse the phases it finished.
    console.log(
      `\n${system.name}: reusing the partial ${path.relative(process.cwd(), partialReportPath(out))} (--reuse)`,
    )
    skipped.push(`${system.name}: figures reused from an earlier run that was stopped (--reuse)`)
    reports.push(...partialReports(out, 'stopped at --timeout in its run'))
    continue
  }
  if (args.includes('--reuse') && existsSync(out)) {
    console.log(`\n${system.name}: reusing ${path.relative(process.cwd(), out)} (--reuse)`)
    skipped.push(`${system.name}: figures reused from an earlier run (--reuse)`)
    reports.push(...(JSON.parse(readFileSync(out, 'utf8')) as ChildOutput).reports)
    continue
  }
  rmSync(out, { force: true })
  rmSync(partialReportPath(out), { force: true })
  console.log(`\n${system.name}:`)
  const started = performance.now()
  const [command, ...rest] = system.command as [string, ...string[]]
  const r = spawnSync(
    command,
    [...rest, '--csv', csv, '--out', out, '--repeat', String(repeat), '--threads', String(threads)],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, POLARS_MAX_THREADS: String(threads) },
      timeout: timeoutMinutes * 60_000,
    },
  )
  console.log(`  (${((performance.now() - started) / 1000).toFixed(0)} s in all)`)
  if (r.status !== 0 || !existsSync(out)) {
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT'
    const what = timedOut
      ? `stopped after ${timeoutMinutes} min (--timeout)`
      : r.signal
        ? `killed by ${r.signal}`
        : `exit code ${r.status}`
    const partial = partialReportPath(out)
    if (existsSync(partial)) {
      // The phases it finished keep their figures; the rest read "not finished".
      const unfinished = partialReports(out, what)
      console.log(`!!! ${system.name} STOPPED (${what}); its row keeps the phases it finished`)
      skipped.push(`${system.name}: stopped (${what}); the phases it had not finished read "not finished"`)
      reports.push(...unfinished)
      continue
    }
    console.log(`!!! ${system.name} FAILED (${what}); its row is missing`)
    skipped.push(`${system.name}: FAILED (${what})`)
    continue
  }
  reports.push(...(JSON.parse(readFileSync(out, 'utf8')) as ChildOutput).reports)
  rmSync(partialReportPath(out), { force: true }) // finished: the checkpoint is no longer needed
}

/** A stopped child's checkpoint, with the phases it never finished marked `not finished (why)`. */
function partialReports(out: string, why: string): SystemReport[] {
  const partial = JSON.parse(readFileSync(partialReportPath(out), 'utf8')) as ChildOutput
  return partial.reports.map((r) => withUnfinishedPhases(r, why))
}

const disagreements = crossCheck(reports, ['load', ...QUESTIONS.map((q) => q.id), 'cold'])
for (const d of disagreements) {
  console.error(`\n!!!!!!!! ANSWER DISAGREES: ${d.system} ${d.phase} vs ${d.reference}: ${d.detail}`)
}

const date = new Date().toISOString().slice(0, 10)
const rowsLabel = Number.isInteger(Math.log10(rows)) ? `1e${Math.log10(rows)}` : String(rows)
const cpu = cpus()[0]?.model ?? 'unknown CPU'
const markdown = renderMarkdown(
  {
    title: `db-benchmark group-by, ${rowsLabel} rows (${date})`,
    command: args.length > 0 ? `npm run bench -- ${args.join(' ')}` : 'npm run bench',
    lines: [
      `data: ${path.basename(csv)}, ${rows.toLocaleString()} rows, ${megabytes(bytes)} MB (bench/groupby-data.ts, seed 1)`,
      `machine: ${availableParallelism()} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${args.includes('--reuse') ? 'reused figures come from earlier runs (their load average is not known here)' : `load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end (above the core count, the figures are noisy)`}`,
      `each question: median of ${repeat} runs on the loaded data, answer materialized; cold scan: ${repeat} runs from the file`,
      'load = CSV into memory (tsdask: readCsv(…).persist(); Dask: read_csv(…).persist()); peak RSS = the whole child process',
      ...skipped,
    ],
  },
  reports,
  disagreements,
)
let appendix = ''
if (args.includes('--scheduler')) appendix = schedulerBenchmarks()
console.log(`\n${markdown}${appendix}`)
const resultFile = path.join(benchDir, 'results', `${date}-${rowsLabel}.md`)
writeFileSync(resultFile, markdown + appendix)
console.log(`written to ${path.relative(process.cwd(), resultFile)}`)
if (disagreements.length > 0) process.exitCode = 1

/**
 * The scheduler micro-benchmarks are their own scripts (bench/scheduler*.bench.ts, per-task
 * overhead and pool speed-up); run each and keep its output verbatim.
 */
function schedulerBenchmarks(): string {
  const files = readdirSync(benchDir).filter((f) => /^scheduler.*\.bench\.ts$/.test(f))
  if (files.length === 0) return '\n## Scheduler\n\nno bench/scheduler*.bench.ts here yet\n'
  const parts = files.map((f) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, f)], { encoding: 'utf8' })
    return `### ${f}\n\n\`\`\`\n${r.stdout}${r.status === 0 ? '' : `(exit ${r.status})\n${r.stderr}`}\`\`\`\n`
  })
  return `\n## Scheduler\n\n${parts.join('\n')}`
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)
}
