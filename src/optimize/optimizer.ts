/**
 * The optimizer driver: runs the ordered rules again and again until a pass changes nothing
 * (a fixed point by plan signature). After each rule it checks that the output schema is the
 * one the user asked for, and it names the rule in every error, so a broken rule cannot
 * silently change an answer. An observer records each rule's effect for `explain({ rules: true })`.
 *
 * Rules stay within the depth limits (util/depth-limits.ts): merging projections or pushing a
 * predicate through them substitutes expressions into each other and could nest them past what
 * lowering and the workers can walk. A rewrite that would is dropped, as if the rule had not
 * matched: rules never change results, so not applying one is always correct. For rules the driver
 * walks, that is decided node by node; for rules that recurse themselves, for their whole output.
 */
import { exceedsDepthLimits } from '../plan/depth.js'
import { explainPlan } from '../plan/explain.js'
import { type LogicalPlan, planInputs, withInputs } from '../plan/plan.js'
import { schemaOf } from '../plan/schema-of.js'
import { planSignature } from '../plan/signature.js'
import { formatSchema, type Schema } from '../types/schema.js'
import { TsdaskError } from '../util/errors.js'
import { defaultRules } from './default-rules.js'
import type { OptimizeContext, Rule, RuleName, Transformed } from './rule.js'

export interface OptimizeOptions {
  readonly rules?: readonly Rule[]
  readonly disable?: readonly RuleName[]
  readonly maxPasses?: number
  readonly observe?: (step: RuleStep) => void
}

export interface RuleStep {
  readonly pass: number
  readonly rule: RuleName
  readonly changed: boolean
  readonly plan: LogicalPlan
}

export function optimize(plan: LogicalPlan, options: OptimizeOptions = {}): LogicalPlan {
  const rules = (options.rules ?? defaultRules).filter((r) => !options.disable?.includes(r.name))
  const ctx: OptimizeContext = { disabled: new Set(options.disable ?? []) }
  const expected = schemaOf(plan)
  const seen = new Set<string>([planSignature(plan)])
  const maxPasses = options.maxPasses ?? 16
  let current = plan
  for (let pass = 1; pass <= maxPasses; pass++) {
    let passChanged = false
    for (const rule of rules) {
      const result = applyRule(rule, current, ctx)
      if (result.changed) {
        checkSchema(rule, expected, result.value)
        current = result.value
        passChanged = true
      }
      options.observe?.({ pass, rule: rule.name, changed: result.changed, plan: current })
    }
    if (!passChanged) return current
    const sig = planSignature(current)
    if (seen.has(sig)) {
      throw new TsdaskError(
        'OPTIMIZER',
        `optimizer did not converge: pass ${pass} produced a plan seen before:\n${explainPlan(current)}`,
      )
    }
    seen.add(sig)
  }
  throw new TsdaskError('OPTIMIZER', `optimizer did not reach a fixed point in ${maxPasses} passes`)
}

function applyRule(rule: Rule, plan: LogicalPlan, ctx: OptimizeContext): Transformed<LogicalPlan> {
  try {
    if (rule.applyOrder) return walk(rule, plan, ctx, rule.applyOrder)
    const result = rule.rewrite(plan, ctx)
    return result.changed && anyExceedsDepthLimits(result.value) ? { value: plan, changed: false } : result
  } catch (error) {
    // The input plan was validated before any rule ran, so whatever a rule throws is the rule's fault.
    throw new TsdaskError(
      'OPTIMIZER',
      `optimizer rule ${rule.name} failed: ${(error as Error).message}`,
      {},
      { cause: error },
    )
  }
}

function walk(
  rule: Rule,
  plan: LogicalPlan,
  ctx: OptimizeContext,
  order: 'top-down' | 'bottom-up',
): Transformed<LogicalPlan> {
  let changed = false
  let node = plan
  if (order === 'top-down') {
    const r = rewriteWithinLimits(rule, node, ctx)
    changed ||= r.changed
    node = r.value
  }
  const inputs = planInputs(node).map((i) => {
    const r = walk(rule, i, ctx, order)
    changed ||= r.changed
    return r.value
  })
  node = withInputs(node, inputs)
  if (order === 'bottom-up') {
    const r = rewriteWithinLimits(rule, node, ctx)
    changed ||= r.changed
    node = r.value
  }
  return { value: node, changed }
}

function rewriteWithinLimits(rule: Rule, node: LogicalPlan, ctx: OptimizeContext): Transformed<LogicalPlan> {
  const r = rule.rewrite(node, ctx)
  // A rewrite may replace the node's inputs too (a top-down rule moving nodes): check them all.
  return r.changed && anyExceedsDepthLimits(r.value) ? { value: node, changed: false } : r
}

/** Walks only nodes not seen before: a rewrite usually shares most of its subtree with its input. */
function anyExceedsDepthLimits(plan: LogicalPlan): boolean {
  const stack = [plan]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (checked.has(node)) continue
    if (exceedsDepthLimits(node)) return true
    checked.add(node)
    stack.push(...planInputs(node))
  }
  return false
}

/** Nodes found within the depth limits (plans are immutable, so the answer never changes). */
const checked = new WeakSet<LogicalPlan>()

function checkSchema(rule: Rule, expected: Schema, plan: LogicalPlan): void {
  let actual: Schema
  try {
    actual = schemaOf(plan)
  } catch (error) {
    throw new TsdaskError(
      'OPTIMIZER',
      `optimizer rule ${rule.name} produced an invalid plan: ${(error as Error).message}`,
      {},
      { cause: error },
    )
  }
  if (formatSchema(actual) !== formatSchema(expected)) {
    throw new TsdaskError(
      'OPTIMIZER',
      `optimizer rule ${rule.name} changed the output schema from [${formatSchema(expected)}] to [${formatSchema(actual)}]`,
    )
  }
}
