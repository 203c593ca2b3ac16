/** Every misuse of the join kernels is a TsdaskError that says what is wrong and what to do. */
import type { RecordBatch } from 'apache-arrow'
import { describe, expect, test } from 'vitest'
import { readColumn } from '../../../src/kernels/column.js'
import { crossJoin, type HashJoinArgs, hashJoin, type JoinHow, joinIndices } from '../../../src/kernels/join/index.js'
import { columnData } from '../../../src/types/arrow-types.js'
import { type ErrorCode, TsdaskError } from '../../../src/util/errors.js'
import { batchOf } from '../helpers.js'

const l = batchOf({
  i: ['int32', [1, 1, 1]],
  x: ['int64', [1n, 1n, 1n]],
  d: ['date32', [1, 1, 1]],
  s: ['utf8', ['a', 'a', 'a']],
})
const r = batchOf({
  i: ['int32', [1, 1, 1]],
  s: ['dict', ['a', 'a', 'a']],
  f: ['float64', [1, 1, 1]],
})

function thrown(f: () => unknown): TsdaskError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TsdaskError)
    return e as TsdaskError
  }
  throw new Error('expected an error')
}

function expectError(f: () => unknown, code: ErrorCode, message: RegExp): void {
  const e = thrown(f)
  expect(e.code).toBe(code)
  expect(e.message).toMatch(message)
}

const join = (args: Partial<HashJoinArgs>, left: RecordBatch = l, right: RecordBatch = r) =>
  hashJoin(left, right, { how: 'inner', leftOn: [0], rightOn: [0], ...args })

describe('join errors', () => {
  test('keys of different dtypes name the key, both columns and the fix; plain vs dictionary utf8 is fine', () => {
    expectError(
      () => join({ leftOn: [1] }),
      'TYPE_MISMATCH',
      /join key 1 is int64 on the left \(column 'x'\) but int32 on the right \(column 'i'\).*Cast/,
    )
    expectError(() => join({ leftOn: [2] }), 'TYPE_MISMATCH', /date32 on the left.*int32 on the right/)
    expectError(() => join({ leftOn: [0, 3], rightOn: [0, 2] }), 'TYPE_MISMATCH', /join key 2 is utf8.*float64/)
    expect(join({ leftOn: [3], rightOn: [1] }).numRows).toBe(9)
  })

  test('key lists of different lengths, no keys, and key indexes out of range', () => {
    expectError(
      () => join({ leftOn: [0, 3] }),
      'INVALID_ARGUMENT',
      /2 left key\(s\) \[i, s\] and 1 right key\(s\) \[i\]/,
    )
    expectError(() => join({ leftOn: [], rightOn: [] }), 'INVALID_ARGUMENT', /at least one key pair.*cross join/)
    expectError(
      () => join({ rightOn: [3] }),
      'INVALID_ARGUMENT',
      /index 3 is out of range: the right input has 3 column\(s\) \[i, s, f\]/,
    )
    expectError(() => join({ leftOn: [-1] }), 'INVALID_ARGUMENT', /index -1 is out of range: the left input/)
  })

  test('an unknown join type, and a side with no batch at all', () => {
    expectError(
      () => join({ how: 'outer' as JoinHow }),
      'INVALID_ARGUMENT',
      /unknown join type 'outer'.*inner, left, right, full, semi, anti/,
    )
    expectError(
      () => hashJoin([], r, { how: 'inner', leftOn: [0], rightOn: [0] }),
      'INTERNAL',
      /left side of a join got no batch/,
    )
  })

  test('a join whose output exceeds maxRows throws before allocating, with the count and the limit', () => {
    expect(join({ maxRows: 9 }).numRows).toBe(9)
    expectError(
      () => join({ maxRows: 8 }),
      'INVALID_ARGUMENT',
      /would produce 9 rows, above the limit of 8.*repeat on both sides.*raise maxRows/,
    )
    // Unmatched rows of an outer join count too.
    const keys = (b: RecordBatch) => [readColumn(columnData(b, 0))]
    const none = batchOf({ i: ['int32', [7, 8]] })
    expectError(() => joinIndices(keys(l), keys(none), 'full', { maxRows: 4 }), 'INVALID_ARGUMENT', /5 rows/)
  })

  test('a cross join above its row limit names both sides and the alternatives', () => {
    expect(crossJoin(l, r, { maxRows: 9 }).numRows).toBe(9)
    expectError(
      () => crossJoin(l, r, { maxRows: 8 }),
      'INVALID_ARGUMENT',
      /cross join of 3 × 3 rows would produce 9 rows.*equality condition.*raise maxRows/,
    )
  })
})
