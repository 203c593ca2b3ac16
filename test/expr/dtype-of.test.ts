import { describe, expect, it } from 'vitest'
import { col, count, type Expr, lit } from '../../src/expr/builder.js'
import { canCast, comparisonType, dtypeOf, inferType } from '../../src/expr/dtype-of.js'
import type { ExprNode } from '../../src/expr/expr-node.js'
import { DTYPES } from '../../src/types/dtype.js'
import { schemaFromRecord } from '../../src/types/schema.js'
import { TsdaskError } from '../../src/util/errors.js'
import { coalesceOf, everyDType } from '../support/plan-builders.js'

/** One column of every dtype. */
const schema = everyDType

const typeOf = (e: Expr<never, never> | { node: ExprNode }) => dtypeOf(e.node, schema)

function typeError(e: { node: ExprNode }): TsdaskError {
  try {
    dtypeOf(e.node, schema)
  } catch (error) {
    expect(error).toBeInstanceOf(TsdaskError)
    return error as TsdaskError
  }
  throw new Error(`expected a type error for ${String(e)}`)
}

describe('dtypeOf', () => {
  it('reads a column type from the schema', () => {
    for (const f of schema) expect(typeOf(col(f.name))).toBe(f.dtype)
  })

  it('types literals: int32 when the integer fits, float64 otherwise, bigint int64, Date timestamp', () => {
    expect(typeOf(lit(1))).toBe('int32')
    expect(typeOf(lit(-2147483648))).toBe('int32')
    expect(typeOf(lit(2147483648))).toBe('float64')
    expect(typeOf(lit(1.5))).toBe('float64')
    expect(typeOf(lit(1n))).toBe('int64')
    expect(typeOf(lit('x'))).toBe('utf8')
    expect(typeOf(lit(true))).toBe('bool')
    expect(typeOf(lit(new Date(0)))).toBe('timestamp[ms]')
    expect(typeOf(lit(new Date(0), 'date32'))).toBe('date32')
    expect(typeOf(lit(7, 'int64'))).toBe('int64')
  })

  describe('arithmetic widens int32 < int64 < float64', () => {
    it.each([
      ['i', 'i', 'int32'],
      ['i', 'l', 'int64'],
      ['l', 'i', 'int64'],
      ['i', 'f', 'float64'],
      ['f', 'i', 'float64'],
      ['l', 'f', 'float64'],
      ['l', 'l', 'int64'],
      ['f', 'f', 'float64'],
    ] as const)('%s (+ - * %%) %s is %s', (a, b, want) => {
      expect(typeOf(col(a).add(col(b)))).toBe(want)
      expect(typeOf(col(a).sub(col(b)))).toBe(want)
      expect(typeOf(col(a).mul(col(b)))).toBe(want)
      expect(typeOf(col(a).mod(col(b)))).toBe(want)
    })

    it('int32 + int64 is int64 (also with an int64 literal)', () => {
      expect(typeOf(col('i').add(col('l')))).toBe('int64')
      expect(typeOf(col('i').add(5n))).toBe('int64')
      expect(typeOf(col('i').add(5))).toBe('int32')
      expect(typeOf(col('i').add(0.5))).toBe('float64')
    })

    it('/ is always float64', () => {
      expect(typeOf(col('i').div(col('i')))).toBe('float64')
      expect(typeOf(col('l').div(2n))).toBe('float64')
      expect(typeOf(col('f').div(col('l')))).toBe('float64')
      expect(typeOf(lit(null).div(lit(null)))).toBe('float64')
    })

    it('negation keeps the operand type', () => {
      expect(typeOf(col('i').neg())).toBe('int32')
      expect(typeOf(col('l').neg())).toBe('int64')
      expect(typeOf(col('f').neg())).toBe('float64')
    })
  })

  describe('comparison and logic give bool', () => {
    it.each(['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const)('%s', (op) => {
      expect(typeOf(col('i')[op](col('f')))).toBe('bool')
      expect(typeOf(col('s')[op]('x'))).toBe('bool')
      expect(typeOf(col('d')[op](col('t')))).toBe('bool')
    })

    it('and / or / not / between / isIn / isNull / isNotNull', () => {
      expect(typeOf(col('b').and(col('i').gt(1)))).toBe('bool')
      expect(typeOf(col('b').or(false))).toBe('bool')
      expect(typeOf(col('b').not())).toBe('bool')
      expect(typeOf(col('f').between(1, 2.5))).toBe('bool')
      expect(typeOf(col('s').isIn(['a', 'b']))).toBe('bool')
      expect(typeOf(col('s').isNull())).toBe('bool')
      expect(typeOf(col('t').isNotNull())).toBe('bool')
    })
  })

  describe('the common type of a comparison', () => {
    it.each([
      ['int32', 'int64', 'int64'],
      ['int64', 'float64', 'float64'],
      ['int32', 'int32', 'int32'],
      ['date32', 'timestamp[ms]', 'timestamp[ms]'],
      ['timestamp[ms]', 'date32', 'timestamp[ms]'],
      ['date32', 'date32', 'date32'],
      ['utf8', 'utf8', 'utf8'],
      ['bool', 'bool', 'bool'],
      ['int64', null, 'int64'],
      [null, 'utf8', 'utf8'],
      [null, null, null],
    ] as const)('%s vs %s → %s', (l, r, want) => {
      expect(comparisonType(lit(1).node, l, r)).toBe(want)
    })
  })

  describe('untyped NULL takes its type from context', () => {
    it('in arithmetic, comparison and coalesce', () => {
      expect(inferType(lit(null).node, schema)).toBeNull()
      expect(typeOf(col('l').add(lit(null)))).toBe('int64')
      expect(typeOf(lit(null).add(col('f')))).toBe('float64')
      expect(typeOf(col('s').eq(null))).toBe('bool')
      expect(typeOf(coalesceOf(col('l'), null))).toBe('int64')
      expect(typeOf(coalesceOf(lit(null), col('d')))).toBe('date32')
      expect(typeOf(lit(null).neg())).toBe('int32')
    })

    it('an expression that is only NULL defaults to int32; a typed NULL keeps its type', () => {
      expect(typeOf(lit(null))).toBe('int32')
      expect(typeOf(lit(null).add(lit(null)))).toBe('int32')
      expect(typeOf(lit(null, 'utf8'))).toBe('utf8')
      expect(typeOf(lit(null).cast('date32'))).toBe('date32')
    })
  })

  it('coalesce widens like a comparison', () => {
    expect(typeOf(coalesceOf(col('i'), col('l')))).toBe('int64')
    expect(typeOf(coalesceOf(col('i'), 0.5))).toBe('float64')
    expect(typeOf(coalesceOf(col('d'), col('t')))).toBe('timestamp[ms]')
    expect(typeOf(coalesceOf(col('s'), 'n/a'))).toBe('utf8')
  })

  it('string functions', () => {
    expect(typeOf(col('s').startsWith('a'))).toBe('bool')
    expect(typeOf(col('s').endsWith('a'))).toBe('bool')
    expect(typeOf(col('s').contains('a'))).toBe('bool')
    expect(typeOf(col('s').lower())).toBe('utf8')
    expect(typeOf(col('s').upper())).toBe('utf8')
    expect(typeOf(col('s').length())).toBe('int32')
  })

  it('cast gives the target type', () => {
    expect(typeOf(col('i').cast('float64'))).toBe('float64')
    expect(typeOf(col('s').cast('int64'))).toBe('int64')
    expect(typeOf(col('d').cast('timestamp[ms]'))).toBe('timestamp[ms]')
  })

  it('aggregates: sum of an integer is int64, of a float float64; mean float64; count int64; min/max keep the type', () => {
    expect(typeOf(col('i').sum())).toBe('int64')
    expect(typeOf(col('l').sum())).toBe('int64')
    expect(typeOf(col('f').sum())).toBe('float64')
    expect(typeOf(col('i').mean())).toBe('float64')
    expect(typeOf(col('s').count())).toBe('int64')
    expect(typeOf(count())).toBe('int64')
    expect(typeOf(col('d').min())).toBe('date32')
    expect(typeOf(col('s').max())).toBe('utf8')
    expect(typeOf(col('i').add(col('l')).sum())).toBe('int64')
  })
})

describe('canCast', () => {
  it('matches the documented cast table', () => {
    const table = DTYPES.map((from) => `${from.padEnd(13)} → ${DTYPES.filter((to) => canCast(from, to)).join(' ')}`)
    expect(table).toMatchInlineSnapshot(`
      [
        "bool          → bool int32 int64 float64 utf8",
        "int32         → bool int32 int64 float64 utf8",
        "int64         → bool int32 int64 float64 utf8",
        "float64       → bool int32 int64 float64 utf8",
        "utf8          → bool int32 int64 float64 utf8 date32 timestamp[ms]",
        "date32        → utf8 date32 timestamp[ms]",
        "timestamp[ms] → utf8 date32 timestamp[ms]",
      ]
    `)
  })
})

describe('type errors name the expression, say what was expected and how to fix it', () => {
  it.each([
    ['arithmetic on text', col('s').add(1), 's + 1'],
    ['arithmetic on bool', col('i').mul(col('b')), 'i * b'],
    ['arithmetic on a date', col('d').sub(col('i')), 'd - i'],
    ['division of text', col('f').div(col('s')), 'f / s'],
    ['negating text', col('s').neg(), '-s'],
    ['AND with a number', col('b').and(col('i')), 'b AND i'],
    ['OR with text', col('s').or(col('b')), 's OR b'],
    ['NOT of a number', col('i').not(), 'NOT i'],
    ['comparing text with a number', col('s').gt(1), 's > 1'],
    ['comparing bool with a number', col('b').eq(col('i')), 'b = i'],
    ['comparing a date with text', col('d').lt('2024-01-01'), "d < '2024-01-01'"],
    ['IN with a mixed list', col('i').isIn([1, 'two'] as never), "i IN (1, 'two')"],
    ['coalesce of different types', coalesceOf(col('s'), col('i')), 'coalesce(s, i)'],
    ['string function on a number', col('i').startsWith('1'), "starts_with(i, '1')"],
    ['lower of a date', col('d').lower(), 'lower(d)'],
    ['impossible cast', col('b').cast('date32'), 'CAST(b AS date32)'],
    ['sum of text', col('s').sum(), 'sum(s)'],
    ['mean of bool', col('b').mean(), 'avg(b)'],
    ['nested: the innermost offending expression', col('i').gt(0).and(col('s').add(1).gt(2)), 's + 1'],
  ] as [string, { node: ExprNode }, string][])('%s', (_name, e, culprit) => {
    const error = typeError(e)
    expect(error.code).toBe('TYPE_MISMATCH')
    expect(error.message.startsWith(`Type error in \`${culprit}\`: `)).toBe(true)
    expect(error.details.expression).toBe(culprit)
  })

  it('exact messages', () => {
    expect(typeError(col('s').add(1)).message).toMatchInlineSnapshot(
      `"Type error in \`s + 1\`: arithmetic needs numeric operands, got utf8 and int32. Cast with CAST(x AS float64) if the text holds numbers."`,
    )
    expect(typeError(col('s').gt(1)).message).toMatchInlineSnapshot(
      `"Type error in \`s > 1\`: cannot compare utf8 with int32. Compare with a value of the same type, or CAST one side."`,
    )
    expect(typeError(col('b').eq(col('i'))).message).toMatchInlineSnapshot(
      `"Type error in \`b = i\`: cannot compare bool with int32. CAST one side to the type of the other."`,
    )
    expect(typeError(col('b').and(col('i'))).message).toMatchInlineSnapshot(
      `"Type error in \`b AND i\`: AND / OR / NOT need bool operands, got int32. Compare the value first, e.g. \`x > 0\`."`,
    )
    expect(typeError(col('i').startsWith('1')).message).toMatchInlineSnapshot(
      `"Type error in \`starts_with(i, '1')\`: startsWith needs a utf8 operand, got int32. Cast it first: CAST(x AS utf8)."`,
    )
    expect(typeError(col('b').cast('date32')).message).toMatchInlineSnapshot(
      `"Type error in \`CAST(b AS date32)\`: cannot cast bool to date32. Cast through utf8, or compute the value differently."`,
    )
    expect(typeError(col('s').neg()).message).toMatchInlineSnapshot(
      `"Type error in \`-s\`: negation needs a numeric operand, got utf8."`,
    )
    expect(typeError(col('s').sum()).message).toMatchInlineSnapshot(
      `"Type error in \`sum(s)\`: sum needs a numeric input, got utf8."`,
    )
    expect(typeError(col('b').mean()).message).toMatchInlineSnapshot(
      `"Type error in \`avg(b)\`: avg needs a numeric input, got bool."`,
    )
    expect(typeError(col('i').gt(0).and(col('s').add(1).gt(2))).message).toMatchInlineSnapshot(
      `"Type error in \`s + 1\`: arithmetic needs numeric operands, got utf8 and int32. Cast with CAST(x AS float64) if the text holds numbers."`,
    )
  })
})

describe('unknown columns', () => {
  it('suggest the closest names and list every available column', () => {
    const wide = schemaFromRecord({ fare: 'float64', far: 'int32', tip: 'float64', vendor_id: 'utf8' })
    let error: unknown
    try {
      dtypeOf(col('fair').add(col('tip')).node, wide)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TsdaskError)
    const e = error as TsdaskError
    expect(e.code).toBe('UNKNOWN_COLUMN')
    expect(e.details).toEqual({ column: 'fair', available: ['fare', 'far', 'tip', 'vendor_id'] })
    expect(e.message).toMatchInlineSnapshot(
      `"Unknown column "fair". Did you mean "far" or "fare"? Available columns: "fare", "far", "tip", "vendor_id"."`,
    )
  })

  it('without a close name, list the columns only', () => {
    expect(() => dtypeOf(col('zzzzzzzz').node, schema)).toThrowErrorMatchingInlineSnapshot(
      `[TsdaskError: Unknown column "zzzzzzzz". Available columns: "b", "i", "l", "f", "s", "d", "t".]`,
    )
  })

  it('on an empty schema, say so', () => {
    expect(() => dtypeOf(col('x').node, [])).toThrowErrorMatchingInlineSnapshot(
      `[TsdaskError: Unknown column "x". Available columns: (none).]`,
    )
  })

  it('are found inside every kind of expression', () => {
    const uses = [
      col('nope').isNull(),
      col('nope').cast('utf8'),
      col('nope').isIn([1]),
      coalesceOf(col('i'), col('nope')),
      col('nope').lower(),
      col('nope').sum(),
      col('b').and(col('nope')),
    ]
    for (const e of uses) {
      expect(() => dtypeOf(e.node, schema), String(e)).toThrow(/^Unknown column "nope"\./)
    }
  })
})
