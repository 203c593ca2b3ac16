/**
 * Output schemas of plan nodes, derived (never stored), with the checks that make a plan valid:
 * columns exist, predicates are bool, aggregate inputs have usable types. Errors name the node
 * and the user's call site when known.
 */
import { dtypeOf, inferType, lookupColumn, unknownColumn } from '../expr/dtype-of.js'
import type { ExprNode } from '../expr/expr-node.js'
import { printExpr } from '../expr/print.js'
import { containsAgg } from '../expr/visit.js'
import type { Field, Schema } from '../types/schema.js'
import { TsdaskError } from '../util/errors.js'
import { aggCallArgs, aggCallNode } from './agg-call.js'
import { joinSchema } from './join-schema.js'
import type { LogicalPlan, ScanSource } from './plan.js'
import { unionSchema } from './union-schema.js'

const cache = new WeakMap<LogicalPlan, Schema>()

export function schemaOf(plan: LogicalPlan): Schema {
  const hit = cache.get(plan)
  if (hit) return hit
  const schema = withOrigin(plan, () => derive(plan))
  cache.set(plan, schema)
  return schema
}

export function sourceSchema(source: ScanSource): Schema {
  return source.kind === 'csv' ? source.fileSchema : source.schema
}

function derive(plan: LogicalPlan): Schema {
  switch (plan.kind) {
    case 'Scan': {
      const all = sourceSchema(plan.source)
      for (const f of plan.filters ?? []) checkPredicate(f, all)
      if (plan.columns === null) return all
      return plan.columns.map((name) => ({ name, dtype: lookupColumnIn(name, all, `scan of ${plan.source.name}`) }))
    }
    case 'Filter': {
      const input = schemaOf(plan.input)
      checkPredicate(plan.predicate, input)
      return input
    }
    case 'Project': {
      const input = schemaOf(plan.input)
      const seen = new Set<string>()
      return plan.exprs.map(({ name, expr }): Field => {
        if (seen.has(name))
          throw new TsdaskError(
            'INVALID_ARGUMENT',
            `column "${name}" appears twice in the projection; give each output column a unique name.`,
          )
        seen.add(name)
        if (containsAgg(expr)) {
          throw new TsdaskError(
            'INVALID_ARGUMENT',
            `\`${printExpr(expr)}\` is an aggregate; use groupBy(...).agg({ ${name}: ... }) for aggregates.`,
          )
        }
        return { name, dtype: dtypeOf(expr, input) }
      })
    }
    case 'Aggregate': {
      const input = schemaOf(plan.input)
      const keys = plan.keys.map((k): Field => ({ name: k, dtype: lookupColumnIn(k, input, 'groupBy') }))
      const aggs = plan.aggs.map((a): Field => {
        const node = aggCallNode(a)
        if (aggCallArgs(a).some(containsAgg)) {
          throw new TsdaskError(
            'INVALID_ARGUMENT',
            `\`${printExpr(node)}\` nests an aggregate inside another; compute the inner one in a separate agg() first.`,
          )
        }
        return { name: a.name, dtype: dtypeOf(node, input) }
      })
      const names = new Set<string>()
      for (const f of [...keys, ...aggs]) {
        if (names.has(f.name))
          throw new TsdaskError(
            'INVALID_ARGUMENT',
            `output column "${f.name}" appears twice in the aggregation; rename one of them.`,
          )
        names.add(f.name)
      }
      return [...keys, ...aggs]
    }
    case 'Sort': {
      const input = schemaOf(plan.input)
      for (const k of plan.keys) lookupColumnIn(k.column, input, 'sort')
      return input
    }
    case 'Limit':
      if (!Number.isInteger(plan.limit) || plan.limit < 0 || !Number.isInteger(plan.offset) || plan.offset < 0) {
        throw new TsdaskError(
          'INVALID_ARGUMENT',
          `limit and offset must be non-negative integers, got limit ${plan.limit}, offset ${plan.offset}.`,
        )
      }
      return schemaOf(plan.input)
    case 'Distinct':
      return schemaOf(plan.input)
    case 'Sample':
      checkSampleArgs(plan.fraction, plan.seed)
      return schemaOf(plan.input)
    case 'Union':
      return unionSchema(plan.inputs.map(schemaOf))
    case 'Join':
      return joinSchema(plan, schemaOf(plan.left), schemaOf(plan.right))
  }
}

function checkPredicate(predicate: ExprNode, input: Schema): void {
  if (containsAgg(predicate)) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `filter \`${printExpr(predicate)}\` uses an aggregate; filter after groupBy(...).agg(...) instead.`,
    )
  }
  const t = inferType(predicate, input)
  if (t !== null && t !== 'bool') {
    throw new TsdaskError(
      'TYPE_MISMATCH',
      `filter needs a bool predicate, but \`${printExpr(predicate)}\` is ${t}. Compare it, e.g. \`${printExpr(predicate)} > 0\`.`,
    )
  }
}

function lookupColumnIn(name: string, schema: Schema, where: string) {
  if (!schema.some((f) => f.name === name)) throw unknownColumn(name, schema, where)
  return lookupColumn(name, schema)
}

/** Adds "(built at file:line:col)" to user errors raised while deriving a node's schema. */
function withOrigin<T>(plan: LogicalPlan, f: () => T): T {
  try {
    return f()
  } catch (error) {
    if (error instanceof TsdaskError && plan.origin && !error.details.origin) {
      const e = new TsdaskError(
        error.code,
        `${error.message}\n  in ${plan.kind.toLowerCase()} built at ${plan.origin}`,
        {
          ...error.details,
          origin: plan.origin,
        },
      )
      throw e
    }
    throw error
  }
}

/** sample()'s fraction is a share of rows in [0, 1]; its seed a 32-bit integer. */
export function checkSampleArgs(fraction: unknown, seed: unknown): void {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `sample({ fraction: ${String(fraction)} }): the fraction is the expected share of rows kept, a number between 0 and 1`,
    )
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < -2147483648 || seed > 4294967295) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `sample({ seed: ${String(seed)} }): the seed must be an integer (32 bits), e.g. sample({ fraction: 0.1, seed: 42 })`,
    )
  }
}
