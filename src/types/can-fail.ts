/**
 * Which operations can raise an error for some input values, by dtype. The evaluator evaluates an
 * expression holding one only on the rows that reach it (the right side of AND / OR, later
 * COALESCE arguments, CASE branches), and the optimizer never moves one onto rows it would not
 * have seen; both ask these two questions, so they agree on what "fallible" means.
 *
 * - A cast fails on a value it cannot represent: text that does not parse (utf8 → anything but
 *   utf8), an out-of-range number (float64 → int32 / int64, int64 → int32). Every other supported
 *   cast is total; a conversion the kernels do not support fails on any row, so it counts too.
 * - Integer `add`, `sub`, `mul`, `negate` and `abs` overflow, and so does `round` of an integer to
 *   tens or more (kernels/arith.ts, kernels/functions/math.ts): an error, never a wrapped value.
 *   Division and modulo by zero give null, not an error.
 */
import type { DType } from './dtype.js'

/** Casts that succeed on every value, by target dtype (casting to utf8 formats anything). */
const TOTAL_CASTS: Readonly<Record<DType, readonly DType[]>> = {
  bool: ['int32', 'int64', 'float64'],
  int32: ['bool'],
  int64: ['bool', 'int32'],
  float64: ['bool', 'int32', 'int64'],
  utf8: ['bool', 'int32', 'int64', 'float64', 'date32', 'timestamp[ms]'],
  date32: ['timestamp[ms]'],
  'timestamp[ms]': ['date32'],
}

export function castCanFail(from: DType, to: DType): boolean {
  return from !== to && !TOTAL_CASTS[to].includes(from)
}

const OVERFLOWING = new Set(['add', 'sub', 'mul', 'negate', 'abs', 'round'])

/** Whether operation `op` (binary, unary or scalar function name) with result dtype `dtype` can overflow. */
export function operationCanFail(op: string, dtype: DType): boolean {
  return OVERFLOWING.has(op) && (dtype === 'int32' || dtype === 'int64')
}
