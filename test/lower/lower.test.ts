import { describe, expect, it } from 'vitest'
import { col, count } from '../../src/expr/builder.js'
import { depPart, formatDep, isPartRef } from '../../src/graph/deps.js'
import { taskKey } from '../../src/graph/hash.js'
import type { Key, Task } from '../../src/graph/task-graph.js'
import { COMBINE_FAN_IN, type LoweredGraph, lowerPlan, SPLIT_OUT } from '../../src/lower/lower.js'
import { optimize } from '../../src/optimize/optimizer.js'
import { csvFrame, headInputGraph, numbers } from '../support/plan-builders.js'

/** How many tasks run each op. */
function opCounts(g: LoweredGraph): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const t of g.tasks.values()) counts[t.op] = (counts[t.op] ?? 0) + 1
  return counts
}

/** Keys with their hashes (and in-memory dataset ids) blanked, so a dump is stable run to run. */
const stable = (key: Key) => key.replace(/^memory-[0-9a-f-]{36}-/, 'memory-').replace(/-[0-9a-f]{12}(?=-|$)/, '')

/** One line per task, `key = op(deps)` (a part read as `key[part]`), in insertion order (inputs before their users). */
function dump(g: LoweredGraph): string {
  return [...g.tasks]
    .map(([key, t]) => {
      const parts = t.parts === undefined ? '' : ` ×${t.parts}`
      return `${stable(key)}${parts} = ${t.op}(${t.deps.map((d) => formatDep(isPartRef(d) ? { ...d, key: stable(d.key) } : stable(d))).join(', ')})`
    })
    .join('\n')
}

function tasksWithOp(g: LoweredGraph, op: string): Task[] {
  return [...g.tasks.values()].filter((t) => t.op === op)
}

describe('lowerPlan: row-wise nodes are one task per partition', () => {
  it('an N-partition filter is N filter tasks over the in-memory partitions', () => {
    const df = numbers(5)
    const g = lowerPlan(df.filter(col('v').gt(3)).plan)
    expect(opCounts(g)).toEqual({ filter: 5 })
    expect(g.outputs).toHaveLength(5)
    expect(g.inputs.size).toBe(5)
    // Each filter task reads exactly its own partition, in order.
    const deps = g.outputs.map((k) => g.tasks.get(k)?.deps)
    expect(deps).toEqual([...g.inputs.keys()].map((k) => [k]))
    expect(g.tasks.get(g.outputs[2]!)?.meta).toMatchObject({ label: 'filter', partition: 2 })
  })

  it('filter and project over a CSV file: a read per chunk, then a filter and a project per chunk', () => {
    const text = `a,b\n${Array.from({ length: 12 }, (_, i) => `${i},s${i}`).join('\n')}\n`
    const df = csvFrame('rows.csv', text, { blocksize: 20 })
    const n = df.npartitions
    expect(n).toBeGreaterThan(1)
    const g = lowerPlan(df.filter(col('a').gt(3)).withColumns({ c: col('a').mul(2) }).plan)
    expect(opCounts(g)).toEqual({ 'read-csv': n, filter: n, project: n })
    expect(g.inputs.size).toBe(0)
    expect(g.schema.map((f) => `${f.name}: ${f.dtype}`)).toEqual(['a: int32', 'b: utf8', 'c: int32'])
  })

  it('a pruned in-memory scan selects its columns per partition; the identity projection above it is no task', () => {
    const plan = optimize(numbers(3).select('v').plan)
    const g = lowerPlan(plan)
    expect(dump(g)).toMatchInlineSnapshot(`
      "select-columns-0 = project(memory-0)
      select-columns-1 = project(memory-1)
      select-columns-2 = project(memory-2)"
    `)
    const select = tasksWithOp(g, 'project')[0]
    expect(select?.args).toEqual({ exprs: [{ name: 'v', expr: { kind: 'column', index: 1, dtype: 'int64' } }] })
  })
})

describe('lowerPlan: aggregate is partial → combine tree → final', () => {
  it(`over 20 partitions: 20 partials, per bucket combines of fan-in ${COMBINE_FAN_IN} (3 then 1) and a final, merged`, () => {
    const g = lowerPlan(
      numbers(20)
        .groupBy('k')
        .agg({ total: col('v').sum(), n: count() }).plan,
    )
    expect(opCounts(g)).toEqual({ 'agg-partial': 20, 'agg-combine': 8, 'agg-final': SPLIT_OUT, 'merge-sorted': 1 })
    const combines = tasksWithOp(g, 'agg-combine')
    expect(combines.map((t) => t.deps.length)).toEqual([8, 8, 4, 3, 8, 8, 4, 3])
    // Each partial returns one part per bucket; each bucket's first combine level reads its part of each.
    for (const partial of tasksWithOp(g, 'agg-partial')) {
      expect(partial.args).toMatchObject({ buckets: SPLIT_OUT })
      expect(partial.parts).toBe(SPLIT_OUT)
    }
    expect(combines.map((t) => t.deps.map((d) => depPart(d) ?? null))).toEqual([
      ...[8, 8, 4].map((n) => Array(n).fill(0)),
      [null, null, null],
      ...[8, 8, 4].map((n) => Array(n).fill(1)),
      [null, null, null],
    ])
    expect(g.outputs).toHaveLength(1)
    expect(dump(g).split('\n').slice(20)).toMatchInlineSnapshot(`
      [
        "agg-bucket-combine-b0-0-0 = agg-combine(agg-partial-0[0], agg-partial-1[0], agg-partial-2[0], agg-partial-3[0], agg-partial-4[0], agg-partial-5[0], agg-partial-6[0], agg-partial-7[0])",
        "agg-bucket-combine-b0-0-1 = agg-combine(agg-partial-8[0], agg-partial-9[0], agg-partial-10[0], agg-partial-11[0], agg-partial-12[0], agg-partial-13[0], agg-partial-14[0], agg-partial-15[0])",
        "agg-bucket-combine-b0-0-2 = agg-combine(agg-partial-16[0], agg-partial-17[0], agg-partial-18[0], agg-partial-19[0])",
        "agg-combine-b0-1-0 = agg-combine(agg-bucket-combine-b0-0-0, agg-bucket-combine-b0-0-1, agg-bucket-combine-b0-0-2)",
        "agg-final-b0 = agg-final(agg-combine-b0-1-0)",
        "agg-bucket-combine-b1-0-0 = agg-combine(agg-partial-0[1], agg-partial-1[1], agg-partial-2[1], agg-partial-3[1], agg-partial-4[1], agg-partial-5[1], agg-partial-6[1], agg-partial-7[1])",
        "agg-bucket-combine-b1-0-1 = agg-combine(agg-partial-8[1], agg-partial-9[1], agg-partial-10[1], agg-partial-11[1], agg-partial-12[1], agg-partial-13[1], agg-partial-14[1], agg-partial-15[1])",
        "agg-bucket-combine-b1-0-2 = agg-combine(agg-partial-16[1], agg-partial-17[1], agg-partial-18[1], agg-partial-19[1])",
        "agg-combine-b1-1-0 = agg-combine(agg-bucket-combine-b1-0-0, agg-bucket-combine-b1-0-1, agg-bucket-combine-b1-0-2)",
        "agg-final-b1 = agg-final(agg-combine-b1-1-0)",
        "agg-merge-buckets = merge-sorted(agg-final-b0, agg-final-b1)",
      ]
    `)
    expect(g.tasks.get(g.outputs[0]!)?.op).toBe('merge-sorted')
    expect(tasksWithOp(g, 'agg-final')[0]?.args).toMatchInlineSnapshot(`
      {
        "aggs": [
          {
            "dtype": "int64",
            "fn": "sum",
            "input": 1,
            "inputDType": "int64",
            "name": "total",
          },
          {
            "dtype": "int64",
            "fn": "countAll",
            "input": null,
            "inputDType": null,
            "name": "n",
          },
        ],
        "nKeys": 1,
      }
    `)
  })

  it.each([
    [1, 0],
    [2, 2],
    [8, 2],
    [9, 4], // per bucket: 8 + a lone part that passes up a level unchanged, then 1
    [17, 6],
    [64, 18],
    [65, 20], // per bucket: 8 + a lone part, then 8 + a lone part, then 1
  ])('%i partitions → %i combine tasks', (partitions, combines) => {
    const g = lowerPlan(numbers(partitions, 1).groupBy('k').agg({ n: count() }).plan)
    const split = partitions > 1
    expect(opCounts(g)).toEqual({
      'agg-partial': partitions,
      ...(combines > 0 && { 'agg-combine': combines }),
      'agg-final': split ? SPLIT_OUT : 1,
      ...(split && { 'merge-sorted': 1 }),
    })
    for (const t of tasksWithOp(g, 'agg-combine')) {
      expect(t.deps.length).toBeGreaterThanOrEqual(2)
      expect(t.deps.length).toBeLessThanOrEqual(COMBINE_FAN_IN)
    }
    for (const t of tasksWithOp(g, 'agg-final')) expect(t.deps).toHaveLength(1)
  })

  it('a global aggregate is not split: one tree, one final', () => {
    const g = lowerPlan(numbers(20).agg({ n: count() }).plan)
    expect(opCounts(g)).toEqual({ 'agg-partial': 20, 'agg-combine': 4, 'agg-final': 1 })
  })

  it('computes non-column aggregate inputs in a projection first', () => {
    const g = lowerPlan(
      numbers(2)
        .groupBy('k')
        .agg({ s: col('v').mul(2).sum(), n: count() }).plan,
    )
    expect(dump(g)).toMatchInlineSnapshot(`
      "agg-inputs-0 = project(memory-0)
      agg-inputs-1 = project(memory-1)
      agg-partial-0 ×2 = agg-partial(agg-inputs-0)
      agg-partial-1 ×2 = agg-partial(agg-inputs-1)
      agg-bucket-combine-b0-0-0 = agg-combine(agg-partial-0[0], agg-partial-1[0])
      agg-final-b0 = agg-final(agg-bucket-combine-b0-0-0)
      agg-bucket-combine-b1-0-0 = agg-combine(agg-partial-0[1], agg-partial-1[1])
      agg-final-b1 = agg-final(agg-bucket-combine-b1-0-0)
      agg-merge-buckets = merge-sorted(agg-final-b0, agg-final-b1)"
    `)
    expect(tasksWithOp(g, 'agg-partial')[0]?.args).toMatchInlineSnapshot(`
      {
        "aggs": [
          {
            "dtype": "int64",
            "fn": "sum",
            "input": 1,
            "inputDType": "int64",
            "name": "s",
          },
          {
            "dtype": "int64",
            "fn": "countAll",
            "input": null,
            "inputDType": null,
            "name": "n",
          },
        ],
        "buckets": 2,
        "keys": [
          0,
        ],
      }
    `)
  })
})

describe('lowerPlan: sort and limit', () => {
  it('sort is a sort per partition and one ordered merge', () => {
    const g = lowerPlan(numbers(4).sort('v', { descending: true }).plan)
    expect(opCounts(g)).toEqual({ sort: 4, 'merge-sorted': 1 })
    const merge = tasksWithOp(g, 'merge-sorted')[0]
    expect(merge?.deps).toHaveLength(4)
    expect(merge?.args).toEqual({ keys: [{ index: 1, descending: true, nullsFirst: false }], offset: 0, limit: null })
    expect(g.outputs).toEqual([...g.tasks.entries()].filter(([, t]) => t === merge).map(([k]) => k))
  })

  it('limit over sort is a top-k per partition (k = offset + limit) and a merge that applies offset and limit', () => {
    const g = lowerPlan(numbers(4).sort(['k', 'v']).limit(3, 2).plan)
    expect(opCounts(g)).toEqual({ 'top-k': 4, 'merge-sorted': 1 })
    const keys = [
      { index: 0, descending: false, nullsFirst: false },
      { index: 1, descending: false, nullsFirst: false },
    ]
    for (const t of tasksWithOp(g, 'top-k')) expect(t.args).toEqual({ keys, k: 5 })
    expect(tasksWithOp(g, 'merge-sorted')[0]?.args).toEqual({ keys, offset: 2, limit: 3 })
  })

  it('limit alone concatenates the partitions in order and slices once', () => {
    const g = lowerPlan(numbers(3).limit(4, 1).plan)
    expect(opCounts(g)).toEqual({ limit: 1 })
    const limit = tasksWithOp(g, 'limit')[0]
    expect(limit?.args).toEqual({ offset: 1, limit: 4 })
    expect(limit?.deps).toEqual([...g.inputs.keys()])
  })

  it('a limit not directly over the sort does not become a top-k', () => {
    const g = lowerPlan(numbers(3).sort('v').select('v').limit(2).plan)
    expect(opCounts(g)).toEqual({ sort: 3, 'merge-sorted': 1, project: 1, limit: 1 })
  })
})

describe('lowerPlan: keys', () => {
  const base = numbers(4)

  it('are deterministic: lowering the same plan twice gives identical graphs', () => {
    const plan = base.filter(col('v').gt(1)).groupBy('k').agg({ n: count() }).plan
    const once = lowerPlan(plan)
    const twice = lowerPlan(plan)
    expect([...twice.tasks.keys()]).toEqual([...once.tasks.keys()])
    expect([...twice.tasks.values()]).toEqual([...once.tasks.values()])
    expect(twice.outputs).toEqual(once.outputs)
  })

  it('do not depend on where the plan was built: equal sub-plans share keys', () => {
    const filtered = base.filter(col('v').gt(1))
    const again = base.filter(col('v').gt(1))
    expect(filtered.plan.origin).not.toBe(again.plan.origin)
    const small = lowerPlan(filtered.plan)
    const big = lowerPlan(again.sort('v').plan)
    expect(small.outputs.every((k) => big.tasks.has(k))).toBe(true)
    expect(big.tasks.get(small.outputs[0]!)?.deps).toEqual(small.tasks.get(small.outputs[0]!)?.deps)
  })

  it('differ when the computation differs', () => {
    const a = lowerPlan(base.filter(col('v').gt(1)).plan)
    const b = lowerPlan(base.filter(col('v').gt(2)).plan)
    const c = lowerPlan(numbers(4).filter(col('v').gt(1)).plan)
    const keys = (g: LoweredGraph) => [...g.tasks.keys()]
    expect(keys(a).filter((k) => keys(b).includes(k))).toEqual([])
    expect(keys(a).filter((k) => keys(c).includes(k))).toEqual([])
  })

  it('are unique within a graph: the label, a hash of the task, the partition index', () => {
    const g = lowerPlan(base.filter(col('v').gt(1)).sort('v').plan)
    const filters = [...g.tasks].filter(([, t]) => t.op === 'filter').map(([k]) => k)
    expect(filters.map((k) => k.split('-').at(-1))).toEqual(['0', '1', '2', '3'])
    expect(filters.every((k) => /^filter-[0-9a-f]{12}-\d$/.test(k))).toBe(true)
    expect(new Set(filters).size).toBe(4)
  })

  it('hash the task, not the plan node: two limits over one sort are two top-k tasks per partition', () => {
    const sorted = base.sort('v')
    const g = lowerPlan(sorted.limit(10).unionAll(sorted.limit(3)).plan)
    expect(opCounts(g)).toEqual({ 'top-k': 8, 'merge-sorted': 2 })
    expect(tasksWithOp(g, 'top-k').map((t) => (t.args as { k: number }).k)).toEqual([10, 10, 10, 10, 3, 3, 3, 3])
    for (const [key, task] of g.tasks) expect(key.startsWith(taskKey(task))).toBe(true)
  })
})

describe('head(n): the readers of a bare scan stop after n rows', () => {
  const text = `a,b\n${Array.from({ length: 40 }, (_, i) => `${i},x${i}`).join('\n')}\n`

  it('tells every CSV read of a bare scan to stop after that many rows', () => {
    const g = headInputGraph(csvFrame('limit.csv', text, { blocksize: 64 }).plan, 5)
    const reads = tasksWithOp(g, 'read-csv')
    expect(reads.length).toBeGreaterThan(1)
    expect(reads.map((t) => (t.args as { limit: number | null }).limit)).toEqual(reads.map(() => 5))
  })

  it("estimates each read's output from its byte range and the share of columns it reads", () => {
    const frame = csvFrame('estimate.csv', text, { blocksize: 64 })
    const both = tasksWithOp(lowerPlan(frame.plan), 'read-csv')
    const one = tasksWithOp(lowerPlan(optimize(frame.select('a').plan)), 'read-csv')
    const estimate = (t: Task) => t.meta!.estimatedBytes!
    const [args0, args1] = [both[0]!.args, one[0]!.args] as { start: number; end: number }[]
    expect(estimate(both[0]!)).toBe(2 * (args0!.end - args0!.start))
    expect(estimate(one[0]!)).toBe((args1!.end - args1!.start) * 1)
  })

  it('is ignored when anything sits above the scan (a filter must see every row)', () => {
    const plan = csvFrame('limit2.csv', text, { blocksize: 64 }).filter(col('a').gt(30)).plan
    const reads = tasksWithOp(headInputGraph(plan, 5), 'read-csv')
    expect(reads.map((t) => (t.args as { limit: number | null }).limit)).toEqual(reads.map(() => null))
  })

  it('gives limited reads keys of their own, so they never stand in for a full read', () => {
    const plan = csvFrame('limit3.csv', text, { blocksize: 64 }).plan
    const full = lowerPlan(plan).outputs
    const limited = headInputGraph(plan, 5).outputs
    expect(limited.some((k) => full.includes(k))).toBe(false)
  })
})
