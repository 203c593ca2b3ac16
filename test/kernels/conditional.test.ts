/**
 * Short-circuit evaluation: an operand that can fail runs only on the rows that reach it (the right
 * side of AND where the left is not false, of OR where the left is not true, a later COALESCE
 * argument where the earlier ones are null), and a filter's conjuncts each run only on the rows
 * the earlier ones kept. Values are those of plain three-valued logic in every case.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canFail } from '../../src/kernels/can-fail.js'
import { evaluate, filterBatch } from '../../src/kernels/index.js'
import type { PhysicalExpr } from '../../src/kernels/physical-expr.js'
import { TsdaskError } from '../../src/util/errors.js'
import { bin, c, cast, l, un } from './expr-helpers.js'
import { batchOf, type Cell, cellsOf, columnsOf } from './helpers.js'

// s: text that may not parse as int32; n: int32; k: a bool with nulls.
const batch = batchOf({
  s: ['utf8', ['N/A', '7', null, 'x', '3', '12']],
  n: ['int32', [1, 2, null, 4, 5, 6]],
  k: ['bool', [false, true, null, null, true, false]],
})
const S = c(0, 'utf8')
const N = c(1, 'int32')
const K = c(2, 'bool')
const parsed = cast(S, 'int32')
const parsedGt = (v: number) => bin('gt', parsed, l(v, 'int32'))
const notNA = bin('neq', S, l('N/A', 'utf8'))
const isX = bin('eq', S, l('x', 'utf8'))
const ev = (e: PhysicalExpr): Cell[] => cellsOf(evaluate(batch, e))

describe('which expressions can fail', () => {
  test('casts of text and narrowing numeric casts, integer add/sub/mul/negate/abs/round', () => {
    expect(canFail(parsed)).toBe(true)
    expect(canFail(cast(c(0, 'float64'), 'int64'))).toBe(true)
    expect(canFail(cast(c(0, 'int64'), 'int32'))).toBe(true)
    expect(canFail(bin('add', N, N))).toBe(true)
    expect(canFail(un('negate', N))).toBe(true)
    expect(canFail({ kind: 'call', fn: 'abs', args: [N], dtype: 'int32' })).toBe(true)
    expect(canFail(bin('gt', bin('mul', N, l(3, 'int32')), l(1, 'int32')))).toBe(true)
  })
  test('widening casts, float arithmetic, division, comparisons and string functions cannot', () => {
    expect(canFail(cast(N, 'int64'))).toBe(false)
    expect(canFail(cast(N, 'float64'))).toBe(false)
    expect(canFail(cast(N, 'utf8'))).toBe(false)
    expect(canFail(bin('add', c(3, 'float64'), c(3, 'float64')))).toBe(false)
    expect(canFail(bin('div', N, N))).toBe(false)
    expect(canFail(bin('mod', N, N))).toBe(false)
    expect(canFail(bin('and', notNA, K))).toBe(false)
    expect(canFail({ kind: 'string', fn: 'like', arg: S, pattern: '%a', dtype: 'bool' })).toBe(false)
  })
})

describe('AND, OR and COALESCE as values', () => {
  test("the right side of AND runs only where the left is not false: s <> 'N/A' AND cast(s) > 5", () => {
    // 'x' reaches the cast (its left side is true), so it still fails, exactly as row by row.
    expect(() => ev(bin('and', notNA, parsedGt(5)))).toThrow(/cannot cast "x" to int32/)
    const guarded = bin('and', bin('and', notNA, un('not', isX)), parsedGt(5))
    expect(ev(guarded)).toEqual([false, true, null, false, false, true])
  })

  test('a null left side still evaluates the right side (null AND false is false)', () => {
    // Rows 2 and 3 have k null: the right side decides between false and null there.
    const e = bin('and', K, bin('gt', N, l(3, 'int32')))
    expect(ev(e)).toEqual([false, false, null, null, true, false])
    expect(() => ev(bin('and', K, parsedGt(0)))).toThrow(/cannot cast "x"/)
  })

  test("the right side of OR runs only where the left is not true: s = 'N/A' OR s = 'x' OR cast(s) > 5", () => {
    const e = bin('or', bin('or', bin('eq', S, l('N/A', 'utf8')), isX), parsedGt(5))
    expect(ev(e)).toEqual([true, true, null, true, false, true])
  })

  test('the same values as whole-batch Kleene logic when nothing can fail, in every null pattern', () => {
    const bools = fc.array(fc.constantFrom(true, false, null), { minLength: 1, maxLength: 40 })
    fc.assert(
      fc.property(bools, bools, (a, b) => {
        const n = Math.min(a.length, b.length)
        const x = batchOf({ a: ['bool', a.slice(0, n)], b: ['bool', b.slice(0, n)], i: ['int32', a.map(() => 1)] })
        // b AND (i + 0 > 0): the same truth as b, but fallible (integer add), so it takes the gathered path.
        const fallibleB = bin('and', c(1, 'bool'), bin('gt', bin('add', c(2, 'int32'), l(0, 'int32')), l(0, 'int32')))
        for (const op of ['and', 'or'] as const) {
          const plain = cellsOf(evaluate(x, bin(op, c(0, 'bool'), c(1, 'bool'))))
          expect(cellsOf(evaluate(x, bin(op, c(0, 'bool'), fallibleB)))).toEqual(plain)
        }
      }),
    )
  })

  test('a later COALESCE argument runs only where the earlier ones are null', () => {
    const onlyWhereNull: PhysicalExpr = {
      kind: 'coalesce',
      args: [
        { kind: 'case', branches: [{ condition: notNA, value: l(0, 'int32') }], otherwise: null, dtype: 'int32' },
        parsed,
      ],
      dtype: 'int32',
    }
    // Only row 0 ('N/A') and row 2 (null) reach the cast; null casts to null.
    expect(() => ev(onlyWhereNull)).toThrow(/cannot cast "N\/A"/)
    const safe: PhysicalExpr = {
      kind: 'coalesce',
      args: [
        {
          kind: 'case',
          branches: [{ condition: bin('eq', S, l('N/A', 'utf8')), value: l(-1, 'int32') }],
          otherwise: null,
          dtype: 'int32',
        },
        N,
      ],
      dtype: 'int32',
    }
    expect(ev(safe)).toEqual([-1, 2, null, 4, 5, 6])
    const guarded: PhysicalExpr = {
      kind: 'coalesce',
      args: [
        {
          kind: 'case',
          branches: [{ condition: bin('or', bin('eq', S, l('N/A', 'utf8')), isX), value: l(-1, 'int32') }],
          otherwise: null,
          dtype: 'int32',
        },
        parsed,
      ],
      dtype: 'int32',
    }
    expect(ev(guarded)).toEqual([-1, 7, null, -1, 3, 12])
  })

  test('an error on a row that reaches the operand is still raised, as a TsdaskError', () => {
    try {
      ev(bin('and', bin('gt', N, l(3, 'int32')), parsedGt(0)))
      throw new Error('expected an error')
    } catch (error) {
      expect(error).toBeInstanceOf(TsdaskError)
      expect((error as Error).message).toMatch(/cannot cast "x" to int32/)
    }
  })
})

describe('filters: conjuncts run in order, each on the rows the earlier ones kept', () => {
  test("s <> 'N/A' AND cast(s) > 5 keeps '7' and '12' when 'x' is rejected first", () => {
    const kept = filterBatch(batch, bin('and', bin('and', notNA, un('not', isX)), parsedGt(5)))
    expect(columnsOf(kept).s).toEqual(['7', '12'])
  })

  test('a null conjunct rejects its row before later conjuncts see it (unlike AND as a value)', () => {
    // k is null on rows 2 ('null') and 3 ('x'): the cast never sees 'x'.
    const predicate = bin('and', bin('and', bin('neq', K, l(false, 'bool')), notNA), parsedGt(0))
    expect(() => ev(predicate)).toThrow(/cannot cast "x"/)
    expect(columnsOf(filterBatch(batch, predicate))).toEqual({ s: ['7', '3'], n: [2, 5], k: [true, true] })
  })

  test('every row kept and no row kept', () => {
    const n = c(0, 'int32')
    const always = bin('and', bin('gt', n, l(-1, 'int32')), bin('gt', bin('add', n, l(0, 'int32')), l(-1, 'int32')))
    const small = batchOf({ n: ['int32', [1, 2]] })
    expect(filterBatch(small, always)).toBe(small)
    expect(filterBatch(batch, bin('and', bin('gt', N, l(100, 'int32')), parsedGt(0))).numRows).toBe(0)
  })
})
