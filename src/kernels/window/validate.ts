/**
 * Checks a window spec before anything runs, so a mistake reads as what is wrong and how to fix it
 * (`ntile(0)`, a frame that starts after it ends, `-1 PRECEDING`), not as a wrong answer. The plan
 * calls it when the user builds a window; the kernel calls it again on the task's args, which may
 * have travelled as JSON.
 *
 * Frame rule: place each bound on a line around the current row (UNBOUNDED PRECEDING at -∞,
 * n PRECEDING at -n, CURRENT ROW at 0, n FOLLOWING at +n, UNBOUNDED FOLLOWING at +∞); the start
 * must not be after the end, the start cannot be UNBOUNDED FOLLOWING and the end cannot be
 * UNBOUNDED PRECEDING. This is DuckDB's and PostgreSQL's rule, except that frames that are empty
 * for every row (`1 PRECEDING AND 2 PRECEDING`), which they accept and answer with nulls, are
 * refused here: they are always a mistake.
 */
import { type DType, isDType, isNumeric } from '../../types/dtype.js'
import { TsdaskError } from '../../util/errors.js'
import { literalScalar } from '../scalar.js'
import { describeBound, describeFrame, describeWindowFunction } from './describe.js'
import {
  type FrameBound,
  WINDOW_FUNCTION_FAMILY,
  type WindowClause,
  type WindowFrame,
  type WindowFunctionSpec,
} from './spec.js'

const FUNCTIONS = new Set<string>(Object.keys(WINDOW_FUNCTION_FAMILY))

function invalid(where: string, what: string, fix: string): TsdaskError {
  return new TsdaskError('INVALID_ARGUMENT', `${where}: ${what}. ${fix}`, { window: where })
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0

/** Where on the line around the current row a bound sits (see the module comment). */
function position(bound: FrameBound): number {
  switch (bound.kind) {
    case 'unboundedPreceding':
      return Number.NEGATIVE_INFINITY
    case 'preceding':
      return -bound.offset
    case 'currentRow':
      return 0
    case 'following':
      return bound.offset
    case 'unboundedFollowing':
      return Number.POSITIVE_INFINITY
  }
}

function validateBound(bound: FrameBound, side: 'start' | 'end', frame: WindowFrame, where: string): void {
  const kind = (bound as { kind?: unknown } | null)?.kind
  if (
    kind !== 'unboundedPreceding' &&
    kind !== 'preceding' &&
    kind !== 'currentRow' &&
    kind !== 'following' &&
    kind !== 'unboundedFollowing'
  ) {
    throw invalid(
      where,
      `the frame ${side} ${JSON.stringify(bound)} is not a frame bound`,
      'Use UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING or UNBOUNDED FOLLOWING.',
    )
  }
  if (kind === 'preceding' || kind === 'following') {
    const offset = (bound as { offset?: unknown }).offset
    if (!isCount(offset)) {
      throw invalid(
        where,
        `the frame ${side} ${String(offset)} ${kind.toUpperCase()} needs a non-negative whole number of rows`,
        kind === 'preceding' && typeof offset === 'number' && offset < 0
          ? `Write ${String(-offset)} FOLLOWING for rows after the current one.`
          : kind === 'following' && typeof offset === 'number' && offset < 0
            ? `Write ${String(-offset)} PRECEDING for rows before the current one.`
            : 'Give the offset as an integer such as 3.',
      )
    }
    if (frame.unit === 'range') {
      throw new TsdaskError(
        'NOT_SUPPORTED',
        `${where}: RANGE frames with an offset (${describeBound(bound)}) are not supported yet. ` +
          'Use UNBOUNDED PRECEDING, CURRENT ROW or UNBOUNDED FOLLOWING with RANGE, or count rows with ROWS BETWEEN n PRECEDING AND … .',
        { window: where },
      )
    }
  }
}

export function validateWindowFrame(frame: WindowFrame, where = 'window frame'): void {
  if (frame === null || typeof frame !== 'object') {
    throw invalid(where, `the frame ${JSON.stringify(frame)} is not an object`, 'Give { unit, start, end }.')
  }
  if (frame.unit !== 'rows' && frame.unit !== 'range') {
    throw invalid(where, `the frame unit ${JSON.stringify(frame.unit)} is unknown`, "Use 'rows' or 'range'.")
  }
  validateBound(frame.start, 'start', frame, where)
  validateBound(frame.end, 'end', frame, where)
  const text = describeFrame(frame)
  if (frame.start.kind === 'unboundedFollowing') {
    throw invalid(where, `${text} starts at UNBOUNDED FOLLOWING`, 'A frame can end there, not start there.')
  }
  if (frame.end.kind === 'unboundedPreceding') {
    throw invalid(where, `${text} ends at UNBOUNDED PRECEDING`, 'A frame can start there, not end there.')
  }
  if (position(frame.start) > position(frame.end)) {
    throw invalid(
      where,
      `${text} starts after it ends, so it holds no row`,
      'Swap the bounds, e.g. ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING.',
    )
  }
}

function validateInput(spec: { input: unknown; inputDType: unknown }, where: string): DType {
  if (!isCount(spec.input)) {
    throw invalid(where, `the input column #${String(spec.input)} is not a column index`, 'Give a column index ≥ 0.')
  }
  if (!isDType(spec.inputDType)) {
    throw invalid(where, `the input dtype ${JSON.stringify(spec.inputDType)} is unknown`, 'Give a tsdask dtype.')
  }
  return spec.inputDType
}

function validateIgnoreNulls(spec: { ignoreNulls?: unknown }, where: string): void {
  if (spec.ignoreNulls !== undefined && typeof spec.ignoreNulls !== 'boolean') {
    throw invalid(
      where,
      `ignoreNulls must be true or false, got ${JSON.stringify(spec.ignoreNulls)}`,
      'Omit it or give a boolean.',
    )
  }
}

/** Throws a TsdaskError naming the spec and what is wrong with it. */
export function validateWindowFunction(spec: WindowFunctionSpec): void {
  const fn = (spec as { fn?: unknown } | null)?.fn
  if (typeof fn !== 'string' || !FUNCTIONS.has(fn)) {
    throw invalid(
      'window function',
      `${JSON.stringify(fn)} is not a window function`,
      `Use one of ${[...FUNCTIONS].join(', ')}.`,
    )
  }
  const where = `window function ${JSON.stringify(spec.name)} = ${describeWindowFunction(spec)}`
  if (typeof spec.name !== 'string') {
    throw invalid(where, `its output name ${JSON.stringify(spec.name)} is not a string`, 'Name the output column.')
  }
  if ('frame' in spec && spec.frame !== undefined) validateWindowFrame(spec.frame, where)
  switch (spec.fn) {
    case 'rowNumber':
    case 'rank':
    case 'denseRank':
    case 'percentRank':
    case 'cumeDist':
    case 'countAll':
      return
    case 'ntile':
      if (!isCount(spec.buckets) || spec.buckets === 0) {
        throw invalid(
          where,
          `the number of buckets must be a positive whole number, got ${String(spec.buckets)}`,
          'Write ntile(n) with n ≥ 1.',
        )
      }
      return
    case 'lag':
    case 'lead': {
      const dtype = validateInput(spec, where)
      validateIgnoreNulls(spec, where)
      if (spec.offset !== undefined && !(typeof spec.offset === 'number' && Number.isSafeInteger(spec.offset))) {
        throw invalid(
          where,
          `the offset must be a whole number of rows, got ${String(spec.offset)}`,
          'Give an integer such as 1.',
        )
      }
      const d = spec.default
      if (d === undefined) return
      if (d.kind === 'column') {
        if (!isCount(d.index)) {
          throw invalid(
            where,
            `the default column #${String(d.index)} is not a column index`,
            'Give a column index ≥ 0.',
          )
        }
      } else if (d.kind === 'literal') {
        try {
          literalScalar(d.value, dtype)
        } catch {
          throw invalid(
            where,
            `the default ${JSON.stringify(d.value)} is not a ${dtype} value`,
            `Cast the default to ${dtype} (int64 as a decimal string, date32 as days, timestamp[ms] as milliseconds).`,
          )
        }
      } else {
        throw invalid(
          where,
          `the default ${JSON.stringify(d)} is neither a literal nor a column`,
          "Give { kind: 'literal', value } or { kind: 'column', index }.",
        )
      }
      return
    }
    case 'firstValue':
    case 'lastValue':
      validateInput(spec, where)
      validateIgnoreNulls(spec, where)
      return
    case 'nthValue':
      validateInput(spec, where)
      validateIgnoreNulls(spec, where)
      if (!isCount(spec.n) || spec.n === 0) {
        throw invalid(
          where,
          `the row number must be a positive whole number, got ${String(spec.n)}`,
          "nth_value counts from 1: nth_value(x, 1) is the frame's first row.",
        )
      }
      return
    case 'sum':
    case 'mean': {
      const dtype = validateInput(spec, where)
      if (!isNumeric(dtype)) {
        throw new TsdaskError(
          'TYPE_MISMATCH',
          `${where}: ${spec.fn === 'sum' ? 'sum' : 'avg'} needs a numeric input, got ${dtype}. Cast it first, e.g. CAST(x AS float64).`,
          { window: where },
        )
      }
      return
    }
    case 'min':
    case 'max':
    case 'count':
      validateInput(spec, where)
      return
  }
}

/** The clause's own shape: indexes and sort keys (column ranges are checked against the batch). */
export function validateWindowClause(clause: WindowClause): void {
  const where = 'window OVER clause'
  if (!Array.isArray(clause?.partitionBy) || !clause.partitionBy.every(isCount)) {
    throw invalid(
      where,
      `PARTITION BY ${JSON.stringify(clause?.partitionBy)} is not a list of column indexes`,
      'Give column indexes ≥ 0.',
    )
  }
  if (!Array.isArray(clause.orderBy)) {
    throw invalid(
      where,
      `ORDER BY ${JSON.stringify(clause.orderBy)} is not a list of sort keys`,
      'Give { index, descending, nullsFirst } keys.',
    )
  }
  for (const key of clause.orderBy) {
    if (!isCount(key?.index) || typeof key.descending !== 'boolean' || typeof key.nullsFirst !== 'boolean') {
      throw invalid(
        where,
        `the ORDER BY key ${JSON.stringify(key)} is not a sort key`,
        'Give { index, descending, nullsFirst }.',
      )
    }
  }
}
