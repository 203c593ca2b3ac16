/**
 * Plans that share a sub-plan under different parameters: one random base frame, then two or
 * three variants of one step over it (limits with other sizes or offsets, top-k over one sort,
 * other sort orders, other filters, min and max over one grouping, other computed columns),
 * joined with `unionAll` into one graph, sometimes with the base itself. Issue 13: two limits over
 * one sort got one task key, so one limit's rows stood in for the other's.
 *
 * - results ≡ the reference interpreter, on sync (optimizer on and off) and on the pool;
 * - no key names two different tasks: every task of the union's graph and of each variant's graph
 *   lowered alone, optimized or not, has one (op, args, deps) per key.
 *
 * TSDASK_PROPERTY_RUNS (default 100) and TSDASK_PROPERTY_SEED as in engine.property.test.ts.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { stableStringify } from '../../src/graph/hash.js'
import type { Key } from '../../src/graph/task-graph.js'
import { col, count, shutdown } from '../../src/index.js'
import { lowerPlan } from '../../src/lower/lower.js'
import { optimize } from '../../src/optimize/optimizer.js'
import type { LogicalPlan } from '../../src/plan/plan.js'
import { expectSameRows } from '../support/compare-rows.js'
import { reference, run } from '../support/engine-runs.js'
import {
  type AnyExpr,
  type AnyFrame,
  applyPipeline,
  boolExpr,
  describeStep,
  type Field,
  frameOf,
  isOrdered,
  numericExpr,
  type Pipeline,
  type RandomTable,
  randomPipeline,
  randomTable,
  type Step,
} from '../support/random-tables.js'

afterAll(() => shutdown())

const RUNS = Math.max(1, Number(process.env.TSDASK_PROPERTY_RUNS ?? 100))
const SEED = process.env.TSDASK_PROPERTY_SEED === undefined ? undefined : Number(process.env.TSDASK_PROPERTY_SEED)
const params = (numRuns: number) => ({ numRuns, verbose: 1 as const, ...(SEED !== undefined && { seed: SEED }) })

/** Steps of one kind that differ only in their parameters and leave one schema. */
interface Variants {
  /** Whether each variant's rows come in a defined order (the base's order is the base's business). */
  readonly ordered: boolean
  /** Whether the variants keep the base's schema, so the base itself can join the union. */
  readonly keepsSchema: boolean
  readonly steps: readonly (readonly Step[])[]
}

/** A column name the schema does not have yet. */
function freshName(fields: readonly Field[], prefix: string): string {
  let i = 0
  while (fields.some((f) => f.name === `${prefix}${i}`)) i++
  return `${prefix}${i}`
}

const several = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 2, maxLength: 3 })

const limitStep = fc
  .record({ n: fc.integer({ min: 0, max: 12 }), offset: fc.nat(4) })
  .map(({ n, offset }): Step => ({ kind: 'limit', n, offset }))

function sortStep(fields: readonly Field[]): fc.Arbitrary<Step> {
  return fc
    .shuffledSubarray([...fields], { minLength: 1, maxLength: Math.min(3, fields.length) })
    .chain((keys) =>
      fc.tuple(
        ...keys.map((k) =>
          fc.record({ column: fc.constant(k.name), descending: fc.boolean(), nullsFirst: fc.boolean() }),
        ),
      ),
    )
    .map((keys): Step => ({ kind: 'sort', keys }))
}

/** groupBy(keys).agg({ a0: f(x) }) for several f of one result dtype. */
function aggregateVariants(fields: readonly Field[]): fc.Arbitrary<Variants> {
  return fc
    .tuple(
      fc.shuffledSubarray([...fields], { minLength: 1, maxLength: Math.min(2, fields.length) }),
      fc.constantFrom(...fields),
      fc.boolean(),
    )
    .map(([keys, arg, counts]) => {
      const x = col(arg.name) as AnyExpr
      const aggs = counts
        ? [
            { expr: count() as AnyExpr, dtype: 'int64' as const, text: 'count()' },
            { expr: x.count() as AnyExpr, dtype: 'int64' as const, text: `count(${arg.name})` },
          ]
        : (['min', 'max'] as const).map((fn) => ({
            expr: x[fn]() as AnyExpr,
            dtype: arg.dtype,
            text: `${fn}(${arg.name})`,
          }))
      const steps = aggs.map((a): Step[] => [
        { kind: 'aggregate', keys: keys.map((k) => k.name), aggs: [[freshName(fields, 'm'), a]] },
      ])
      return { ordered: true, keepsSchema: false, steps }
    })
}

function variantsOf(fields: readonly Field[]): fc.Arbitrary<Variants> {
  const same = (ordered: boolean, steps: readonly (readonly Step[])[]): Variants => ({
    ordered,
    keepsSchema: true,
    steps,
  })
  const computed = several(numericExpr(fields)).map((exprs) => exprs.filter((e) => e.dtype === exprs[0]!.dtype))
  return fc.oneof(
    several(limitStep).map((limits) =>
      same(
        false,
        limits.map((l) => [l]),
      ),
    ),
    fc.tuple(sortStep(fields), several(limitStep)).map(([sort, limits]) =>
      same(
        true,
        limits.map((l) => [sort, l]),
      ),
    ),
    several(sortStep(fields)).map((sorts) =>
      same(
        true,
        sorts.map((s) => [s]),
      ),
    ),
    several(boolExpr(fields)).map((predicates) =>
      same(
        false,
        predicates.map((predicate) => [{ kind: 'filter', predicate }]),
      ),
    ),
    aggregateVariants(fields),
    computed.map(
      (exprs): Variants => ({
        ordered: false,
        keepsSchema: false,
        steps: exprs.map((e): Step[] => [{ kind: 'withColumns', exprs: [[freshName(fields, 'w'), e]] }]),
      }),
    ),
  )
}

interface SharedCase {
  readonly table: RandomTable
  readonly npartitions: number
  readonly base: Pipeline
  readonly variants: Variants
  readonly withBase: boolean
}

const sharedCase: fc.Arbitrary<SharedCase> = randomTable.chain((table) =>
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), randomPipeline(table.fields, 2), fc.boolean())
    .chain(([npartitions, base, withBase]) =>
      variantsOf(base.fields).map((variants) => {
        const c: SharedCase = { table, npartitions, base, variants, withBase: withBase && variants.keepsSchema }
        return Object.assign(c, { [fc.toStringMethod]: () => describeShared(c) })
      }),
    ),
)

function describeShared(c: SharedCase): string {
  const steps = (s: readonly Step[]) => s.map(describeStep).join('.') || '(itself)'
  return [
    `schema: { ${c.table.fields.map((f) => `${f.name}: '${f.dtype}'`).join(', ')} }, npartitions: ${c.npartitions}`,
    `rows: ${JSON.stringify(c.table.rows, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`,
    `base: ${steps(c.base.steps)}`,
    `union of: ${[...(c.withBase ? [[]] : []), ...c.variants.steps].map(steps).join(' | ')}`,
  ].join('\n')
}

/** The variants over one shared base frame, and their union. */
function framesOf(c: SharedCase): { parts: AnyFrame[]; union: AnyFrame } {
  const base = applyPipeline(frameOf(c.table, c.npartitions), c.base)
  const parts = c.variants.steps.map((steps) => applyPipeline(base, { steps, fields: c.base.fields }))
  const all = c.withBase ? [base, ...parts] : parts
  return { parts, union: all.slice(1).reduce((u, p) => u.unionAll(p) as AnyFrame, all[0]!) }
}

const isOrderedCase = (c: SharedCase) => isOrdered(c.base) || (c.variants.ordered && !c.withBase)

/** Every key of the graphs with the one task it names; throws when a key names two. */
function collectTasks(plan: LogicalPlan, into: Map<Key, string>): void {
  for (const [key, task] of lowerPlan(plan).tasks) {
    const work = stableStringify({ op: task.op, args: task.args, deps: task.deps })
    const seen = into.get(key)
    if (seen !== undefined && seen !== work) {
      throw new Error(`key ${key} names two different tasks:\n  ${seen}\n  ${work}`)
    }
    into.set(key, work)
  }
}

describe('plans sharing a sub-plan under different parameters', () => {
  test('sync ≡ reference, optimizer on and off', async () => {
    await fc.assert(
      fc.asyncProperty(sharedCase, async (c) => {
        const { union } = framesOf(c)
        const expected = reference(union)
        const ordered = isOrderedCase(c)
        expectSameRows(await run(union, { scheduler: 'sync' }), expected, ordered, 'sync vs reference')
        const plain = await run(union, { scheduler: 'sync', optimize: false, fuse: false })
        expectSameRows(plain, expected, ordered, 'sync unoptimized vs reference')
      }),
      params(2 * RUNS),
    )
  })

  test('pool ≡ reference', async () => {
    await fc.assert(
      fc.asyncProperty(sharedCase, async (c) => {
        const { union } = framesOf(c)
        const expected = reference(union)
        expectSameRows(await run(union, { scheduler: 'pool' }), expected, isOrderedCase(c), 'pool vs reference')
      }),
      params(RUNS),
    )
  })

  test('no key names two different tasks, within a graph or across graphs', () => {
    fc.assert(
      fc.property(sharedCase, (c) => {
        const { parts, union } = framesOf(c)
        const tasks = new Map<Key, string>()
        for (const df of [union, ...parts]) {
          collectTasks(df.plan, tasks)
          collectTasks(optimize(df.plan), tasks)
        }
        expect(tasks.size).toBeGreaterThan(0)
      }),
      params(3 * RUNS),
    )
  })
})
