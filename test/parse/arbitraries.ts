/**
 * Random expression trees in canonical form (the form the parser produces: int32 literals as JS
 * numbers, int64 as bigints, date32 at midnight UTC), for print → parse round trips.
 */
import fc from 'fast-check'
import type { BinaryOp, ExprNode, LiteralNode, ScalarFn, UnaryOp } from '../../src/expr/expr-node.js'
import { DTYPES } from '../../src/types/dtype.js'

const NAMES = [
  'a',
  'fare',
  'Fare',
  'select',
  'ORDER',
  'date',
  'left',
  'count',
  'my col',
  'a"b',
  'x_1',
  'NULL',
  'café',
  'line\nbreak',
]
const BINARY_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'mod', 'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'and', 'or']
const UNARY_OPS: UnaryOp[] = ['not', 'negate', 'isNull', 'isNotNull']
const DAY = 86_400_000
const MIN_MS = Date.UTC(1900, 0, 1)
const MAX_MS = Date.UTC(2200, 0, 1)

const text = fc.oneof(fc.string(), fc.constantFrom("it's", '--x', '/* y */', '"q"', 'ünï', 'a\nb', ''))

export const literal: fc.Arbitrary<LiteralNode> = fc.oneof(
  fc.constant<LiteralNode>({ kind: 'Literal', value: null, dtype: null }),
  fc.constantFrom(...DTYPES).map((dtype): LiteralNode => ({ kind: 'Literal', value: null, dtype })),
  fc.boolean().map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'bool' })),
  fc.integer().map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'int32' })),
  fc
    .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    .map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'int64' })),
  fc.double().map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'float64' })),
  text.map((v): LiteralNode => ({ kind: 'Literal', value: v, dtype: 'utf8' })),
  fc
    .integer({ min: MIN_MS / DAY, max: MAX_MS / DAY })
    .map((d): LiteralNode => ({ kind: 'Literal', value: new Date(d * DAY), dtype: 'date32' })),
  fc
    .integer({ min: MIN_MS, max: MAX_MS })
    .map((ms): LiteralNode => ({ kind: 'Literal', value: new Date(ms), dtype: 'timestamp[ms]' })),
)

/** Argument counts the function table accepts for each scalar function. */
const CALL_ARITY: Record<ScalarFn, readonly number[]> = {
  abs: [1],
  round: [1, 2],
  floor: [1],
  ceil: [1],
  substr: [2, 3],
  year: [1],
  month: [1],
  day: [1],
}

export const column = fc.constantFrom(...NAMES).map((name): ExprNode => ({ kind: 'Column', name }))

export const expr: fc.Arbitrary<ExprNode> = fc.letrec<{ expr: ExprNode }>((tie) => ({
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
      pattern: text,
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
    fc.record({
      kind: fc.constant('Agg' as const),
      fn: fc.constantFrom('stddev', 'variance', 'median', 'countDistinct' as const),
      arg: tie('expr'),
    }),
    fc.record({
      kind: fc.constant('Agg' as const),
      fn: fc.constant('corr' as const),
      arg: tie('expr'),
      arg2: tie('expr'),
    }),
    fc.record({
      kind: fc.constant('String' as const),
      fn: fc.constant('like' as const),
      arg: tie('expr'),
      pattern: text,
    }),
    fc.record({
      kind: fc.constant('Case' as const),
      branches: fc.array(fc.record({ condition: tie('expr'), value: tie('expr') }), { minLength: 1, maxLength: 3 }),
      otherwise: fc.option(tie('expr'), { nil: null }),
    }),
    fc.constantFrom(...(Object.keys(CALL_ARITY) as ScalarFn[])).chain((fn) =>
      fc
        .constantFrom(...CALL_ARITY[fn])
        .chain((n) => fc.array(tie('expr'), { minLength: n, maxLength: n }))
        .map((args): ExprNode => ({ kind: 'Call', fn, args })),
    ),
  ),
})).expr
