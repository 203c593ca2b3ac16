import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { col, count, type Expr, lit } from '../../src/expr/builder.js'
import type { BinaryOp, ExprNode, LiteralNode, UnaryOp } from '../../src/expr/expr-node.js'
import { printExpr, printIdentifier, printLiteral } from '../../src/expr/print.js'
import { exprSignature } from '../../src/expr/visit.js'
import { DTYPES } from '../../src/types/dtype.js'
import { coalesceOf } from '../support/plan-builders.js'

const p = (e: { node: ExprNode }) => printExpr(e.node)
const a = col('a')
const b = col('b')
const c = col('c')

describe('printExpr: precedence and parentheses', () => {
  it('adds parentheses only where precedence needs them', () => {
    expect([
      p(a.add(b).mul(c)),
      p(a.mul(b).add(c)),
      p(a.mul(b.add(c))),
      p(a.sub(b).sub(c)),
      p(a.sub(b.sub(c))),
      p(a.div(b).mul(c)),
      p(a.div(b.mul(c))),
      p(a.mod(b).add(c.mod(2))),
    ]).toMatchInlineSnapshot(`
      [
        "(a + b) * c",
        "a * b + c",
        "a * (b + c)",
        "a - b - c",
        "a - (b - c)",
        "a / b * c",
        "a / (b * c)",
        "a % b + c % 2",
      ]
    `)
  })

  it('AND binds tighter than OR; NOT binds looser than comparisons', () => {
    expect([
      p(a.gt(1).or(b.gt(2)).and(c.gt(3))),
      p(a.gt(1).or(b.gt(2).and(c.gt(3)))),
      p(a.gt(1).and(b.gt(2)).or(c.gt(3))),
      p(a.gt(1).and(b.gt(2).and(c.gt(3)))),
      p(a.gt(1).and(b.gt(2)).not()),
      p(a.eq(b).not()),
      p(a.not().and(b)),
      p(b.and(a.not())),
      p(a.not().not()),
      p(a.not().eq(b)),
      p(b.eq(a.not())),
    ]).toMatchInlineSnapshot(`
      [
        "(a > 1 OR b > 2) AND c > 3",
        "a > 1 OR b > 2 AND c > 3",
        "a > 1 AND b > 2 OR c > 3",
        "a > 1 AND (b > 2 AND c > 3)",
        "NOT (a > 1 AND b > 2)",
        "NOT a = b",
        "NOT a AND b",
        "b AND NOT a",
        "NOT NOT a",
        "(NOT a) = b",
        "b = (NOT a)",
      ]
    `)
  })

  it('comparisons do not chain', () => {
    expect([p(a.eq(b).eq(c)), p(a.eq(b.eq(c))), p(a.add(1).lte(b.mul(2))), p(a.between(1, 10))]).toMatchInlineSnapshot(`
      [
        "(a = b) = c",
        "a = (b = c)",
        "a + 1 <= b * 2",
        "a >= 1 AND a <= 10",
      ]
    `)
  })

  it('unary minus, IS NULL and IN', () => {
    expect([
      p(a.neg()),
      p(a.add(b).neg()),
      p(a.neg().neg()),
      p(a.neg().mul(b)),
      p(a.mul(b.neg())),
      p(a.sub(b.neg())),
      p(a.isNull()),
      p(a.add(b).isNotNull()),
      p(a.eq(b).isNull()),
      p(a.isNull().not()),
      p(a.isNull().eq(b.isNotNull())),
      p(a.add(1).isIn([1, 2, null])),
      p(a.eq(1).isIn([true])),
    ]).toMatchInlineSnapshot(`
      [
        "-a",
        "-(a + b)",
        "-(-a)",
        "-a * b",
        "a * -b",
        "a - -b",
        "a IS NULL",
        "a + b IS NOT NULL",
        "(a = b) IS NULL",
        "NOT a IS NULL",
        "(a IS NULL) = (b IS NOT NULL)",
        "a + 1 IN (1, 2, NULL)",
        "(a = 1) IN (TRUE)",
      ]
    `)
  })

  it('function-like forms print their arguments without extra parentheses', () => {
    expect([
      p(a.add(b).cast('float64')),
      p(a.cast('timestamp[ms]')),
      p(coalesceOf(a.add(1), b, 0)),
      p(col('s').startsWith("O'Hare")),
      p(col('s').endsWith('x')),
      p(col('s').contains('%')),
      p(col('s').lower().upper().length()),
      p(a.add(b).sum()),
      p(a.mean()),
      p(a.count()),
      p(count()),
      p(a.min()),
      p(a.max().sub(a.min())),
    ]).toMatchInlineSnapshot(`
      [
        "CAST(a + b AS float64)",
        "CAST(a AS timestamp)",
        "coalesce(a + 1, b, 0)",
        "starts_with(s, 'O''Hare')",
        "ends_with(s, 'x')",
        "contains(s, '%')",
        "length(upper(lower(s)))",
        "sum(a + b)",
        "avg(a)",
        "count(a)",
        "count(*)",
        "min(a)",
        "max(a) - min(a)",
      ]
    `)
  })
})

describe('printIdentifier', () => {
  it('quotes only names that need it, doubling embedded quotes', () => {
    const names = [
      'fare',
      'Fare_2',
      '_x',
      'select',
      'SELECT',
      'Date',
      'null',
      'my col',
      '2nd',
      'a"b',
      'naïve',
      '',
      'count',
    ]
    expect(names.map(printIdentifier)).toMatchInlineSnapshot(`
      [
        "fare",
        "Fare_2",
        "_x",
        ""select"",
        ""SELECT"",
        ""Date"",
        ""null"",
        ""my col"",
        ""2nd"",
        ""a""b"",
        ""naïve"",
        """",
        "count",
      ]
    `)
  })
})

describe('literals of every dtype', () => {
  const lits = (...xs: LiteralNode[]) => xs.map(printLiteral)
  const node = (e: Expr<never, never> | { node: ExprNode }) => e.node as LiteralNode

  it('bool, int32, int64, float64, utf8', () => {
    expect(
      lits(
        node(lit(true)),
        node(lit(false)),
        node(lit(0)),
        node(lit(-42)),
        node(lit(2147483647)),
        node(lit(123n)),
        node(lit(-9007199254740993n)),
        node(lit(7, 'int64')),
        node(lit(2.5)),
        node(lit(3, 'float64')),
        node(lit(1e21)),
        node(lit(1e-7)),
        node(lit(Number.NaN)),
        node(lit(Number.POSITIVE_INFINITY)),
        node(lit(Number.NEGATIVE_INFINITY)),
        node(lit('')),
        node(lit("it's")),
        node(lit('two\nlines')),
      ),
    ).toMatchInlineSnapshot(`
      [
        "TRUE",
        "FALSE",
        "0",
        "-42",
        "2147483647",
        "CAST(123 AS int64)",
        "CAST(-9007199254740993 AS int64)",
        "CAST(7 AS int64)",
        "2.5",
        "3.0",
        "1e+21",
        "1e-7",
        "CAST('NaN' AS float64)",
        "CAST('Infinity' AS float64)",
        "CAST('-Infinity' AS float64)",
        "''",
        "'it''s'",
        "'two
      lines'",
      ]
    `)
  })

  it('a float literal never reads back as an integer', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = printLiteral({ kind: 'Literal', value: x, dtype: 'float64' })
        expect(text).toMatch(/[.eE]/)
        // -0 prints as -0.0: the parser reads every float literal back exactly.
        expect(Number(text)).toBe(x)
      }),
    )
  })

  it('date32 and timestamp[ms] (UTC), and typed and untyped NULL', () => {
    const t = new Date(Date.UTC(2024, 1, 29, 13, 5, 9, 7))
    expect(
      lits(
        node(lit(t, 'date32')),
        node(lit(t)),
        node(lit(new Date(0))),
        node(lit(null)),
        ...DTYPES.map((d) => node(lit(null, d))),
      ),
    ).toMatchInlineSnapshot(`
      [
        "DATE '2024-02-29'",
        "TIMESTAMP '2024-02-29 13:05:09.007'",
        "TIMESTAMP '1970-01-01 00:00:00.000'",
        "NULL",
        "CAST(NULL AS bool)",
        "CAST(NULL AS int32)",
        "CAST(NULL AS int64)",
        "CAST(NULL AS float64)",
        "CAST(NULL AS utf8)",
        "CAST(NULL AS date32)",
        "CAST(NULL AS timestamp)",
      ]
    `)
  })

  it('negating a negative literal prints `--`, which starts an SQL line comment', () => {
    expect(p(lit(-5).neg())).toBe('-(-5)')
    expect(p(lit(-2.5).neg())).not.toContain('--')
  })
})

// ---------------------------------------------------------------------------------------------
// Properties over random expression trees

const NAMES = ['a', 'fare', 'select', 'my col', 'a"b', 'x_1', 'NULL']
const BINARY_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'mod', 'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'and', 'or']
const UNARY_OPS: UnaryOp[] = ['not', 'negate', 'isNull', 'isNotNull']

const column = fc.constantFrom(...NAMES).map((name): ExprNode => ({ kind: 'Column', name }))
const date = fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
const literal: fc.Arbitrary<LiteralNode> = fc.oneof(
  fc.constant<LiteralNode>({ kind: 'Literal', value: null, dtype: null }),
  fc.constantFrom(...DTYPES).map((dtype): LiteralNode => ({ kind: 'Literal', value: null, dtype })),
  fc.boolean().map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'bool' })),
  fc.integer().map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'int32' })),
  fc
    .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    .map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'int64' })),
  fc.double().map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'float64' })),
  fc
    .string()
    .filter((s) => !s.includes('undefined') && !s.includes('[object'))
    .map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'utf8' })),
  date.map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'date32' })),
  date.map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'timestamp[ms]' })),
)

const { expr } = fc.letrec<{ expr: ExprNode }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    column,
    literal,
    fc.record({
      kind: fc.constant('Binary' as const),
      op: fc.constantFrom(...BINARY_OPS),
      left: tie('expr'),
      right: tie('expr'),
    }),
    fc.record({ kind: fc.constant('Unary' as const), op: fc.constantFrom(...UNARY_OPS), arg: tie('expr') }),
    fc.record({ kind: fc.constant('Cast' as const), arg: tie('expr'), dtype: fc.constantFrom(...DTYPES) }),
    fc.record({
      kind: fc.constant('IsIn' as const),
      arg: tie('expr'),
      values: fc.array(literal, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('Coalesce' as const), args: fc.array(tie('expr'), { minLength: 1, maxLength: 3 }) }),
    fc.record({
      kind: fc.constant('String' as const),
      fn: fc.constantFrom('startsWith', 'endsWith', 'contains' as const),
      arg: tie('expr'),
      pattern: fc.constantFrom('', 'x', "it's", '%_'),
    }),
    fc.record({
      kind: fc.constant('String' as const),
      fn: fc.constantFrom('lower', 'upper', 'length' as const),
      arg: tie('expr'),
    }),
    fc.record({
      kind: fc.constant('Agg' as const),
      fn: fc.constantFrom('sum', 'mean', 'count', 'min', 'max' as const),
      arg: tie('expr'),
    }),
    fc.constant<ExprNode>({ kind: 'Agg', fn: 'countAll', arg: null }),
  ),
}))

describe('printExpr properties', () => {
  it('never prints `undefined` or `[object …]`, and is deterministic', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printExpr(e)
        expect(text).not.toContain('undefined')
        expect(text).not.toContain('[object')
        expect(printExpr(e)).toBe(text)
        // A structural copy (new objects, new Dates) prints the same and has the same signature.
        const copy = structuredClone(e)
        expect(printExpr(copy)).toBe(text)
        expect(exprSignature(copy)).toBe(exprSignature(e))
      }),
    )
  })

  it('the reference parser tells the groupings apart (so the next property can fail)', () => {
    const sig = (text: string) => exprSignature(parseOperators(text))
    expect(sig('a - b - c')).toBe(exprSignature(a.sub(b).sub(c).node))
    expect(sig('a - (b - c)')).toBe(exprSignature(a.sub(b.sub(c)).node))
    expect(sig('NOT a = b')).toBe(exprSignature(a.eq(b).not().node))
    expect(sig('a OR b AND c')).toBe(exprSignature(a.or(b.and(c)).node))
    expect(sig('a + b IS NULL')).toBe(exprSignature(a.add(b).isNull().node))
  })

  it('parentheses match the tree: a small precedence parser reads the text back to the same tree', () => {
    const operators = fc.letrec<{ expr: ExprNode }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        column,
        fc.nat().map((v): ExprNode => ({ kind: 'Literal', value: v, dtype: 'int32' })),
        fc.record({
          kind: fc.constant('Binary' as const),
          op: fc.constantFrom(...BINARY_OPS),
          left: tie('expr'),
          right: tie('expr'),
        }),
        fc.record({ kind: fc.constant('Unary' as const), op: fc.constantFrom(...UNARY_OPS), arg: tie('expr') }),
      ),
    })).expr
    fc.assert(
      fc.property(operators, (e) => {
        expect(exprSignature(parseOperators(printExpr(e)))).toBe(exprSignature(e))
      }),
      { numRuns: 500 },
    )
  })
})

/**
 * A reference parser for the operator subset of the printed syntax (columns, non-negative int32
 * literals, binary operators, NOT, unary minus, IS [NOT] NULL), with SQL's precedence:
 * OR < AND < NOT < comparison, IS NULL < + - < * / % < unary minus.
 */
function parseOperators(text: string): ExprNode {
  const tokens = text.match(/"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*|\d+|<=|>=|!=|[-+*/%=<>()]/g) ?? []
  let i = 0
  const peek = () => tokens[i]
  const next = () => tokens[i++] ?? ''
  const expectToken = (t: string) => {
    if (next().toUpperCase() !== t) throw new Error(`expected ${t} in ${text}`)
  }
  const LEVEL: Record<string, [BinaryOp, number]> = {
    OR: ['or', 1],
    AND: ['and', 2],
    '=': ['eq', 4],
    '!=': ['neq', 4],
    '<': ['lt', 4],
    '<=': ['lte', 4],
    '>': ['gt', 4],
    '>=': ['gte', 4],
    '+': ['add', 5],
    '-': ['sub', 5],
    '*': ['mul', 6],
    '/': ['div', 6],
    '%': ['mod', 6],
  }
  const prefix = (): ExprNode => {
    const t = next()
    if (t.toUpperCase() === 'NOT') return { kind: 'Unary', op: 'not', arg: parse(3) }
    if (t === '-') return { kind: 'Unary', op: 'negate', arg: parse(7) }
    if (t === '(') {
      const e = parse(0)
      expectToken(')')
      return e
    }
    if (/^\d+$/.test(t)) return { kind: 'Literal', value: Number(t), dtype: 'int32' }
    if (t.startsWith('"')) return { kind: 'Column', name: t.slice(1, -1).replaceAll('""', '"') }
    return { kind: 'Column', name: t }
  }
  const parse = (min: number): ExprNode => {
    let left = prefix()
    for (;;) {
      const t = peek()?.toUpperCase()
      if (t === undefined) return left
      if (t === 'IS' && min <= 4) {
        next()
        const negated = peek()?.toUpperCase() === 'NOT'
        if (negated) next()
        expectToken('NULL')
        left = { kind: 'Unary', op: negated ? 'isNotNull' : 'isNull', arg: left }
        continue
      }
      const op = LEVEL[t]
      if (!op || op[1] < min) return left
      next()
      left = { kind: 'Binary', op: op[0], left, right: parse(op[1] + 1) }
    }
  }
  const e = parse(0)
  if (i !== tokens.length) throw new Error(`trailing tokens in ${text}`)
  return e
}
