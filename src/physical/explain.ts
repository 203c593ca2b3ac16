/**
 * The physical plan as text for `explain()`: one operator a line, two spaces a level, each with
 * its output partitioning and, where known, the order of rows within a partition.
 *
 *   MergeSorted: id1 ASC [1 partition]
 *     Aggregate: keys=[id1] aggs=[v := sum(v1)] two-phase, 2 buckets, fan-in 8 [hash(id1) × 2, sorted id1 ASC]
 *       Filter: v1 > 2 [16 partitions]
 *         Scan: groupby.csv [id1, v1] [16 partitions]
 */
import { printExpr } from '../expr/print.js'
import { describeAggregate, describeJoin, describeNode, describeProject } from '../plan/explain.js'
import { describePartitioning, describeSortKey } from './partitioning.js'
import { type PhysicalPlan, physicalInputs } from './physical-plan.js'

export function explainPhysicalPlan(plan: PhysicalPlan, indent = 0): string {
  const order = plan.ordering.length > 0 ? `, sorted ${plan.ordering.map(describeSortKey).join(', ')}` : ''
  const line = `${'  '.repeat(indent)}${describeOperator(plan)} [${describePartitioning(plan.partitioning)}${order}]`
  return [line, ...physicalInputs(plan).map((i) => explainPhysicalPlan(i, indent + 1))].join('\n')
}

function describeOperator(plan: PhysicalPlan): string {
  switch (plan.kind) {
    case 'Scan':
      return describeNode(plan.scan).replace(/ \(\d+ partitions?\)$/, '')
    case 'Filter':
      return `Filter: ${printExpr(plan.predicate)}`
    case 'Project':
      return describeProject(plan.exprs)
    case 'Aggregate': {
      const head = describeAggregate(plan.keys, plan.aggs)
      const how =
        plan.mode === 'two-phase'
          ? `two-phase, ${plan.buckets} bucket${plan.buckets === 1 ? '' : 's'}, fan-in ${plan.fanIn}`
          : 'per partition'
      return `${head} ${how}`
    }
    case 'Sort':
      return `Sort: ${plan.keys.map(describeSortKey).join(', ')} (each partition)`
    case 'TopK':
      return `TopK: ${plan.k} by ${plan.keys.map(describeSortKey).join(', ')} (each partition)`
    case 'MergeSorted': {
      const slice = plan.limit === null ? '' : ` limit ${plan.limit}${plan.offset ? ` offset ${plan.offset}` : ''}`
      return `MergeSorted: ${plan.keys.map(describeSortKey).join(', ')}${slice}`
    }
    case 'Limit':
      return `Limit: ${plan.limit}${plan.offset ? ` OFFSET ${plan.offset}` : ''}${plan.incremental ? ' (partitions computed a few at a time until enough rows)' : ''}`
    case 'Union':
      return `Union: all (${plan.inputs.length} inputs)`
    case 'Sample':
      return `Sample: fraction=${plan.fraction} seed=${plan.seed} (hash of seed, partition index, row position)`
    case 'Exchange':
      return plan.partitioning.kind === 'single'
        ? 'Exchange: gather'
        : `Exchange: ${describePartitioning(plan.partitioning)}`
    case 'Join': {
      const how =
        plan.strategy === 'broadcast'
          ? `broadcast ${plan.build} side (each ${plan.build === 'right' ? 'left' : 'right'} partition joins all of it)`
          : `partitioned (partition i joins partition i), hash table on the ${plan.build} side`
      return `${describeJoin(plan)}, ${how}`
    }
  }
}
