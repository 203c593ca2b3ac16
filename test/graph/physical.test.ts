/**
 * The graph rules seen from the public API: culling (head reads one chunk), fusion (one task per
 * partition for read → filter → project → partial aggregate, with a readable name) and reuse (equal
 * sub-plans lower to equal keys, so they are computed once).
 */
import { describe, expect, it } from 'vitest'
import { physicalGraph } from '../../src/api/execute.js'
import { col } from '../../src/expr/builder.js'
import { taskName } from '../../src/graph/task-name.js'
import { lowerPlan } from '../../src/lower/lower.js'
import { optimize } from '../../src/optimize/optimizer.js'
import { planPhysical } from '../../src/physical/plan-physical.js'
import type { SchedulerEvent } from '../../src/schedule/scheduler.js'
import { csvFrame } from '../support/plan-builders.js'

const optimizerOn = process.env.TSDASK_OPTIMIZER !== 'off'
const fusionOn = process.env.TSDASK_FUSE !== 'off'

const pad = (n: number) => String(n).padStart(2, '0')

/** 64 chunks of about 16 rows: `id,g,x,y,z`. */
function wide() {
  const lines = Array.from({ length: 64 * 16 }, (_, i) => `${1000 + i},g${i % 5},${pad(i % 97)},${pad(i % 13)},zzzz`)
  const text = `id,g,x,y,z\n${lines.join('\n')}\n`
  return csvFrame('wide.csv', text, { blocksize: Math.ceil(text.length / 64) })
}

describe('fusion', () => {
  it.skipIf(!optimizerOn || !fusionOn)(
    'read → filter → project → partial aggregate is one task per partition, named after its steps',
    () => {
      const q = wide()
        .filter(col('x').gt(10))
        .withColumns({ w: col('x').mul(2) })
        .groupBy('g')
        .agg({ s: col('w').sum() })
      const plan = optimize(q.plan)
      const physical = physicalGraph(planPhysical(plan))
      // The tasks that read a chunk (no deps); the buckets' combine and final tasks follow them.
      const perPartition = [...physical.graph.values()].filter((t) => t.deps.length === 0)
      expect(perPartition).toHaveLength(64)
      expect(new Set(perPartition.map((t) => t.meta?.label))).toEqual(new Set(['fused-read-csv-project-agg-partial']))
      expect(taskName(perPartition[3]!)).toBe('fused-read-csv-project-agg-partial-3')
      expect(q.explain()).toContain('tasks after fusion: fused-read-csv-project-agg-partial ×64')
    },
  )
})

describe('culling', () => {
  it.skipIf(!optimizerOn)('head(5) on a 64-chunk CSV runs one read task, which stops after 5 rows', async () => {
    const events: SchedulerEvent[] = []
    const rows = await wide()
      .select('id', 'x')
      .head(5)
      .toRecords({ scheduler: 'sync', onEvent: (e) => events.push(e) })
    expect(rows.map((r) => r.id)).toEqual([1000, 1001, 1002, 1003, 1004])
    const started = events.filter((e) => e.type === 'task-start')
    expect(started).toHaveLength(1)
    expect(started[0]?.label).toMatch(/read-csv/)
  })

  it('computing one partition of a graph keeps only its chain', () => {
    const plan = wide().filter(col('x').gt(1)).plan
    const lowered = lowerPlan(plan)
    const physical = physicalGraph(planPhysical(plan), { fuse: false }, (l) => [l.outputs[0]!])
    expect(lowered.tasks.size).toBe(128)
    expect(physical.graph.size).toBe(2)
  })
})

describe('reuse', () => {
  it('equal sub-plans lower to equal keys: a later query on the same data shares its tasks', () => {
    const base = wide().filter(col('x').gt(5))
    const one = lowerPlan(base.plan)
    const two = lowerPlan(base.groupBy('g').agg({ n: col('x').count() }).plan)
    for (const key of one.outputs) expect(two.tasks.has(key)).toBe(true)
    // Built twice, from scratch, the same query has the very same keys.
    expect([...lowerPlan(wide().filter(col('x').gt(5)).plan).tasks.keys()]).toEqual([...one.tasks.keys()])
  })
})
