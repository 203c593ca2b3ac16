/**
 * Argument lists and result types of the scalar functions (`Call` nodes), DuckDB's:
 * abs / floor / ceil keep a numeric input's type; round(x, digits) keeps it too (digits an
 * integer, default 0); substr(s, start[, length]) is utf8 with integer positions; year / month /
 * day of a date32 or timestamp[ms] are int64 (BIGINT in DuckDB).
 */
import { type DType, isNumeric, isTemporal } from '../types/dtype.js'
import type { CallNode, ScalarFn } from './expr-node.js'

interface Signature {
  /** Allowed argument counts. */
  readonly arity: readonly number[]
  /** What each argument must be, for the error message. */
  readonly params: readonly string[]
  readonly accepts: readonly ((t: DType) => boolean)[]
  readonly result: (first: DType | null) => DType | null
}

const isInteger = (t: DType) => t === 'int32' || t === 'int64'
const numeric: Pick<Signature, 'arity' | 'params' | 'accepts' | 'result'> = {
  arity: [1],
  params: ['a number'],
  accepts: [isNumeric],
  result: (t) => t,
}
const datePart: Signature = {
  arity: [1],
  params: ['a date32 or timestamp'],
  accepts: [isTemporal],
  result: () => 'int64',
}

export const CALL_SIGNATURES: Readonly<Record<ScalarFn, Signature>> = {
  abs: numeric,
  floor: numeric,
  ceil: numeric,
  round: { arity: [1, 2], params: ['a number', 'an integer'], accepts: [isNumeric, isInteger], result: (t) => t },
  substr: {
    arity: [2, 3],
    params: ['a string', 'an integer', 'an integer'],
    accepts: [(t) => t === 'utf8', isInteger, isInteger],
    result: () => 'utf8',
  },
  year: datePart,
  month: datePart,
  day: datePart,
}

/**
 * The result type of a call given its argument types (null: an untyped NULL), or a description
 * of what is wrong for the caller to raise.
 */
export function callType(e: CallNode, args: readonly (DType | null)[]): { type: DType | null } | { error: string } {
  const sig = CALL_SIGNATURES[e.fn]
  if (!sig.arity.includes(args.length)) {
    const counts = sig.arity.join(' or ')
    return { error: `${e.fn} takes ${counts} argument${sig.arity.at(-1) === 1 ? '' : 's'}, got ${args.length}` }
  }
  for (let i = 0; i < args.length; i++) {
    const t = args[i]
    if (t !== null && t !== undefined && !sig.accepts[i]!(t)) {
      return { error: `argument ${i + 1} of ${e.fn} must be ${sig.params[i]}, got ${t}` }
    }
  }
  return { type: sig.result(args[0] ?? null) }
}
