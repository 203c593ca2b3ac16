/**
 * `npm run bench`: tsdask on the db-benchmark group-by table, next to baselines run in the same
 * process.
 *
 * 1. Cold CSV scan → filter → group-by (`v1 > 2`, `sum(v3) by id1`), read from the file each time,
 *    on the sync scheduler (one thread) and on the pool (one worker per core); baseline: a plain
 *    hand-written JS pass over the same file (split lines, parse two fields), which is also the
 *    independent answer the results are checked against.
 * 2. In-memory group-by: `sum(v1) by id1` over 1e7 rows (dictionary-encoded id1, int32 v1) on
 *    one thread; baseline: a raw typed-array loop over the same buffers. (The design bar: ≤ 50 ms.)
 *
 * Options: --rows N (default 2e6), --workers N (default: cores), --repeat N (default 3).
 * Speed is reported, never asserted.
 */
import { availableParallelism } from 'node:os'
import {
  Dictionary,
  Field,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow'
import { col, createPoolScheduler, createSyncScheduler, fromArrow, readCsv } from 'tsdask'
import { ensureGroupbyCsv, GROUPBY_SCHEMA, K, referenceFilterSum, seededRandom } from './groupby-data.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const rows = option('rows', 2e6)
const workers = option('workers', availableParallelism())
const repeat = option('repeat', 3)

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

async function time<T>(f: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await f()
  return { ms: performance.now() - t0, value }
}

// --- 1. cold CSV scan ------------------------------------------------------------------------
const genStart = performance.now()
const { path, bytes } = ensureGroupbyCsv(rows)
const mb = bytes / 1e6
console.log(
  `data: ${path} (${rows.toLocaleString()} rows, ${mb.toFixed(0)} MB; ready in ${((performance.now() - genStart) / 1000).toFixed(1)} s)`,
)

const baseline = () => referenceFilterSum(path)

const query = () =>
  readCsv(path, { blocksize: '16MB', schema: GROUPBY_SCHEMA })
    .filter(col('v1').gt(2))
    .groupBy('id1')
    .agg({ v3: col('v3').sum() })

const sync = createSyncScheduler()
const pool = createPoolScheduler({ workers })
await query().toRecords({ scheduler: pool }) // start the workers and warm up before timing

const results: { name: string; ms: number }[] = []
let reference: Map<string, number> | undefined
type Answer = Map<string, number> | { id1: string | null; v3: number | null }[]
const systems: [string, () => Promise<Answer>][] = [
  ['plain JS (split lines)', async () => baseline()],
  ['tsdask sync', () => query().toRecords({ scheduler: sync })],
  [`tsdask pool (${workers} workers)`, () => query().toRecords({ scheduler: pool })],
]
for (const [name, run] of systems) {
  const times: number[] = []
  for (let i = 0; i < repeat; i++) {
    const { ms, value } = await time(run)
    times.push(ms)
    if (value instanceof Map) reference = value
    else if (reference) check(name, value, reference)
  }
  results.push({ name, ms: median(times) })
}

function check(name: string, got: { id1: string | null; v3: number | null }[], want: Map<string, number>): void {
  if (got.length !== want.size) throw new Error(`${name}: ${got.length} groups, expected ${want.size}`)
  for (const r of got) {
    const w = want.get(r.id1 ?? '')
    if (w === undefined || Math.abs((r.v3 ?? Number.NaN) - w) > 1e-9 * Math.abs(w)) {
      throw new Error(`${name}: group ${r.id1} sum ${r.v3}, expected ${w}`)
    }
  }
}

const syncMs = results[1]?.ms ?? Number.NaN
console.log(
  `\ncold scan: CSV → filter v1 > 2 → sum(v3) by id1, median of ${repeat} (answers checked against the plain JS pass)`,
)
console.table(
  results.map((r) => ({
    system: r.name,
    ms: Math.round(r.ms),
    'MB/s': Math.round(mb / (r.ms / 1000)),
    'Mrows/s': (rows / 1e6 / (r.ms / 1000)).toFixed(2),
    'vs tsdask sync': (r.ms / syncMs).toFixed(2),
  })),
)

// --- 2. in-memory group-by -------------------------------------------------------------------
const N = 10_000_000
const random = seededRandom(7)
const codes = new Int32Array(N)
const v1 = new Int32Array(N)
for (let i = 0; i < N; i++) {
  codes[i] = Math.floor(random() * K)
  v1[i] = 1 + Math.floor(random() * 5)
}
const dictionary = vectorFromArray(
  Array.from({ length: K }, (_, i) => `id${String(i + 1).padStart(3, '0')}`),
  new Utf8(),
)
const id1 = makeData({
  type: new Dictionary(new Utf8(), new Int32()),
  length: N,
  nullCount: 0,
  data: codes,
  dictionary,
})
const v1Data = makeVector(v1).data[0]!
const fields = [new Field('id1', id1.type, true), new Field('v1', v1Data.type, true)]
const batch = new RecordBatch(
  new Schema(fields),
  makeData({ type: new Struct(fields), length: N, nullCount: 0, children: [id1, v1Data] }),
)
const inMemory = fromArrow(new Table([batch]))

const raw = () => {
  const sums = new Float64Array(K)
  for (let i = 0; i < N; i++) sums[codes[i]!]! += v1[i]!
  return sums
}
const engine = () =>
  inMemory
    .groupBy('id1')
    .agg({ s: col('v1').sum() })
    .toRecords({ scheduler: sync })
const rawTimes: number[] = []
const engineTimes: number[] = []
for (let i = 0; i < 5; i++) {
  rawTimes.push((await time(raw)).ms)
  engineTimes.push((await time(engine)).ms)
}
const rawMs = median(rawTimes)
const engineMs = median(engineTimes)
console.log('\nin-memory: sum(v1) by id1 (100 groups), 1e7 rows, one thread, median of 5')
console.table([
  { system: 'raw typed-array loop', ms: rawMs.toFixed(1), ratio: '1.00' },
  { system: 'tsdask (sync)', ms: engineMs.toFixed(1), ratio: (engineMs / rawMs).toFixed(2) },
])

await pool.close()
