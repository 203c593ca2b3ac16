/**
 * UNION ALL's schema rule: every input has the same column names and dtypes, in the same order
 * (no implicit widening or reordering, so a mistake is an error rather than a silently shifted
 * column). The error names the first difference and how to line the frames up.
 */
import { formatSchema, type Schema } from '../types/schema.js'
import { TsdaskError } from '../util/errors.js'

export function unionSchema(schemas: readonly Schema[]): Schema {
  const first = schemas[0]
  if (first === undefined) throw new TsdaskError('INVALID_ARGUMENT', 'unionAll needs at least one input')
  schemas.forEach((other, k) => {
    if (k === 0) return
    const n = Math.max(first.length, other.length)
    for (let i = 0; i < n; i++) {
      const a = first[i]
      const b = other[i]
      if (a && b && a.name === b.name && a.dtype === b.dtype) continue
      const describe = (f: typeof a) => (f ? `"${f.name}" ${f.dtype}` : 'nothing')
      throw new TsdaskError(
        'TYPE_MISMATCH',
        `unionAll: column ${i + 1} is ${describe(a)} in the first frame but ${describe(b)} in input ${k + 1}. ` +
          'Both frames need the same column names and dtypes in the same order: select, rename or cast first. ' +
          `First: [${formatSchema(first)}]; input ${k + 1}: [${formatSchema(other)}].`,
        { position: i },
      )
    }
  })
  return first
}
