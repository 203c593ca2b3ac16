/**
 * Registers tsdask's built-in ops (kernels, CSV and other readers) in the importing thread. Both
 * schedulers import this module: the sync scheduler in the main thread, the pool in each worker
 * (pool/worker.ts). It must stay cheap to load and free of side effects other than `registerOp`.
 * The generic 'fused' op is registered by registry.ts itself.
 */
import { RecordBatch } from 'apache-arrow'
import { CsvOps, runReadCsv } from '../io/csv/ops.js'
import type { ReadCsvChunkArgs } from '../io/csv/read-chunk.js'
import { KernelOps, kernelPairs, runKernelOp } from '../kernels/ops.js'
import { TsdaskError } from '../util/errors.js'
import { hasOp, registerFusedPair, registerOp, type Value } from './registry.js'

function batches(op: string, inputs: readonly Value[]): RecordBatch[] {
  return inputs.map((v, i) => {
    if (v instanceof RecordBatch) return v
    throw new TsdaskError('INTERNAL', `op '${op}' expected a record batch as input ${i}, got ${typeof v}`)
  })
}

for (const op of Object.values(KernelOps)) {
  if (!hasOp(op)) registerOp(op, (args, inputs) => runKernelOp(op, args, batches(op, inputs)))
}
for (const pair of kernelPairs) {
  registerFusedPair(pair.first, pair.second, {
    first: (args, inputs) => pair.runFirst(args ?? {}, batches(pair.first, inputs)),
    second: (args, carried) => pair.runSecond(args ?? {}, carried),
  })
}
if (!hasOp(CsvOps.readCsv)) registerOp(CsvOps.readCsv, (args) => runReadCsv(args as unknown as ReadCsvChunkArgs))
