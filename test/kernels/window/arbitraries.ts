/**
 * Random tables and window specs for the window kernels' property tests. Values come from small
 * domains so partitions, ties and peers are common; every dtype appears as a partition key, an
 * ORDER BY key and a function input. Floats are quarters (sums exact in any order) plus NaN, -0
 * and ±∞; int64 values are small (exact prefix sums in doubles) or huge (BigInt sums).
 */
import fc from 'fast-check'
import type { SortKey } from '../../../src/kernels/physical-expr.js'
import type { FrameBound, WindowClause, WindowFrame, WindowFunctionSpec } from '../../../src/kernels/window/index.js'
import type { DType } from '../../../src/types/dtype.js'
import { maybe } from '../arbitraries.js'
import type { Cell } from '../helpers.js'

export const NAMES = ['g', 's', 'k', 'i', 'x', 'f', 'b', 'd', 't'] as const
export const DTYPES: readonly DType[] = [
  'int32',
  'utf8',
  'int32',
  'int32',
  'int64',
  'float64',
  'bool',
  'date32',
  'timestamp[ms]',
]
/** Columns usable as PARTITION BY keys: the low-cardinality ones. */
const PARTITION_COLUMNS = [0, 1, 6, 7]
const ORDER_COLUMNS = [0, 1, 2, 3, 4, 5, 6, 7, 8]
const NUMERIC_COLUMNS = [2, 3, 4, 5]

export const quarterOrSpecial = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -12, max: 12 }).map((n) => n / 4) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
)

const row = (bigInts: boolean): fc.Arbitrary<Cell[]> =>
  fc.tuple(
    maybe(fc.integer({ min: 0, max: 2 })),
    maybe(fc.constantFrom('a', 'b', 'é', 'B', '')),
    maybe(fc.integer({ min: -2, max: 2 })),
    maybe(fc.integer({ min: -2147483648, max: 2147483647 })),
    maybe(bigInts ? fc.bigInt({ min: -(2n ** 57n), max: 2n ** 57n }) : fc.bigInt({ min: -5n, max: 5n })),
    maybe(quarterOrSpecial),
    maybe(fc.boolean()),
    maybe(fc.integer({ min: 19000, max: 19003 })),
    maybe(fc.integer({ min: -3, max: 3 }).map((n) => 1_700_000_000_000 + n * 1000)),
  ) as fc.Arbitrary<Cell[]>

export interface WindowTable {
  readonly rows: Cell[][]
  /** Column s dictionary-encoded. */
  readonly dict: boolean
}

export const windowTable: fc.Arbitrary<WindowTable> = fc.record({
  dict: fc.boolean(),
  rows: fc.boolean().chain((big) => fc.array(row(big), { maxLength: 40 })),
})

export function kindsOf(t: WindowTable): (DType | 'dict')[] {
  return DTYPES.map((d, i) => (i === 1 && t.dict ? 'dict' : d))
}

const sortKey: fc.Arbitrary<SortKey> = fc.record({
  index: fc.constantFrom(...ORDER_COLUMNS),
  descending: fc.boolean(),
  nullsFirst: fc.boolean(),
})

export const clause: fc.Arbitrary<WindowClause> = fc.record({
  partitionBy: fc.uniqueArray(fc.constantFrom(...PARTITION_COLUMNS), { maxLength: 2 }),
  orderBy: fc.array(sortKey, { maxLength: 2 }),
})

const offset = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(1000))

/** Bounds by their place around the current row, so a valid frame is two of them in order. */
const bound: fc.Arbitrary<FrameBound> = fc.oneof(
  fc.constant({ kind: 'unboundedPreceding' } as const),
  offset.map((o) => ({ kind: 'preceding', offset: o }) as const),
  fc.constant({ kind: 'currentRow' } as const),
  offset.map((o) => ({ kind: 'following', offset: o }) as const),
  fc.constant({ kind: 'unboundedFollowing' } as const),
)

function place(b: FrameBound): number {
  switch (b.kind) {
    case 'unboundedPreceding':
      return Number.NEGATIVE_INFINITY
    case 'preceding':
      return -b.offset
    case 'currentRow':
      return 0
    case 'following':
      return b.offset
    case 'unboundedFollowing':
      return Number.POSITIVE_INFINITY
  }
}

const isOffset = (b: FrameBound): boolean => b.kind === 'preceding' || b.kind === 'following'

export const frame: fc.Arbitrary<WindowFrame> = fc
  .tuple(fc.constantFrom('rows' as const, 'range' as const), bound, bound)
  .filter(([, a, b]) => a.kind !== 'unboundedFollowing' && b.kind !== 'unboundedPreceding' && place(a) <= place(b))
  .map(([unit, start, end]) => ({
    unit: unit === 'range' && (isOffset(start) || isOffset(end)) ? 'rows' : unit,
    start,
    end,
  }))

const maybeFrame = fc.option(frame, { nil: undefined })
const anyColumn = fc.integer({ min: 0, max: NAMES.length - 1 })
const withDType = (input: number) => ({ input, inputDType: DTYPES[input]! })

/** A random function spec over the table's columns (frames random or the default). */
export const functionSpec: fc.Arbitrary<WindowFunctionSpec> = fc.oneof(
  fc
    .constantFrom(
      'rowNumber' as const,
      'rank' as const,
      'denseRank' as const,
      'percentRank' as const,
      'cumeDist' as const,
    )
    .map((fn) => ({ fn, name: fn })),
  fc.integer({ min: 1, max: 5 }).map((buckets) => ({ fn: 'ntile' as const, buckets, name: 'ntile' })),
  fc
    .record({
      fn: fc.constantFrom('lag' as const, 'lead' as const),
      input: anyColumn,
      offset: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
      ignoreNulls: fc.boolean(),
      defaultKind: fc.constantFrom('none', 'column', 'literal'),
    })
    .map(({ fn, input, offset: o, ignoreNulls, defaultKind }) => ({
      fn,
      name: fn,
      ...withDType(input),
      ...(o !== undefined && { offset: o }),
      ...(ignoreNulls && { ignoreNulls }),
      ...(defaultKind === 'column' && { default: { kind: 'column' as const, index: input } }),
      ...(defaultKind === 'literal' && { default: { kind: 'literal' as const, value: sampleLiteral(DTYPES[input]!) } }),
    })),
  fc
    .record({
      fn: fc.constantFrom('firstValue' as const, 'lastValue' as const),
      input: anyColumn,
      ignoreNulls: fc.boolean(),
      frame: maybeFrame,
    })
    .map(({ fn, input, ignoreNulls, frame: f }) => ({
      fn,
      name: fn,
      ...withDType(input),
      ...(ignoreNulls && { ignoreNulls }),
      ...(f && { frame: f }),
    })),
  fc
    .record({ input: anyColumn, n: fc.integer({ min: 1, max: 4 }), ignoreNulls: fc.boolean(), frame: maybeFrame })
    .map(({ input, n, ignoreNulls, frame: f }) => ({
      fn: 'nthValue' as const,
      name: 'nth',
      n,
      ...withDType(input),
      ...(ignoreNulls && { ignoreNulls }),
      ...(f && { frame: f }),
    })),
  fc
    .record({
      fn: fc.constantFrom('sum' as const, 'mean' as const),
      input: fc.constantFrom(...NUMERIC_COLUMNS),
      frame: maybeFrame,
    })
    .map(({ fn, input, frame: f }) => ({ fn, name: fn, ...withDType(input), ...(f && { frame: f }) })),
  fc
    .record({
      fn: fc.constantFrom('min' as const, 'max' as const, 'count' as const),
      input: anyColumn,
      frame: maybeFrame,
    })
    .map(({ fn, input, frame: f }) => ({ fn, name: fn, ...withDType(input), ...(f && { frame: f }) })),
  maybeFrame.map((f) => ({ fn: 'countAll' as const, name: 'countAll', ...(f && { frame: f }) })),
)

/** A JSON-safe literal of each dtype (int64 as a decimal string). */
export function sampleLiteral(dtype: DType): string | number | boolean {
  switch (dtype) {
    case 'int32':
      return -7
    case 'int64':
      return '-9007199254740993'
    case 'float64':
      return 0.5
    case 'utf8':
      return 'default'
    case 'bool':
      return true
    case 'date32':
      return 18000
    case 'timestamp[ms]':
      return 1_600_000_000_000
  }
}
