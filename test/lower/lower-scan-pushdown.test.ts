import { describe, expect, it } from 'vitest'
import { DataFrame } from '../../src/api/data-frame.js'
import { col } from '../../src/expr/builder.js'
import { lowerPlan } from '../../src/lower/lower.js'
import { optimize } from '../../src/optimize/optimizer.js'
import type { LogicalPlan } from '../../src/plan/plan.js'
import { runEverywhere } from '../support/every-config.js'
import { csvFrame, numbers } from '../support/plan-builders.js'

const sync = { scheduler: 'sync', optimize: false } as const

describe('lowering what was pushed into a scan', () => {
  it('gives a CSV read the predicate over its own columns and the row limit', () => {
    const scan = csvFrame('pushed.csv', 'a,b,c\n1,x,2.5\n2,y,3.5\n3,z,4.5\n').plan
    if (scan.kind !== 'Scan') throw new Error('expected a scan')
    const plan: LogicalPlan = { ...scan, columns: ['b'], filters: [col('c').gt(3).node], rowLimit: 1 }
    const [task] = [...lowerPlan(plan).tasks.values()]
    expect(task?.args).toMatchObject({
      columns: [1],
      predicateColumns: [2],
      limit: 1,
      predicate: { kind: 'binary', op: 'gt', left: { kind: 'column', index: 0, dtype: 'float64' } },
    })
  })

  it('runs a CSV scan with filters and a row limit per partition', async () => {
    const scan = csvFrame('pushed2.csv', 'a,b\n1,x\n2,y\n3,z\n4,w\n5,v\n', { blocksize: 8 }).plan
    if (scan.kind !== 'Scan') throw new Error('expected a scan')
    const plan: LogicalPlan = { ...scan, columns: ['b'], filters: [col('a').gt(1).node], rowLimit: 1 }
    const rows = await new DataFrame(plan).toRecords(sync)
    expect(rows.length).toBeLessThanOrEqual(scan.source.kind === 'csv' ? scan.source.chunks.length : 0)
    expect(rows.every((r) => r.b !== 'x')).toBe(true)
  })

  it('turns filters and a row limit on an in-memory scan into per-partition tasks', async () => {
    const scan = numbers(3, 4).plan
    if (scan.kind !== 'Scan') throw new Error('expected a scan')
    const plan: LogicalPlan = { ...scan, filters: [col('k').neq(0).node], rowLimit: 2 }
    const ops = [...lowerPlan(plan).tasks.values()].map((t) => t.meta?.label)
    expect(ops.filter((l) => l === 'scan-filter')).toHaveLength(3)
    expect(ops.filter((l) => l === 'scan-limit')).toHaveLength(3)
    expect(await new DataFrame(plan).toRecords(sync)).toEqual([
      { k: 1, v: 1n },
      { k: 2, v: 2n },
      { k: 1, v: 4n },
      { k: 2, v: 5n },
      { k: 2, v: 8n },
      { k: 1, v: 10n },
    ])
  })
})

describe('reads of one file with different pushed predicates and columns', () => {
  const text = `a,b\n${Array.from({ length: 30 }, (_, i) => `${i},${(i * 7) % 30}`).join('\n')}\n`

  it('are separate tasks, each with its own rows', async () => {
    const file = csvFrame('shared.csv', text, { blocksize: 40 })
    const union = file
      .filter(col('a').gt(20))
      .select('a')
      .unionAll(file.filter(col('a').lt(3)).select('a'))
      .unionAll(file.filter(col('b').lt(3)).select('b').rename({ b: 'a' }))
    const rows = await runEverywhere(() => union, [1])
    expect(rows.map((r) => r.a)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 0, 1, 2, 0, 1, 2])
    // Optimized, each branch's filter and columns go into its own reads.
    const reads = [...lowerPlan(optimize(union.plan)).tasks.values()].filter((t) => t.op === 'read-csv')
    expect(reads).toHaveLength(3 * file.npartitions)
  })
})
