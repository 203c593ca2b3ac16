import { describe, expect, it } from 'vitest'
import { col, count, lit } from '../../src/expr/builder.js'
import type { LogicalPlan } from '../../src/plan/plan.js'
import { schemaOf } from '../../src/plan/schema-of.js'
import { formatSchema } from '../../src/types/schema.js'
import { TsdaskError } from '../../src/util/errors.js'
import { trips } from '../support/plan-builders.js'

const schema = (plan: LogicalPlan) => formatSchema(schemaOf(plan))

function planError(plan: LogicalPlan): TsdaskError {
  try {
    schemaOf(plan)
  } catch (error) {
    expect(error).toBeInstanceOf(TsdaskError)
    return withoutLine(error as TsdaskError)
  }
  throw new Error('expected schemaOf to throw')
}

/** Call sites move with edits to the test files; keep only the file name in messages. */
function withoutLine(e: TsdaskError): TsdaskError {
  return new TsdaskError(e.code, e.message.replace(/\.ts:\d+:\d+$/, '.ts:<line>:<col>'), e.details)
}

/** The error a DataFrame step throws (frames validate their plan when built). */
function stepError(f: () => unknown): TsdaskError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(TsdaskError)
    return withoutLine(error as TsdaskError)
  }
  throw new Error('expected the step to throw')
}

describe('schemaOf derives each node', () => {
  const base = trips()

  it('Scan: the source schema, or the listed columns in the listed order', () => {
    expect(schema(base.plan)).toBe('vendor: utf8, fare: float64, tip: float64, passengers: int32, day: date32')
    const scan = base.plan as Extract<LogicalPlan, { kind: 'Scan' }>
    expect(schema({ ...scan, columns: ['tip', 'vendor'] })).toBe('tip: float64, vendor: utf8')
    expect(schema({ ...scan, columns: [] })).toBe('')
  })

  it('Filter, Sort and Limit pass their input schema through', () => {
    const input = base.select('fare', 'vendor')
    expect(schema(input.filter(col('fare').gt(1)).plan)).toBe('fare: float64, vendor: utf8')
    expect(schema(input.sort('vendor').plan)).toBe('fare: float64, vendor: utf8')
    expect(schema(input.limit(3, 1).plan)).toBe('fare: float64, vendor: utf8')
  })

  it('Project: one field per expression, in order, typed by the expression', () => {
    const plan = base.withColumns({
      total: col('fare').add(col('tip')),
      perHead: col('fare').div(col('passengers')),
      big: col('passengers').add(1n),
      name: col('vendor').lower(),
      fare: col('fare').cast('utf8'),
    }).plan
    expect(schema(plan)).toMatchInlineSnapshot(
      `"vendor: utf8, fare: utf8, tip: float64, passengers: int32, day: date32, total: float64, perHead: float64, big: int64, name: utf8"`,
    )
    expect(schema(base.rename({ fare: 'price' }).drop('tip', 'day').plan)).toBe(
      'vendor: utf8, price: float64, passengers: int32',
    )
  })

  it('Aggregate: the keys, then one field per aggregation', () => {
    const plan = base.groupBy('vendor', 'day').agg({
      n: count(),
      fares: col('fare').count(),
      seats: col('passengers').sum(),
      total: col('fare').sum(),
      avgTip: col('tip').mean(),
      first: col('day').min(),
      last: col('vendor').max(),
    }).plan
    expect(schema(plan)).toMatchInlineSnapshot(
      `"vendor: utf8, day: date32, n: int64, fares: int64, seats: int64, total: float64, avgTip: float64, first: date32, last: utf8"`,
    )
    expect(schema(base.agg({ n: count() }).plan)).toBe('n: int64')
  })
})

describe('schemaOf rejects invalid plans', () => {
  const input = trips().plan

  it('a filter whose predicate is not bool', () => {
    const e = planError({ kind: 'Filter', input, predicate: col('fare').node })
    expect(e.code).toBe('TYPE_MISMATCH')
    expect(e.message).toMatchInlineSnapshot(
      `"filter needs a bool predicate, but \`fare\` is float64. Compare it, e.g. \`fare > 0\`."`,
    )
    expect(stepError(() => trips().filter(col('passengers').add(1) as never)).message).toMatchInlineSnapshot(`
      "filter needs a bool predicate, but \`passengers + 1\` is int32. Compare it, e.g. \`passengers + 1 > 0\`.
        in filter built at test/plan/schema-of.test.ts:<line>:<col>"
    `)
  })

  it('accepts a NULL predicate (it keeps no rows) and a bool column', () => {
    expect(schema({ kind: 'Filter', input, predicate: lit(null).node })).toContain('vendor: utf8')
    expect(schema({ kind: 'Filter', input, predicate: col('vendor').isNull().node })).toContain('vendor: utf8')
  })

  it('an aggregate inside a filter', () => {
    const e = planError({ kind: 'Filter', input, predicate: col('fare').sum().gt(10).node })
    expect(e.code).toBe('INVALID_ARGUMENT')
    expect(e.message).toMatchInlineSnapshot(
      `"filter \`sum(fare) > 10\` uses an aggregate; filter after groupBy(...).agg(...) instead."`,
    )
  })

  it('an aggregate inside a projection', () => {
    const e = stepError(() => trips().withColumns({ total: col('fare').sum() }))
    expect(e.code).toBe('INVALID_ARGUMENT')
    expect(e.message).toMatchInlineSnapshot(`
      "\`sum(fare)\` is an aggregate; use groupBy(...).agg({ total: ... }) for aggregates.
        in project built at test/plan/schema-of.test.ts:<line>:<col>"
    `)
  })

  it('duplicate output names in a projection', () => {
    const e = planError({
      kind: 'Project',
      input,
      exprs: [
        { name: 'x', expr: col('fare').node },
        { name: 'x', expr: col('tip').node },
      ],
    })
    expect(e.code).toBe('INVALID_ARGUMENT')
    expect(e.message).toMatchInlineSnapshot(
      `"column "x" appears twice in the projection; give each output column a unique name."`,
    )
    expect(stepError(() => trips().rename({ fare: 'tip' })).message).toMatchInlineSnapshot(`
      "column "tip" appears twice in the projection; give each output column a unique name.
        in project built at test/plan/schema-of.test.ts:<line>:<col>"
    `)
  })

  it('duplicate output names in an aggregation (a key and an aggregate)', () => {
    const e = stepError(() => trips().groupBy('vendor').agg({ vendor: count() }))
    expect(e.code).toBe('INVALID_ARGUMENT')
    expect(e.message).toMatchInlineSnapshot(`
      "output column "vendor" appears twice in the aggregation; rename one of them.
        in aggregate built at test/plan/schema-of.test.ts:<line>:<col>"
    `)
  })

  it('an aggregate nested in an aggregate', () => {
    const e = stepError(() => trips().agg({ x: col('fare').sum().max() }))
    expect(e.code).toBe('INVALID_ARGUMENT')
    expect(e.message).toMatchInlineSnapshot(`
      "\`max(sum(fare))\` nests an aggregate inside another; compute the inner one in a separate agg() first.
        in aggregate built at test/plan/schema-of.test.ts:<line>:<col>"
    `)
  })

  it('a negative or fractional limit or offset', () => {
    expect(stepError(() => trips().limit(-1)).message).toMatchInlineSnapshot(`
      "limit and offset must be non-negative integers, got limit -1, offset 0.
        in limit built at test/plan/schema-of.test.ts:<line>:<col>"
    `)
    expect(stepError(() => trips().limit(2, -3)).code).toBe('INVALID_ARGUMENT')
    expect(stepError(() => trips().limit(1.5)).code).toBe('INVALID_ARGUMENT')
    expect(stepError(() => trips().limit(Number.NaN)).code).toBe('INVALID_ARGUMENT')
    expect(schema(trips().limit(0).plan)).toContain('vendor')
  })

  it('unknown columns, saying where', () => {
    const scan = input as Extract<LogicalPlan, { kind: 'Scan' }>
    expect(planError({ ...scan, columns: ['fair'] }).message).toMatchInlineSnapshot(`
      "Unknown column "fair" in scan of records. Did you mean "fare"? Available columns: "vendor", "fare", "tip", "passengers", "day".
        in scan built at test/support/plan-builders.ts:<line>:<col>"
    `)
    expect(
      planError({ kind: 'Sort', input, keys: [{ column: 'tips', descending: false, nullsFirst: false }] }).message,
    ).toMatchInlineSnapshot(
      `"Unknown column "tips" in sort. Did you mean "tip"? Available columns: "vendor", "fare", "tip", "passengers", "day"."`,
    )
    expect(planError({ kind: 'Aggregate', input, keys: ['vendr'], aggs: [] }).message).toMatchInlineSnapshot(
      `"Unknown column "vendr" in groupBy. Did you mean "vendor"? Available columns: "vendor", "fare", "tip", "passengers", "day"."`,
    )
    const e = stepError(() => trips().filter(col('fair').gt(1) as never))
    expect(e.code).toBe('UNKNOWN_COLUMN')
    expect(e.details.origin).toMatch(/^test\/plan\/schema-of\.test\.ts:\d+:\d+$/)
    expect(e.message).toMatchInlineSnapshot(`
      "Unknown column "fair". Did you mean "fare"? Available columns: "vendor", "fare", "tip", "passengers", "day".
        in filter built at test/plan/schema-of.test.ts:<line>:<col>"
    `)
  })

  it('errors in an input are reported once, with the innermost call site', () => {
    const bad: LogicalPlan = { kind: 'Filter', input, predicate: col('nope').node, origin: 'report.ts:1:1' }
    const e = planError({ kind: 'Limit', input: bad, limit: 1, offset: 0, origin: 'report.ts:2:1' })
    expect(e.details.origin).toBe('report.ts:1:1')
    expect(e.message.match(/built at/g)).toHaveLength(1)
  })
})
