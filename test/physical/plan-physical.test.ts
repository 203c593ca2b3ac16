import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { col } from '../../src/expr/builder.js'
import { lowerPhysical } from '../../src/lower/lower.js'
import { explainPhysicalPlan } from '../../src/physical/explain.js'
import { partitionCount, satisfies } from '../../src/physical/partitioning.js'
import type { PhysicalPlan } from '../../src/physical/physical-plan.js'
import { distribute, planPhysical } from '../../src/physical/plan-physical.js'
import { numbers } from '../support/plan-builders.js'
import { applyPipeline, frameOf, randomPipeline, randomTable } from '../support/random-tables.js'

describe('planPhysical: decisions made once, shown by explain', () => {
  const base = numbers(4)

  it('a limit over a sort is a per-partition top-k and a merge with the slice', () => {
    const plan = planPhysical(base.sort('v').limit(3, 2).plan)
    expect(explainPhysicalPlan(plan)).toMatchInlineSnapshot(`
      "MergeSorted: v ASC limit 3 offset 2 [1 partition, sorted v ASC]
        TopK: 5 by v ASC (each partition) [4 partitions, sorted v ASC]
          Scan: records [*] [4 partitions]"
    `)
  })

  it('a grouped aggregate over several partitions is two-phase with buckets, merged back in key order', () => {
    const plan = planPhysical(base.groupBy('k').agg({ s: col('v').sum() }).plan)
    expect(plan.kind).toBe('MergeSorted')
    const agg = (plan as Extract<PhysicalPlan, { kind: 'MergeSorted' }>).input
    expect(agg).toMatchObject({
      kind: 'Aggregate',
      mode: 'two-phase',
      buckets: 2,
      partitioning: { kind: 'hash', keys: ['k'], n: 2 },
    })
  })

  it('an aggregate over one partition, or without keys, runs per partition or into one', () => {
    const one = planPhysical(
      numbers(1)
        .groupBy('k')
        .agg({ s: col('v').sum() }).plan,
    )
    expect(one).toMatchObject({
      kind: 'Aggregate',
      mode: 'per-partition',
      buckets: 1,
      partitioning: { kind: 'single' },
    })
    const global = planPhysical(base.agg({ s: col('v').sum() }).plan)
    expect(global).toMatchObject({ kind: 'Aggregate', mode: 'two-phase', buckets: 1, partitioning: { kind: 'single' } })
  })

  it('a limit at the root is incremental, unless every partition is asked for', () => {
    expect(planPhysical(base.limit(5).plan)).toMatchObject({ kind: 'Limit', incremental: true })
    expect(planPhysical(base.limit(5).plan, { incrementalLimit: false })).toMatchObject({ incremental: false })
    // Not at the root: the union needs the limit's one partition as a whole.
    const inner = planPhysical(base.limit(5).unionAll(base.limit(2)).plan)
    expect(inner.kind).toBe('Union')
  })

  it('a projection keeps the partitioning and order of the columns it passes through, renamed', () => {
    const sorted = planPhysical(base.sort('v').select('v', 'k').rename({ v: 'w' }).plan)
    expect(sorted.ordering).toEqual([{ column: 'w', descending: false, nullsFirst: false }])
    const dropped = planPhysical(base.sort('v').select('k').plan)
    expect(dropped.ordering).toEqual([])
  })
})

describe('distribute: an exchange only where the input lacks the spread', () => {
  const grouped = planPhysical(
    numbers(4)
      .groupBy('k')
      .agg({ s: col('v').sum() }).plan,
  )
  const agg = (grouped as Extract<PhysicalPlan, { kind: 'MergeSorted' }>).input

  it('hash partitioning on k clusters k and any superset of k, not other columns', () => {
    expect(satisfies(agg.partitioning, { kind: 'clustered', keys: ['k'] })).toBe(true)
    expect(satisfies(agg.partitioning, { kind: 'clustered', keys: ['k', 's'] })).toBe(true)
    expect(satisfies(agg.partitioning, { kind: 'clustered', keys: ['s'] })).toBe(false)
    expect(satisfies(agg.partitioning, { kind: 'single' })).toBe(false)
    expect(satisfies({ kind: 'single' }, { kind: 'clustered', keys: ['s'] })).toBe(true)
  })

  it('returns the input itself when it already satisfies the need, else an exchange', () => {
    expect(distribute(agg, { kind: 'clustered', keys: ['k'] }, 4)).toBe(agg)
    expect(distribute(agg, { kind: 'clustered', keys: ['s'] }, 4)).toMatchObject({
      kind: 'Exchange',
      partitioning: { kind: 'hash', keys: ['s'], n: 4 },
    })
    expect(distribute(agg, { kind: 'single' }, 4)).toMatchObject({ kind: 'Exchange', partitioning: { kind: 'single' } })
  })
})

describe('invariants', () => {
  it('the planned partition count is the number of partitions the lowering outputs', () => {
    fc.assert(
      fc.property(
        randomTable.chain((table) =>
          fc.record({
            table: fc.constant(table),
            parts: fc.integer({ min: 1, max: 4 }),
            pipeline: randomPipeline(table.fields),
          }),
        ),
        ({ table, parts, pipeline }) => {
          const plan = planPhysical(applyPipeline(frameOf(table, parts), pipeline).plan, { incrementalLimit: false })
          expect(lowerPhysical(plan).outputs).toHaveLength(partitionCount(plan.partitioning))
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('join strategy', () => {
  const big = numbers(4)
  const small = numbers(2)

  it('broadcasts a small right side, keeping the left partitioning; a full join always shuffles', () => {
    const broadcast = planPhysical(big.join(small, { on: 'k' }).plan)
    expect(broadcast).toMatchObject({
      kind: 'Join',
      strategy: 'broadcast',
      build: 'right',
      partitioning: { kind: 'unknown', n: 4 },
    })
    const full = planPhysical(big.join(small, { on: 'k', how: 'full' }).plan)
    expect(full).toMatchObject({
      kind: 'Join',
      strategy: 'partitioned',
      partitioning: { kind: 'hash', keys: ['k'], n: 4 },
    })
    expect(explainPhysicalPlan(full)).toContain('Exchange: hash(k) × 4')
  })

  it('never broadcasts the side whose unmatched rows a join keeps', () => {
    const left = planPhysical(big.join(small, { on: 'k', how: 'left', broadcastBelow: 0 }).plan)
    expect(left).toMatchObject({ strategy: 'partitioned' })
    const right = planPhysical(small.join(big, { on: 'k', how: 'right' }).plan)
    expect(right).toMatchObject({ strategy: 'broadcast', build: 'left' })
  })

  it('a side already hash-partitioned on its keys is not shuffled again', () => {
    const inner = big.join(small, { on: 'k', broadcastBelow: 0 })
    const plan = planPhysical(inner.join(numbers(3).select('k'), { on: 'k', broadcastBelow: 0 }).plan)
    const exchanges = explainPhysicalPlan(plan).match(/Exchange: hash\(k\) × 4/g) ?? []
    // Two below the first join (both of its sides), one for the third frame only.
    expect(exchanges).toHaveLength(3)
    expect(distribute(plan, { kind: 'clustered', keys: ['k'] }, 4)).toBe(plan)
  })
})
