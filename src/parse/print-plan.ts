/**
 * Prints a logical plan as a SQL query that parses back (with the same tables) to an equal plan:
 * `parseSql(printPlan(p), tables)` has `p`'s signature. Each SELECT block takes, from the top,
 * at most one Limit, Sort, Distinct, Project or Aggregate, and Filter, in SQL's clause order; a
 * Union prints as `… UNION ALL …` (`… UNION …` under a Distinct); anything else becomes a subquery
 * in FROM.
 *
 *   Limit(Sort(Project(Filter(Scan trips))))  →  SELECT vendor, fare * 2 AS double FROM trips
 *                                                WHERE fare > 10 ORDER BY double DESC LIMIT 5
 *
 * Exact for plans as the builder and the parser make them. A Scan that lists its columns (the
 * optimizer's pruning) prints as `(SELECT a, b FROM t)`, which reads back as a Project.
 */
import { printExpr, printIdentifier } from '../expr/print.js'
import { aggCallNode } from '../plan/agg-call.js'
import type { LogicalPlan, ScanNode, UnionNode } from '../plan/plan.js'

export interface PrintPlanOptions {
  /** The table name a scan reads (default: the source's name, e.g. the CSV path). */
  readonly tableName?: (scan: ScanNode) => string
}

export function printPlan(plan: LogicalPlan, options: PrintPlanOptions = {}): string {
  return block(plan, options.tableName ?? ((scan) => scan.source.name))
}

function block(plan: LogicalPlan, tableName: (scan: ScanNode) => string): string {
  let p = plan
  const limit = p.kind === 'Limit' ? p : undefined
  if (limit) p = limit.input
  const sort = p.kind === 'Sort' ? p : undefined
  if (sort) p = sort.input
  const tail: string[] = []
  if (sort) {
    const keys = sort.keys.map(
      (k) => `${printIdentifier(k.column)}${k.descending ? ' DESC' : ''}${k.nullsFirst ? ' NULLS FIRST' : ''}`,
    )
    tail.push(`ORDER BY ${keys.join(', ')}`)
  }
  if (limit) tail.push(`LIMIT ${limit.limit}${limit.offset ? ` OFFSET ${limit.offset}` : ''}`)
  if (p.kind === 'Union') return [union(p, false, tableName), ...tail].join(' ')
  if (p.kind === 'Distinct' && p.input.kind === 'Union') return [union(p.input, true, tableName), ...tail].join(' ')
  const distinct = p.kind === 'Distinct'
  if (p.kind === 'Distinct') p = p.input
  const project = p.kind === 'Project' ? p : undefined
  const aggregate = p.kind === 'Aggregate' ? p : undefined
  if (project) p = project.input
  else if (aggregate) p = aggregate.input
  const filter = p.kind === 'Filter' ? p : undefined
  if (filter) p = filter.input
  let from: string
  if (p.kind === 'Scan' && (p.columns === null || p === plan)) {
    if (p === plan && p.columns !== null) {
      return `SELECT ${p.columns.map(printIdentifier).join(', ')} FROM ${printIdentifier(tableName(p))}`
    }
    from = printIdentifier(tableName(p))
  } else from = `(${block(p, tableName)})`
  let list = '*'
  if (project) {
    list = project.exprs
      .map(({ name, expr }) =>
        expr.kind === 'Column' && expr.name === name
          ? printIdentifier(name)
          : `${printExpr(expr)} AS ${printIdentifier(name)}`,
      )
      .join(', ')
  } else if (aggregate) {
    list = [
      ...aggregate.keys.map(printIdentifier),
      ...aggregate.aggs.map((a) => `${printExpr(aggCallNode(a))} AS ${printIdentifier(a.name)}`),
    ].join(', ')
  }
  const clauses = [`SELECT ${distinct ? 'DISTINCT ' : ''}${list} FROM ${from}`]
  if (filter) clauses.push(`WHERE ${printExpr(filter.predicate)}`)
  if (aggregate && aggregate.keys.length > 0) clauses.push(`GROUP BY ${aggregate.keys.map(printIdentifier).join(', ')}`)
  return [...clauses, ...tail].join(' ')
}

/**
 * `a UNION ALL b …`, the last operator `UNION` when the whole union is distinct (the parser reads
 * the chain left to right into one Union node). A first input that is itself a distinct union
 * continues the chain; other inputs that are not plain SELECT blocks become `SELECT * FROM (…)`.
 */
function union(plan: UnionNode, distinct: boolean, tableName: (scan: ScanNode) => string): string {
  return plan.inputs
    .map((input, i) => {
      const chained = i === 0 && input.kind === 'Distinct' && input.input.kind === 'Union'
      const plain =
        !['Union', 'Sort', 'Limit'].includes(input.kind) && !(input.kind === 'Distinct' && input.input.kind === 'Union')
      const text = block(input, tableName)
      const operand = chained || plain ? text : `SELECT * FROM (${text})`
      if (i === 0) return operand
      return `${distinct && i === plan.inputs.length - 1 ? 'UNION' : 'UNION ALL'} ${operand}`
    })
    .join(' ')
}
