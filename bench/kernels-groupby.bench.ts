/**
 * The design bar for hash aggregation: sum(v: int32) grouped by a 100-value dictionary-encoded
 * string key over 1e7 rows, single-threaded, next to a hand-written typed-array loop over the same
 * buffers. Two shapes: every dictionary entry used (what a reader's per-batch dictionary gives),
 * and half the entries unused (a dictionary kept through a filter), which costs one extra scan.
 * Run: node --import tsx bench/kernels-groupby.bench.ts [rows]
 */
import { Int32, makeData, type RecordBatch, Utf8 } from 'apache-arrow'
import { aggregateFinal, aggregatePartial } from '../src/kernels/index.js'
import type { AggSpec } from '../src/kernels/physical-expr.js'
import { columnData, makeBatch, makeDictionaryData } from '../src/types/arrow-types.js'

const rows = Number(process.argv[2] ?? 1e7)
const groups = 100
const encoder = new TextEncoder()
const words = Array.from({ length: groups }, (_, k) => encoder.encode(`key-${k.toString().padStart(3, '0')}`))
const offsets = new Int32Array(groups + 1)
words.forEach((w, k) => {
  offsets[k + 1] = offsets[k]! + w.length
})
const bytes = new Uint8Array(offsets[groups]!)
words.forEach((w, k) => {
  bytes.set(w, offsets[k]!)
})
const dictionary = makeData({ type: new Utf8(), length: groups, valueOffsets: offsets, data: bytes })

let seed = 42
const rand = (): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0
  return seed >>> 8
}

function makeInput(usedEntries: number): RecordBatch {
  const codes = new Int32Array(rows)
  const values = new Int32Array(rows)
  for (let i = 0; i < rows; i++) {
    codes[i] = (rand() % usedEntries) * (groups / usedEntries)
    values[i] = (rand() % 2001) - 1000
  }
  return makeBatch(
    ['k', 'v'],
    [makeDictionaryData(codes, dictionary, null, 0), makeData({ type: new Int32(), length: rows, data: values })],
    rows,
  )
}

const aggs: AggSpec[] = [{ fn: 'sum', input: 1, inputDType: 'int32', name: 's', dtype: 'int64' }]

/** The floor: the same sum written by hand over the batch's own buffers, no generality. */
function baseline(b: RecordBatch): number {
  const keys = columnData(b, 0).values as Int32Array
  const vals = columnData(b, 1).values as Int32Array
  const n = b.numRows
  const acc = new Float64Array(groups)
  for (let i = 0; i < n; i++) acc[keys[i]!]! += vals[i]!
  return acc[0]!
}

function tsdask(b: RecordBatch): number {
  return aggregateFinal(aggregatePartial(b, [0], aggs), 1, aggs).numRows
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return { best: s[0]!, median: s[Math.floor(s.length / 2)]! }
}

const reps = 15
const table: Record<string, string>[] = []
for (const used of [groups, groups / 2]) {
  const batch = makeInput(used)
  // Interleaved, so both see the same machine load; best-of is the least noisy figure.
  const times = { baseline: [] as number[], tsdask: [] as number[] }
  for (let r = 0; r < reps + 3; r++) {
    for (const [name, fn] of [
      ['baseline', baseline],
      ['tsdask', tsdask],
    ] as const) {
      const t0 = performance.now()
      fn(batch)
      const dt = performance.now() - t0
      if (r >= 3) times[name].push(dt)
    }
  }
  const base = stats(times.baseline)
  const ours = stats(times.tsdask)
  const shape = `${used}/${groups} entries used`
  table.push(
    {
      shape,
      case: 'hand-written loop',
      'best ms': base.best.toFixed(1),
      'median ms': base.median.toFixed(1),
      ratio: '1.00',
    },
    {
      shape,
      case: 'aggregatePartial + aggregateFinal',
      'best ms': ours.best.toFixed(1),
      'median ms': ours.median.toFixed(1),
      ratio: `${(ours.best / base.best).toFixed(2)} (median ${(ours.median / base.median).toFixed(2)})`,
    },
  )
}
console.log(
  `sum(int32) group by a dictionary key (${groups} entries), ${rows.toLocaleString()} rows, ${reps} interleaved runs`,
)
console.table(table)
