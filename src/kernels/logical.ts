/**
 * Boolean logic. `and` / `or` follow SQL's three-valued (Kleene) logic: false AND null = false,
 * true OR null = true, otherwise null wins. Null slots may hold any value byte, so every formula
 * masks values with validity before trusting them.
 */
import { TsdaskError } from '../util/errors.js'
import type { BoolCol, Col } from './column.js'

function asBool(c: Col, op: string): BoolCol {
  if (c.kind === 'bool') return c
  throw new TsdaskError('INTERNAL', `${op} on ${c.kind}: lowering must give bool operands`)
}

export function kleene(op: 'and' | 'or', left: Col, right: Col): BoolCol {
  const a = asBool(left, op)
  const b = asBool(right, op)
  const n = a.length
  const x = a.values
  const y = b.values
  const out = new Uint8Array(n)
  if (a.valid === null && b.valid === null) {
    if (op === 'and') for (let i = 0; i < n; i++) out[i] = x[i]! & y[i]!
    else for (let i = 0; i < n; i++) out[i] = x[i]! | y[i]!
    return { kind: 'bool', length: n, values: out, valid: null }
  }
  const va = a.valid
  const vb = b.valid
  const valid = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const pa = va ? va[i]! : 1
    const pb = vb ? vb[i]! : 1
    const xa = x[i]! & pa
    const yb = y[i]! & pb
    if (op === 'and') {
      // A known false decides; otherwise the result is known only when both sides are.
      const decided = (pa & (xa ^ 1)) | (pb & (yb ^ 1))
      valid[i] = decided | (pa & pb)
      out[i] = decided ? 0 : xa & yb
    } else {
      const decided = xa | yb
      valid[i] = decided | (pa & pb)
      out[i] = decided
    }
  }
  return { kind: 'bool', length: n, values: out, valid }
}

export function not(c: Col): BoolCol {
  const a = asBool(c, 'not')
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a.values[i]! ^ 1
  return { kind: 'bool', length: a.length, values: out, valid: a.valid }
}

export function isNull(c: Col, negated: boolean): BoolCol {
  const n = c.length
  const out = new Uint8Array(n)
  if (c.valid === null) out.fill(negated ? 1 : 0)
  else for (let i = 0; i < n; i++) out[i] = negated ? c.valid[i]! : c.valid[i]! ^ 1
  return { kind: 'bool', length: n, values: out, valid: null }
}
