import { describe, expect, it } from 'vitest'
import { coalesce, col, count, Expr, lit } from '../../src/expr/builder.js'
import { literalDType } from '../../src/expr/expr-node.js'
import { TsdaskError } from '../../src/util/errors.js'

describe('builder', () => {
  it('builds plain, immutable-style AST nodes', () => {
    const fare = col('fare')
    const e = fare.gt(10).and(col('vendor').eq('CMT'))
    expect(e.node).toEqual({
      kind: 'Binary',
      op: 'and',
      left: {
        kind: 'Binary',
        op: 'gt',
        left: { kind: 'Column', name: 'fare' },
        right: { kind: 'Literal', value: 10, dtype: 'int32' },
      },
      right: {
        kind: 'Binary',
        op: 'eq',
        left: { kind: 'Column', name: 'vendor' },
        right: { kind: 'Literal', value: 'CMT', dtype: 'utf8' },
      },
    })
    // Methods return new expressions; the receiver is untouched.
    expect(fare.node).toEqual({ kind: 'Column', name: 'fare' })
    expect(String(e)).toBe("fare > 10 AND vendor = 'CMT'")
  })

  it('between is inclusive on both ends', () => {
    expect(String(col('x').between(1, 5))).toBe('x >= 1 AND x <= 5')
  })

  it('string functions keep their pattern; the others have none', () => {
    expect(col('s').contains('ab').node).toEqual({
      kind: 'String',
      fn: 'contains',
      arg: { kind: 'Column', name: 's' },
      pattern: 'ab',
    })
    expect(col('s').lower().node).toEqual({ kind: 'String', fn: 'lower', arg: { kind: 'Column', name: 's' } })
    expect('pattern' in col('s').length().node).toBe(false)
  })

  it('count() counts rows; col(x).count() counts non-null values', () => {
    expect(count().node).toEqual({ kind: 'Agg', fn: 'countAll', arg: null })
    expect(col('x').count().node).toEqual({ kind: 'Agg', fn: 'count', arg: { kind: 'Column', name: 'x' } })
  })

  it('coalesce accepts expressions and literals', () => {
    expect(coalesce(col('a'), 0).node).toEqual({
      kind: 'Coalesce',
      args: [
        { kind: 'Column', name: 'a' },
        { kind: 'Literal', value: 0, dtype: 'int32' },
      ],
    })
  })

  it('literal dtypes: int32 range, float64, int64, utf8, bool, timestamp, untyped null', () => {
    expect([1, 2 ** 31, -(2 ** 31), 0.5, 7n, 's', false, new Date(0), null].map(literalDType)).toEqual([
      'int32',
      'float64',
      'int32',
      'float64',
      'int64',
      'utf8',
      'bool',
      'timestamp[ms]',
      null,
    ])
    expect(lit(null, 'float64').node).toEqual({ kind: 'Literal', value: null, dtype: 'float64' })
  })

  describe('rejects what cannot be an expression, with INVALID_ARGUMENT', () => {
    const invalid = (f: () => unknown) => {
      try {
        f()
      } catch (error) {
        expect(error).toBeInstanceOf(TsdaskError)
        expect((error as TsdaskError).code).toBe('INVALID_ARGUMENT')
        return (error as TsdaskError).message
      }
      throw new Error('expected INVALID_ARGUMENT')
    }

    it('messages', () => {
      expect([
        invalid(() => col('')),
        invalid(() => col(42 as unknown as string)),
        invalid(() => lit({} as never)),
        invalid(() => lit(undefined as never)),
        invalid(() => lit(new Date(Number.NaN))),
        invalid(() => col('x').isIn(3 as never)),
        invalid(() => col('x').startsWith(3 as never)),
        invalid(() => col('x').gt(Symbol('s') as never)),
        invalid(() => (coalesce as (...a: unknown[]) => unknown)()),
      ]).toMatchInlineSnapshot(`
        [
          "col() needs a column name, e.g. col("fare")",
          "col() needs a column name, e.g. col("fare")",
          "cannot use [object Object] (object) as a literal; use a number, bigint, string, boolean, Date or null",
          "cannot use undefined (undefined) as a literal; use a number, bigint, string, boolean, Date or null",
          "cannot use an invalid Date as a literal",
          "isIn expects an array of literal values, e.g. isIn([1, 2, 3])",
          "startsWith expects a string, got number",
          "cannot use Symbol(s) (symbol) as a literal; use a number, bigint, string, boolean, Date or null",
          "coalesce() needs at least one argument",
        ]
      `)
    })
  })

  it('lit() with an explicit dtype accepts a value of another type', () => {
    // lit(2.5, 'int32') is an int32 literal holding 2.5; lit('abc', 'int64') prints `CAST(abc AS int64)`.
    expect(() => lit(2.5, 'int32')).toThrow(TsdaskError)
    expect(() => lit('abc', 'int64')).toThrow(TsdaskError)
  })

  it('Expr is the public class behind col()', () => {
    expect(col('x')).toBeInstanceOf(Expr)
  })
})
