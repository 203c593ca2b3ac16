/**
 * Round trip of a 1e6-row batch main → worker (decode, sum a column, encode) → main, two ways:
 *   - tsdask's SharedArrayBuffer descriptor (src/schedule/pool/transfer.ts): only a descriptor is
 *     cloned; columns are rebuilt with makeData over shared memory;
 *   - Arrow IPC bytes copied by structured clone (tableToIPC / tableFromIPC on each side).
 * Also the one-time cost of moving a freshly built (plain ArrayBuffer) batch into shared memory.
 *
 *   node --import tsx bench/transfer.bench.ts
 */
import { Worker } from 'node:worker_threads'
import {
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  type RecordBatch,
  RecordBatchReader,
  Table,
  tableToIPC,
  Utf8,
  Vector,
} from 'apache-arrow'
import { decodeValue, type EncodedValue, encodeValue } from '../src/schedule/pool/transfer.js'
import { makeBatch } from '../src/types/arrow-types.js'

type Request = { kind: 'sab'; value: EncodedValue } | { kind: 'ipc'; bytes: Uint8Array }

function sumColumn(batch: RecordBatch): number {
  const values = batch.getChildAt(0)!.data[0]!.values as Float64Array
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i]!
  return s
}

function batchFromIpc(bytes: Uint8Array): RecordBatch {
  return RecordBatchReader.from(bytes).readAll()[0]!
}

// The worker side, as CommonJS: on Node 20, tsx's ESM hooks are not active in worker threads, only
// its require hook (the same reason the pool requires op modules), so the worker requires the .ts.
const workerSource = `
const { parentPort } = require('node:worker_threads')
const { RecordBatchReader, Table, tableToIPC } = require('apache-arrow')
const { decodeValue, encodeValue } = require('tsx/cjs/api').require(${JSON.stringify(new URL('../src/schedule/pool/transfer.ts', import.meta.url).pathname)}, __filename)
const sumColumn = (batch) => {
  const values = batch.getChildAt(0).data[0].values
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i]
  return s
}
parentPort.on('message', (request) => {
  if (request.kind === 'sab') {
    const batch = decodeValue(request.value)
    parentPort.postMessage({ sum: sumColumn(batch), value: encodeValue(batch) })
  } else {
    const batch = RecordBatchReader.from(request.bytes).readAll()[0]
    parentPort.postMessage({ sum: sumColumn(batch), bytes: tableToIPC(new Table(batch), 'stream') })
  }
})
`

const rows = 1_000_000
const f64 = new Float64Array(rows).map((_, i) => i * 0.5)
const i32 = new Int32Array(rows).map((_, i) => i % 1000)
const i64 = new BigInt64Array(rows).map((_, i) => BigInt(i) * 3n)
const codes = new Int32Array(rows).map((_, i) => i % 7)
const dictionary = new Vector([
  makeData({
    type: new Utf8(),
    length: 7,
    valueOffsets: new Int32Array([0, 1, 2, 3, 4, 5, 6, 7]),
    data: new TextEncoder().encode('abcdefg'),
  }),
])
const batch = makeBatch(
  ['f64', 'i32', 'i64', 'tag'],
  [
    makeData({ type: new Float64(), length: rows, data: f64 }),
    makeData({ type: new Int32(), length: rows, data: i32 }),
    makeData({ type: new Int64(), length: rows, data: i64 }),
    makeData({ type: new Dictionary(new Utf8(), new Int32()), length: rows, data: codes, dictionary }),
  ],
  rows,
)
const worker = new Worker(workerSource, { eval: true, execArgv: ['--import', 'tsx'] })
const ask = (request: Request) =>
  new Promise<{ sum: number; value?: EncodedValue; bytes?: Uint8Array }>((resolve) => {
    worker.once('message', resolve)
    worker.postMessage(request)
  })

const time = (f: () => void) => {
  const t = performance.now()
  f()
  return performance.now() - t
}
const shareMs = time(() => encodeValue(batch))
const shared = decodeValue(encodeValue(batch)) as RecordBatch

const rounds = 7
const results: Record<string, number[]> = { sab: [], ipc: [] }
for (let r = 0; r < rounds; r++) {
  let t = performance.now()
  const a = await ask({ kind: 'sab', value: encodeValue(shared) })
  const back = decodeValue(a.value!) as RecordBatch
  results.sab!.push(performance.now() - t)
  if (a.sum !== sumColumn(back)) throw new Error('SAB round trip changed the data')

  t = performance.now()
  const b = await ask({ kind: 'ipc', bytes: tableToIPC(new Table(batch), 'stream') })
  const fromIpc = batchFromIpc(b.bytes!)
  results.ipc!.push(performance.now() - t)
  if (b.sum !== sumColumn(fromIpc)) throw new Error('IPC round trip changed the data')
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
const sab = median(results.sab!)
const ipc = median(results.ipc!)
console.log(
  `round trip of a ${rows.toLocaleString('en')}-row batch (f64, i32, i64, dictionary utf8; ~${Math.round((rows * 24) / 1e6)} MB), ${rounds} rounds, median`,
)
console.table({
  'SAB descriptor (tsdask)': { 'median ms': +sab.toFixed(2), 'first ms': +results.sab![0]!.toFixed(2), 'vs SAB': 1 },
  'IPC bytes, structured-clone copy': {
    'median ms': +ipc.toFixed(2),
    'first ms': +results.ipc![0]!.toFixed(2),
    'vs SAB': +(ipc / sab).toFixed(1),
  },
})
console.log(`one-time copy of a plain-ArrayBuffer batch into shared memory: ${shareMs.toFixed(2)} ms`)
await worker.terminate()
