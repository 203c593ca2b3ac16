/**
 * The first impression: fresh `tsdask` CLI processes, timed from spawn to exit, as a user meets them
 * (issue 13's targets; figures in bench/README.md):
 *
 *   1. a query over a 4-row CSV: ≤ 150 ms wall (median), with the default (pool) and with
 *      `--scheduler sync`; DuckDB through its Node API in a fresh process, same query, beside it;
 *   2. `SELECT * FROM t LIMIT 5` over the db-benchmark G1 1e7 CSV: ≤ 0.2× `SELECT count(*)`;
 *   3. `SELECT id1, sum(v3) FROM t WHERE v1 > 2 GROUP BY id1` on that file: pool ≥ 1.6× faster than
 *      `--scheduler sync`.
 *
 *   npm run build && node --import tsx bench/startup.bench.ts [--runs 10] [--big-runs 5] [--rows 1e7]
 *
 * Each process runs `node dist/bundle/cli.cjs` (what the `tsdask` bin links to) under
 * /usr/bin/time when it exists, so each line shows CPU time (user + sys, every thread) beside the
 * wall time; best, median and worst of the runs. Runs of the compared commands alternate (A B A B …)
 * so a slow minute of the VM hits both. The load average is printed before and after: a run whose
 * load exceeds the core count is marked noisy. Not timed: `npx tsdask`, which adds npm's own start
 * (0.5–1 s here, and more when npm looks the package up) to tsdask's.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureGroupbyCsv } from './groupby-data.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const argv = process.argv.slice(2)
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? Number(argv[i + 1]) : fallback
}
const runs = arg('runs', 10)
const bigRuns = arg('big-runs', 5)
const rows = arg('rows', 1e7)
const bin = path.join(root, 'dist', 'bundle', 'cli.cjs')
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

interface Sample {
  readonly wall: number
  readonly cpu: number | undefined
}

/** Runs `node args…` once; wall ms from spawn to exit, CPU ms of every thread when /usr/bin/time is there. */
function once(args: readonly string[], env: NodeJS.ProcessEnv = {}): Sample {
  const command = timeBin ? [timeBin, '-f', '@@%U %S', process.execPath, ...args] : [process.execPath, ...args]
  const startedAt = performance.now()
  const result = spawnSync(command[0]!, command.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8' })
  const wall = performance.now() - startedAt
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  const cpuLine = result.stderr.split('\n').find((l) => l.startsWith('@@'))
  const cpu = cpuLine
    ? cpuLine
        .slice(2)
        .split(' ')
        .map(Number)
        .reduce((a, b) => a + b, 0) * 1000
    : undefined
  return { wall, cpu }
}

function stats(samples: readonly Sample[]): { best: number; median: number; worst: number; cpu: number | undefined } {
  const walls = samples.map((s) => s.wall).sort((a, b) => a - b)
  const cpus = samples.flatMap((s) => (s.cpu === undefined ? [] : [s.cpu])).sort((a, b) => a - b)
  return {
    best: walls[0]!,
    median: walls[Math.floor(walls.length / 2)]!,
    worst: walls[walls.length - 1]!,
    cpu: cpus.length > 0 ? cpus[Math.floor(cpus.length / 2)] : undefined,
  }
}

/** Runs each command `n` times, in turns. */
function alternate(commands: Record<string, () => Sample>, n: number): Record<string, Sample[]> {
  const out: Record<string, Sample[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]))
  for (let i = 0; i < n; i++) for (const [name, run] of Object.entries(commands)) out[name]!.push(run())
  return out
}

const ms = (x: number) => `${x.toFixed(0)} ms`
function line(name: string, samples: readonly Sample[]): ReturnType<typeof stats> {
  const s = stats(samples)
  const cpu = s.cpu === undefined ? '' : `   CPU (median) ${ms(s.cpu)}`
  console.log(
    `  ${name.padEnd(34)} median ${ms(s.median).padStart(8)}   best ${ms(s.best).padStart(8)}   worst ${ms(s.worst).padStart(8)}${cpu}`,
  )
  return s
}

function load(): string {
  const [one] = loadavg()
  return `${one!.toFixed(2)}${one! > availableParallelism() ? ' (noisy: above the core count)' : ''}`
}

function duckdbAvailable(): string | undefined {
  for (const dir of [root, path.join(root, 'bench')]) {
    if (existsSync(path.join(dir, 'node_modules', '@duckdb', 'node-api'))) return dir
  }
  return undefined
}

if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
console.log(`node ${process.version}, ${availableParallelism()} cores, load average ${load()}`)

// 1. A tiny file.
const dir = path.join(root, '.tmp', 'startup-bench')
mkdirSync(dir, { recursive: true })
const tiny = path.join(dir, 'tiny.csv')
writeFileSync(tiny, 'k1,v\na,1\nb,2\na,3\nc,4\n')
const tinyQuery = 'SELECT k1, sum(v) AS s FROM t GROUP BY k1 ORDER BY k1'
const cli =
  (query: string, file: string, ...extra: string[]) =>
  () =>
    once([bin, 'sql', query, '--table', `t=${file}`, '--format', 'csv', ...extra])
const duckdbDir = duckdbAvailable()
const duckdbScript = (query: string, file: string) => `
  import { DuckDBInstance } from '@duckdb/node-api'
  const db = await DuckDBInstance.create(':memory:', { threads: '${availableParallelism()}' })
  const c = await db.connect()
  await c.run(\`CREATE VIEW t AS SELECT * FROM read_csv('${file}')\`)
  const r = await c.runAndReadAll(${JSON.stringify(query)})
  process.stdout.write(JSON.stringify(r.getRowObjectsJson()).slice(0, 0))`
const tinyCommands: Record<string, () => Sample> = {
  'tsdask (default: pool)': cli(tinyQuery, tiny),
  'tsdask --scheduler sync': cli(tinyQuery, tiny, '--scheduler', 'sync'),
}
if (duckdbDir) {
  // In a .tmp folder below the package that has DuckDB, so its import resolves (gitignored).
  mkdirSync(path.join(duckdbDir, '.tmp'), { recursive: true })
  const script = path.join(duckdbDir, '.tmp', 'startup-duckdb.mjs')
  writeFileSync(script, duckdbScript(tinyQuery, tiny))
  tinyCommands['DuckDB (node-api, fresh process)'] = () => once([script])
}
for (const run of Object.values(tinyCommands)) run() // warm the page cache
console.log(`\n1. ${tinyQuery} over a 4-row CSV, ${runs} fresh processes each (target: median ≤ 150 ms)`)
const tinyResults = alternate(tinyCommands, runs)
for (const [name, samples] of Object.entries(tinyResults)) line(name, samples)
if (!duckdbDir) console.log('  (DuckDB skipped: install it with `npm --prefix bench ci`)')

// 2 and 3. The db-benchmark file.
const big = ensureGroupbyCsv(rows).path
console.log(`\n2. LIMIT 5 against count(*) over ${path.basename(big)} (target: ≤ 0.2×), ${bigRuns} runs each`)
const limitResults = alternate(
  {
    'SELECT * FROM t LIMIT 5': cli('SELECT * FROM t LIMIT 5', big),
    'SELECT count(*) FROM t': cli('SELECT count(*) FROM t', big),
  },
  bigRuns,
)
const limit = line('SELECT * FROM t LIMIT 5', limitResults['SELECT * FROM t LIMIT 5']!)
const countAll = line('SELECT count(*) FROM t', limitResults['SELECT count(*) FROM t']!)
console.log(
  `  ratio: median ${(limit.median / countAll.median).toFixed(3)}×, best ${(limit.best / countAll.best).toFixed(3)}×`,
)

const groupQuery = 'SELECT id1, sum(v3) FROM t WHERE v1 > 2 GROUP BY id1'
console.log(`\n3. ${groupQuery}: pool against sync (target: ≥ 1.6×), ${bigRuns} runs each`)
const groupResults = alternate(
  { pool: cli(groupQuery, big), sync: cli(groupQuery, big, '--scheduler', 'sync') },
  bigRuns,
)
const pool = line('tsdask (default: pool)', groupResults.pool!)
const sync = line('tsdask --scheduler sync', groupResults.sync!)
console.log(
  `  speed-up: median ${(sync.median / pool.median).toFixed(2)}×, best ${(sync.best / pool.best).toFixed(2)}×`,
)
console.log(`\nload average after: ${load()}`)
