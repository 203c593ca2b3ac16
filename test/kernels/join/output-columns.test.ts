/**
 * The join result's columns from the input schemas: order, suffixes on clashes, merged (USING)
 * keys and where their values come from, which columns the join pads with nulls, and that the
 * kernel's batches carry exactly these names and dtypes.
 */
import { describe, expect, test } from 'vitest'
import {
  hashJoin,
  JOIN_HOWS,
  type JoinHow,
  type JoinOutputOptions,
  joinOutputColumns,
  schemaOfBatch,
} from '../../../src/kernels/join/index.js'
import type { Schema } from '../../../src/types/schema.js'
import { TsdaskError } from '../../../src/util/errors.js'
import { batchOf } from '../helpers.js'

const left: Schema = [
  { name: 'id', dtype: 'int32' },
  { name: 'name', dtype: 'utf8' },
  { name: 'v', dtype: 'float64' },
]
const right: Schema = [
  { name: 'id', dtype: 'int32' },
  { name: 'v', dtype: 'float64' },
  { name: 'w', dtype: 'bool' },
]

const names = (options: JoinOutputOptions, l = left, r = right) => joinOutputColumns(l, r, options).map((c) => c.name)
const nullable = (how: JoinHow) => joinOutputColumns(left, right, { how }).map((c) => c.nullable)
const USING_ID = { left: [0], right: [0] }

describe('joinOutputColumns', () => {
  test('all left columns, then all right ones; a right name the left side has gets the suffix', () => {
    expect(names({ how: 'inner' })).toEqual(['id', 'name', 'v', 'id_right', 'v_right', 'w'])
    expect(names({ how: 'inner', suffix: '_b' })).toEqual(['id', 'name', 'v', 'id_b', 'v_b', 'w'])
    expect(joinOutputColumns(left, right, { how: 'full' }).map((c) => c.dtype)).toEqual([
      'int32',
      'utf8',
      'float64',
      'int32',
      'float64',
      'bool',
    ])
  })

  test('semi and anti joins output the left columns only, never padded', () => {
    for (const how of ['semi', 'anti'] as const) {
      expect(names({ how })).toEqual(['id', 'name', 'v'])
      expect(names({ how, coalesce: USING_ID })).toEqual(['id', 'name', 'v'])
      expect(nullable(how)).toEqual([false, false, false])
    }
  })

  test('the side padded with nulls is nullable: right columns of a left join, left of a right join, both of a full', () => {
    expect(nullable('inner')).toEqual([false, false, false, false, false, false])
    expect(nullable('left')).toEqual([false, false, false, true, true, true])
    expect(nullable('right')).toEqual([true, true, true, false, false, false])
    expect(nullable('full')).toEqual([true, true, true, true, true, true])
  })

  test('merged keys appear once at the left key position, valued from the side whose rows all appear', () => {
    const sources = (how: JoinHow) => joinOutputColumns(left, right, { how, coalesce: USING_ID })
    for (const how of JOIN_HOWS.filter((h) => h !== 'semi' && h !== 'anti')) {
      expect(sources(how).map((c) => c.name)).toEqual(['id', 'name', 'v', 'v_right', 'w'])
      expect(sources(how)[0]!.nullable).toBe(false)
    }
    expect(sources('inner')[0]!.source).toEqual({ side: 'left', index: 0 })
    expect(sources('left')[0]!.source).toEqual({ side: 'left', index: 0 })
    expect(sources('right')[0]!.source).toEqual({ side: 'right', index: 0 })
    expect(sources('full')[0]!.source).toEqual({ side: 'coalesce', left: 0, right: 0 })
    // Keys of different names keep the left name; the right key column is gone.
    const r2: Schema = [
      { name: 'w', dtype: 'bool' },
      { name: 'key', dtype: 'int32' },
    ]
    expect(names({ how: 'left' }, left, r2)).toEqual(['id', 'name', 'v', 'w', 'key'])
    expect(names({ how: 'left', coalesce: { left: [0], right: [1] } }, left, r2)).toEqual(['id', 'name', 'v', 'w'])
  })

  test('a name that is still not unique after the suffix is an error naming it and the way out', () => {
    const r2: Schema = [
      { name: 'v', dtype: 'int32' },
      { name: 'v_right', dtype: 'int32' },
    ]
    expect(() => names({ how: 'inner' }, left, r2)).toThrow(/two columns named 'v_right'.*another suffix/)
    expect(() => names({ how: 'inner', suffix: '' })).toThrow(TsdaskError)
    expect(() => names({ how: 'inner', suffix: '' })).toThrow(/two columns named 'id'/)
    // Merged keys do not clash: the right key column is not output.
    expect(names({ how: 'inner', suffix: '', coalesce: { left: [0, 2], right: [0, 1] } })).toEqual([
      'id',
      'name',
      'v',
      'w',
    ])
  })

  test('merged keys must pair up, one column per pair', () => {
    expect(() => names({ how: 'inner', coalesce: { left: [0, 1], right: [0] } })).toThrow(/come in pairs/)
    expect(() => names({ how: 'inner', coalesce: { left: [0, 0], right: [0, 1] } })).toThrow(/two key pairs/)
  })

  test("the kernel's batches carry exactly these names and dtypes (dictionary keys read as utf8)", () => {
    const l = batchOf({ id: ['int32', [1, 2]], name: ['dict', ['a', 'b']], v: ['float64', [1, 2]] })
    const r = batchOf({ id: ['int32', [2, 3]], v: ['float64', [5, 6]], w: ['bool', [true, null]] })
    for (const how of JOIN_HOWS) {
      for (const coalesceKeys of [false, true]) {
        const out = hashJoin(l, r, { how, leftOn: [0], rightOn: [0], coalesceKeys, suffix: '_2' })
        const want = joinOutputColumns(schemaOfBatch(l), schemaOfBatch(r), {
          how,
          suffix: '_2',
          ...(coalesceKeys && { coalesce: USING_ID }),
        })
        expect(schemaOfBatch(out)).toEqual(want.map((c) => ({ name: c.name, dtype: c.dtype })))
      }
    }
  })
})
