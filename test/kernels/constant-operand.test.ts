/**
 * DuckDB's rule for constant operands (constant-operand.ts): an arithmetic operator or scalar
 * function with an operand that reads no column and is null (or, for / and %, a constant zero
 * divisor) is null without evaluating its other operands; a null that comes from a column decides
 * nothing, and a constant that fails still fails. (DuckDB 1.5: `x * x % NULL` is NULL where x * x
 * overflows, `x * x % n` with n a NULL column raises.)
 */
import { describe, expect, test } from 'vitest'
import { evaluate } from '../../src/kernels/index.js'
import type { PhysicalExpr } from '../../src/kernels/physical-expr.js'
import { TsdaskError } from '../../src/util/errors.js'
import { bin, c, cast, l } from './expr-helpers.js'
import { batchOf, type Cell, cellsOf } from './helpers.js'

// x * x overflows int64; s does not parse as an integer; n is a null column.
const batch = batchOf({
  x: ['int64', [-5_000_000_000n, 3n]],
  s: ['utf8', ['x', 'y']],
  n: ['int64', [null, null]],
  f: ['float64', [1.5, 2]],
})
const X = c(0, 'int64')
const S = c(1, 'utf8')
const N = c(2, 'int64')
const F = c(3, 'float64')
const square = bin('mul', X, X)
const parsed = cast(S, 'int64')
const nullInt = l(null, 'int64')
const ev = (e: PhysicalExpr): Cell[] => cellsOf(evaluate(batch, e))
const fails = (e: PhysicalExpr) => expect(() => ev(e)).toThrow(TsdaskError)

describe('a constant null operand decides the call', () => {
  test('arithmetic: the other side is never evaluated, on either side', () => {
    for (const op of ['add', 'sub', 'mul', 'div', 'mod'] as const) {
      expect(ev(bin(op, square, nullInt))).toEqual([null, null])
      expect(ev(bin(op, nullInt, parsed))).toEqual([null, null])
    }
  })
  test('a constant expression that evaluates to null counts: CASE WHEN FALSE, CAST(NULL), nested arithmetic', () => {
    const caseNull: PhysicalExpr = {
      kind: 'case',
      branches: [{ condition: l(false, 'bool'), value: l('1', 'int64') }],
      otherwise: null,
      dtype: 'int64',
    }
    expect(ev(bin('mod', square, caseNull))).toEqual([null, null])
    expect(ev(bin('add', square, cast(l(null, 'float64'), 'int64')))).toEqual([null, null])
    expect(ev(bin('div', bin('div', X, parsed), bin('add', l('1', 'int64'), nullInt)))).toEqual([null, null])
  })
  test('a call that a constant null decides is itself such a constant: CAST(s) + x * NULL (fuzz seed 6006 path 290)', () => {
    expect(ev(bin('add', parsed, bin('mul', X, nullInt)))).toEqual([null, null])
    expect(ev(bin('sub', bin('mul', X, nullInt), square))).toEqual([null, null])
    expect(ev(bin('add', square, cast(bin('mul', X, nullInt), 'int64')))).toEqual([null, null])
    // A CASE that reads a column is no constant, whatever its branches.
    const caseOfColumn: PhysicalExpr = {
      kind: 'case',
      branches: [{ condition: bin('gt', X, l('0', 'int64')), value: nullInt }],
      otherwise: null,
      dtype: 'int64',
    }
    fails(bin('add', square, caseOfColumn))
  })
  test('a constant zero divisor: / and % are null without evaluating the dividend', () => {
    expect(ev(bin('div', square, l('0', 'int64')))).toEqual([null, null])
    expect(ev(bin('mod', square, bin('sub', l('2', 'int64'), l('2', 'int64'))))).toEqual([null, null])
    expect(ev(bin('div', F, l(0, 'float64')))).toEqual([null, null])
    fails(bin('mul', square, l('0', 'int64')))
  })
  test('scalar functions: round(x, NULL), substr(s, NULL)', () => {
    const round: PhysicalExpr = {
      kind: 'call',
      fn: 'round',
      args: [bin('mul', X, X), l(null, 'int32')],
      dtype: 'int64',
    }
    expect(ev(round)).toEqual([null, null])
    const substr: PhysicalExpr = { kind: 'call', fn: 'substr', args: [S, l(null, 'int64')], dtype: 'utf8' }
    expect(ev(substr)).toEqual([null, null])
  })
})

describe('what decides nothing', () => {
  test('a null column: the other side is evaluated, and fails', () => {
    fails(bin('mul', square, N))
    fails(bin('add', N, parsed))
  })
  test('comparisons evaluate both sides (DuckDB: x * x > NULL raises)', () => {
    fails(bin('gt', square, nullInt))
  })
  test('a constant that fails still fails; a non-null constant changes nothing', () => {
    fails(bin('add', square, cast(l('z', 'utf8'), 'int64')))
    fails(bin('add', square, l('1', 'int64')))
    expect(ev(bin('add', X, l('1', 'int64')))).toEqual([-4_999_999_999n, 4n])
  })
})
