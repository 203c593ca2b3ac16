/**
 * The optimizer settings the optimizer properties compare with the plan as written: every rule,
 * one rule alone, and a random subset of rules, all on the sync scheduler.
 */
import type { ComputeOptions } from '../../src/index.js'
import { defaultRules } from '../../src/optimize/default-rules.js'

export const RULES = defaultRules.map((r) => r.name)

const sync = { scheduler: 'sync' } as const

/** [what, options] for all rules, `alone` by itself, and the rules in `subset` together. */
export function ruleModes(alone: string, subset: readonly string[]): [string, ComputeOptions][] {
  const only = (names: readonly string[]) => RULES.filter((r) => !names.includes(r))
  return [
    ['all rules', sync],
    [`only ${alone}`, { ...sync, disableRules: only([alone]) }],
    [`only [${subset.join(', ')}]`, { ...sync, disableRules: only(subset) }],
  ]
}
