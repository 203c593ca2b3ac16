/**
 * hash-split (the shuffle write): every row lands in exactly one part, in input order; rows with
 * equal keys land in the same part whatever batch they come from and however the key is stored
 * (plain or dictionary utf8, a null dictionary entry, -0 or 0, any NaN, garbage under a null), for
 * every dtype; rows whose keys are all null go to one fixed part.
 */
import { Dictionary, Int32, makeData, type RecordBatch, Utf8, vectorFromArray } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { KernelOps, partitionByHash, runKernelOp } from '../../src/kernels/index.js'
import { makeBatch } from '../../src/types/arrow-types.js'
import { TsdaskError } from '../../src/util/errors.js'
import { random } from '../schedule/fixtures/batches.js'
import { cuts, DTYPES, kindsOf, NAMES, splitRows, table } from './arbitraries.js'
import { garbageBatch } from './garbage-nulls.js'
import { batchFromRows, batchOf, type Cell, rowsOf } from './helpers.js'

const keySets = [[0], [1], [2], [3], [4], [5], [6], [0, 1], [5, 6, 1], [4, 3]] as const
const ID = NAMES.length

/** A key tuple as a string, equal for equal SQL values (-0 = 0, NaN = NaN, null = null). */
function keyOf(row: readonly Cell[], keys: readonly number[]): string {
  return JSON.stringify(
    keys.map((k) => {
      const v = row[k]
      if (typeof v === 'number') return Object.is(v, -0) ? 0 : Number.isNaN(v) ? 'NaN' : v
      return typeof v === 'bigint' ? `${v}n` : v
    }),
  )
}

/** The table's rows with their row number as an extra int32 column. */
function withIds(rows: readonly Cell[][]): Cell[][] {
  return rows.map((r, i) => [...r, i])
}

const idKinds = (dictKey: boolean) => [...kindsOf({ dictKey }), 'int32' as const]
const idNames = [...NAMES, 'id']

describe('partitionByHash', () => {
  test('every row lands in exactly one part, unchanged, in input order', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(...keySets), fc.integer({ min: 1, max: 6 }), (t, keys, parts) => {
        const rows = withIds(t.rows)
        const batch = batchFromRows(idNames, idKinds(t.dictKey), rows)
        const out = partitionByHash(batch, keys, parts)
        expect(out).toHaveLength(parts)
        const seen: Cell[][] = []
        for (const part of out) {
          expect(part.schema.fields.map((f) => f.name)).toEqual(idNames)
          const partRows = rowsOf(part)
          const ids = partRows.map((r) => r[ID] as number)
          expect(ids).toEqual([...ids].sort((a, b) => a - b))
          seen.push(...partRows)
        }
        seen.sort((a, b) => (a[ID] as number) - (b[ID] as number))
        expect(seen).toEqual(rowsOf(batch))
      }),
      { numRuns: 200 },
    )
  })

  test('equal keys land in one part across batches, plain or dictionary text, with garbage under nulls', () => {
    fc.assert(
      fc.property(
        table.chain((t) =>
          fc.tuple(
            fc.constant(t),
            cuts(t.rows.length),
            fc.constantFrom(...keySets),
            fc.integer({ min: 2, max: 7 }),
            fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
            fc.integer(),
          ),
        ),
        ([t, at, keys, parts, dictPerBatch, seed]) => {
          const partOfKey = new Map<string, number>()
          splitRows(t.rows, at).forEach((rows, b) => {
            // Each batch chooses its own encoding of the text column, and hides garbage under its nulls.
            const batch = garbageBatch(NAMES, kindsOf({ dictKey: dictPerBatch[b]! }), rows, random(seed + b))
            partitionByHash(batch, keys, parts).forEach((part, p) => {
              for (const row of rowsOf(part)) {
                const key = keyOf(row, keys)
                expect(partOfKey.get(key) ?? p, `key ${key}`).toBe(p)
                partOfKey.set(key, p)
              }
            })
          })
        },
      ),
      { numRuns: 200 },
    )
  })

  test('a null key goes to one fixed part, whatever its dtype, batch or number of rows', () => {
    for (const parts of [2, 3, 8]) {
      const partsOfNull = new Set<number>()
      for (const [i, dtype] of DTYPES.entries()) {
        for (const values of [[null], [null, null, null]]) {
          const batch = batchFromRows(
            [NAMES[i]!],
            [dtype],
            values.map((v) => [v]),
          )
          partitionByHash(batch, [0], parts).forEach((part, p) => {
            if (part.numRows > 0) partsOfNull.add(p)
          })
        }
        const dict = batchFromRows(['s'], ['dict'], [[null], ['a']])
        partitionByHash(dict, [0], parts).forEach((part, p) => {
          if (rowsOf(part).some((r) => r[0] === null)) partsOfNull.add(p)
        })
      }
      expect(partsOfNull.size).toBe(1)
    }
  })

  test('a null dictionary entry is a null key; a dictionary entry hashes as its text', () => {
    const codes = Int32Array.of(0, 1, 2, 1)
    const dictionary = vectorFromArray(['a', null, 'b'], new Utf8())
    const type = new Dictionary(new Utf8(), new Int32())
    const data = makeData({ type, length: 4, nullCount: 0, data: codes, dictionary } as never)
    const withNullEntry = makeBatch(['s'], [data], 4)
    const plain = batchOf({ s: ['utf8', ['a', null, 'b', null]] })
    for (const parts of [2, 5]) {
      const partsOf = (batch: RecordBatch) =>
        partitionByHash(batch, [0], parts).flatMap((part, p) => rowsOf(part).map((r) => `${r[0]}@${p}`))
      expect(partsOf(withNullEntry).sort()).toEqual(partsOf(plain).sort())
    }
  })

  test('equal timestamps land together; -0 with 0 and every NaN together', () => {
    const stamps = batchOf({ t: ['timestamp[ms]', [0, 1_700_000_000_000, null, -5, 1_700_000_000_000, 0]] })
    const nan2 = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]!
    const floats = batchOf({ f: ['float64', [-0, 0, Number.NaN, nan2, 1.5]] })
    for (const parts of [2, 3, 16]) {
      const where = (batch: RecordBatch) => {
        const at = new Map<string, Set<number>>()
        partitionByHash(batch, [0], parts).forEach((part, p) => {
          for (const [v] of rowsOf(part)) {
            const key = keyOf([v!], [0])
            at.set(key, (at.get(key) ?? new Set()).add(p))
          }
        })
        return [...at.values()].map((s) => s.size)
      }
      expect(where(stamps).every((n) => n === 1)).toBe(true)
      expect(where(floats)).toEqual([1, 1, 1]) // 0, NaN, 1.5
    }
  })

  test('spreads distinct keys over every part', () => {
    const n = 4000
    const batch = batchOf({ k: ['int64', Array.from({ length: n }, (_, i) => BigInt(i * 7919))] })
    const sizes = partitionByHash(batch, [0], 8).map((p) => p.numRows)
    for (const size of sizes) expect(size).toBeGreaterThan(n / 8 / 2)
  })

  test('empty input, one part, and a part that gets every row cost no copy', () => {
    const empty = batchOf({ k: ['int32', []], s: ['utf8', []] })
    const out = partitionByHash(empty, [0], 3)
    expect(out.map((p) => p.numRows)).toEqual([0, 0, 0])
    expect(out[1]!.schema.fields.map((f) => f.name)).toEqual(['k', 's'])
    const batch = batchOf({ k: ['int32', [7, 7, 7]], s: ['utf8', ['a', 'b', 'c']] })
    expect(partitionByHash(batch, [0], 1)[0]).toBe(batch)
    const [whole] = partitionByHash(batch, [0], 4).filter((p) => p.numRows > 0)
    expect(whole).toBe(batch)
    // No key columns: one hash for every row, so one part holds them all.
    expect(partitionByHash(batch, [], 4).filter((p) => p.numRows > 0)).toEqual([batch])
  })

  test("the 'hash-split' op returns its parts; bad arguments are INTERNAL errors", () => {
    const batch = batchOf({ k: ['utf8', ['a', 'b', 'c', 'd']] })
    const parts = runKernelOp(KernelOps.hashSplit, { keys: [0], parts: 3 }, [batch])
    expect(parts).toHaveLength(3)
    expect(parts.reduce((n, p) => n + p.numRows, 0)).toBe(4)
    for (const bad of [0, 1.5, 70_000]) {
      expect(() => partitionByHash(batch, [0], bad)).toThrowError(TsdaskError)
      expect(() => partitionByHash(batch, [0], bad)).toThrowError(/hash-split needs a whole number of parts/)
    }
    expect(() => partitionByHash(batch, [1], 2)).toThrowError(/key column 1 is not a column of a 1-column batch/)
  })
})
