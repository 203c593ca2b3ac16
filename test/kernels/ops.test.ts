import type { RecordBatch } from 'apache-arrow'
import { describe, expect, test } from 'vitest'
import {
  type AggPartialArgs,
  type FilterArgs,
  KernelOps,
  kernelHandlers,
  type LimitArgs,
  runKernelOp,
} from '../../src/kernels/index.js'
import { TsdaskError } from '../../src/util/errors.js'
import { bin, c, l } from './expr-helpers.js'
import { batchOf, rowsOf } from './helpers.js'

describe('runKernelOp', () => {
  const b = batchOf({ k: ['utf8', ['a', 'b', 'a']], v: ['int32', [1, 2, 3]] })
  test('every op name has a handler', () => {
    expect(Object.keys(kernelHandlers).sort()).toEqual(Object.values(KernelOps).sort())
  })
  test('dispatches by name with JSON args', () => {
    const filter: FilterArgs = { predicate: bin('gt', c(1, 'int32'), l(1, 'int32')) }
    expect(rowsOf(runKernelOp(KernelOps.filter, JSON.parse(JSON.stringify(filter)) as FilterArgs, [b]))).toEqual([
      ['b', 2],
      ['a', 3],
    ])
    const partial: AggPartialArgs = {
      keys: [0],
      aggs: [{ fn: 'sum', input: 1, inputDType: 'int32', name: 's', dtype: 'int64' }],
    }
    const state = runKernelOp(KernelOps.aggPartial, partial, [b]) as RecordBatch
    const final = runKernelOp(KernelOps.aggFinal, { nKeys: 1, aggs: partial.aggs }, [state, state])
    expect(rowsOf(final)).toEqual([
      ['a', 8n],
      ['b', 4n],
    ])
    const limit: LimitArgs = { offset: 1, limit: 3 }
    expect(rowsOf(runKernelOp(KernelOps.limit, limit, [b, b])).map((r) => r[1])).toEqual([2, 3, 1])
    expect(runKernelOp(KernelOps.concat, {}, [b, b]).numRows).toBe(6)
  })
  test('an unknown op is a clear error', () => {
    expect(() => runKernelOp('nope', {}, [b])).toThrow(TsdaskError)
    expect(() => runKernelOp('nope', {}, [b])).toThrow(/unknown kernel op 'nope'/)
  })
})
