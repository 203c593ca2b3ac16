/**
 * A structural signature of a plan: equal plans have equal signatures. The optimizer uses it to
 * detect a fixed point (and non-convergence); lowering uses it to lower a repeated sub-plan once
 * (task keys hash the tasks themselves, graph/hash.ts).
 * Origins are left out: the same query built on two lines is the same computation.
 *
 * A node's signature holds its inputs' signatures, a long one as its SHA-1 instead: written out in
 * full, signatures of a deep plan would grow with the square of its depth, and so would every
 * comparison and key hash made of them.
 */
import { createHash } from 'node:crypto'
import { exprSignature } from '../expr/visit.js'
import type { LogicalPlan } from './plan.js'

const cache = new WeakMap<LogicalPlan, string>()

export function planSignature(plan: LogicalPlan): string {
  const hit = cache.get(plan)
  if (hit !== undefined) return hit
  const sig = compute(plan)
  cache.set(plan, sig)
  return sig
}

/** Inputs' signatures longer than this are embedded as their hash (a SHA-1 in hex is 40 characters). */
const EMBED_MAX = 200

const embedded = new WeakMap<LogicalPlan, string>()

function inputSignature(plan: LogicalPlan): string {
  const hit = embedded.get(plan)
  if (hit !== undefined) return hit
  const sig = planSignature(plan)
  const embed = sig.length <= EMBED_MAX ? sig : `#${createHash('sha1').update(sig).digest('hex')}`
  embedded.set(plan, embed)
  return embed
}

function compute(plan: LogicalPlan): string {
  switch (plan.kind) {
    case 'Scan': {
      const s = plan.source
      const src =
        s.kind === 'memory'
          ? `memory:${s.id}`
          : `csv:${JSON.stringify([s.paths, s.chunks, s.fileSchema, s.delimiter, s.quote, s.header, s.nullValues, s.allowQuotedNulls])}`
      const filters = plan.filters?.length ? `;where ${plan.filters.map(exprSignature).join(' and ')}` : ''
      const rowLimit = plan.rowLimit === undefined ? '' : `;rowLimit ${plan.rowLimit}`
      return `Scan(${src};${JSON.stringify(plan.columns)}${filters}${rowLimit})`
    }
    case 'Filter':
      return `Filter(${exprSignature(plan.predicate)};${inputSignature(plan.input)})`
    case 'Project':
      return `Project(${plan.exprs.map((e) => `${JSON.stringify(e.name)}=${exprSignature(e.expr)}`).join(',')};${inputSignature(plan.input)})`
    case 'Aggregate':
      return `Aggregate(${JSON.stringify(plan.keys)};${plan.aggs
        .map(
          (a) =>
            `${JSON.stringify(a.name)}=${a.fn}(${a.arg ? exprSignature(a.arg) : '*'}${a.arg2 ? `,${exprSignature(a.arg2)}` : ''}${a.q === undefined ? '' : `;q=${a.q}`})`,
        )
        .join(',')};${inputSignature(plan.input)})`
    case 'Sort':
      return `Sort(${JSON.stringify(plan.keys)};${inputSignature(plan.input)})`
    case 'Limit':
      return `Limit(${plan.offset},${plan.limit};${inputSignature(plan.input)})`
    case 'Distinct':
      return `Distinct(${inputSignature(plan.input)})`
    case 'Union':
      return `Union(${plan.inputs.map(inputSignature).join(';')})`
    case 'Join':
      return `Join(${plan.how};${JSON.stringify([plan.leftOn, plan.rightOn, plan.coalesceKeys, plan.suffix, plan.broadcastBelow ?? null])};${inputSignature(plan.left)};${inputSignature(plan.right)})`
    case 'Sample':
      return `Sample(${plan.fraction},${plan.seed};${inputSignature(plan.input)})`
  }
}
