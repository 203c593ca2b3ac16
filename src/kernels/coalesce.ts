/**
 * `coalesce(a, b, …)`: per row, the first non-null argument. Arguments share the result dtype
 * (lowering coerces them). Strings are copied into one plain utf8 column, because the arguments
 * may carry different dictionaries.
 */
import { TsdaskError } from '../util/errors.js'
import type { Col } from './column.js'
import { Utf8Builder } from './utf8.js'

export function coalesce(args: readonly Col[], length: number): Col {
  const first = args[0]
  if (!first) throw new TsdaskError('INTERNAL', 'coalesce needs at least one argument')
  if (args.length === 1 || first.valid === null) return first
  // source[i] = index of the argument that supplies row i, or -1 when all are null.
  const source = new Int8Array(length).fill(-1)
  const valid = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    for (let a = 0; a < args.length; a++) {
      const v = args[a]!.valid
      if (v === null || v[i]) {
        source[i] = a
        valid[i] = 1
        break
      }
    }
  }
  if (first.kind === 'utf8' || first.kind === 'dict') {
    const b = new Utf8Builder(length)
    for (let i = 0; i < length; i++) {
      const a = args[source[i]!]
      if (!a) b.appendEmpty()
      else if (a.kind === 'dict') {
        const c = a.codes[i]!
        b.appendBytes(a.dict.bytes, a.dict.offsets[c]!, a.dict.offsets[c + 1]!)
      } else if (a.kind === 'utf8') b.appendBytes(a.bytes, a.offsets[i]!, a.offsets[i + 1]!)
      else throw new TsdaskError('INTERNAL', `coalesce mixes utf8 and ${a.kind}`)
    }
    return b.finish(valid)
  }
  const out = first.values.slice(0, length) as typeof first.values
  for (let i = 0; i < length; i++) {
    const a = args[source[i]!]
    if (a && a !== first) {
      if (a.kind !== first.kind) throw new TsdaskError('INTERNAL', `coalesce mixes ${first.kind} and ${a.kind}`)
      ;(out as Int32Array)[i] = (a.values as Int32Array)[i]!
    }
  }
  return { ...first, values: out, valid } as Col
}
