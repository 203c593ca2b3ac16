/** `explain({ rules: true })`: each optimizer rule, pass by pass, and the plan after it when it changed something. */
import { optimize } from '../optimize/optimizer.js'
import { explainPlan } from '../plan/explain.js'
import type { LogicalPlan } from '../plan/plan.js'

export function explainRules(plan: LogicalPlan): string {
  const lines: string[] = []
  optimize(plan, {
    observe: ({ pass, rule, changed, plan: after }) => {
      if (!changed) {
        lines.push(`pass ${pass}, after ${rule}: unchanged`)
        return
      }
      const body = explainPlan(after)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')
      lines.push(`pass ${pass}, after ${rule}:\n${body}`)
    },
  })
  return lines.join('\n')
}
