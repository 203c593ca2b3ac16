/**
 * THE function table of the query language: one entry per function name (lower case), saying
 * whether it is scalar or an aggregate, how many arguments it takes, and how it becomes an
 * `ExprNode`. Wiring a new engine function into SQL and expression strings is one line here:
 * add a `scalar(...)` / `aggregate(...)` entry.
 */
import type { AggFn, ExprNode, ScalarFn, StringFn } from '../expr/expr-node.js'

export interface CallArgs {
  readonly args: readonly ExprNode[]
  /** `count(*)`. */
  readonly star: boolean
  /** `count(DISTINCT x)`. */
  readonly distinct: boolean
}

/**
 * The node, or why the call cannot be built (the caller adds the position): `notSupported` names a
 * construct the engine lacks, `invalid` a mistake in the call.
 */
export type Build = (call: CallArgs) => ExprNode | { readonly notSupported: string } | { readonly invalid: string }

export interface FunctionEntry {
  readonly kind: 'scalar' | 'aggregate'
  readonly minArgs: number
  readonly maxArgs: number
  readonly build: Build
  /** How the signature reads in messages: `substr(text, start[, length])`. */
  readonly signature: string
}

function scalar(signature: string, minArgs: number, maxArgs: number, build: Build): FunctionEntry {
  return { kind: 'scalar', signature, minArgs, maxArgs, build }
}
function aggregate(signature: string, build: Build, args = 1): FunctionEntry {
  return { kind: 'aggregate', signature, minArgs: args, maxArgs: args, build }
}

/** A scalar function the engine runs as a `Call` node (argument types checked by call-types.ts). */
function call(fn: ScalarFn, signature: string, minArgs: number, maxArgs: number): FunctionEntry {
  return scalar(signature, minArgs, maxArgs, ({ args }) => ({ kind: 'Call', fn, args }))
}

function stringFn(fn: StringFn): Build {
  return ({ args }) => ({ kind: 'String', fn, arg: args[0]! })
}

function patternFn(fn: StringFn): Build {
  return ({ args }) => {
    const pattern = args[1]
    if (pattern?.kind !== 'Literal' || typeof pattern.value !== 'string') {
      return { invalid: `the second argument of ${fnName(fn)}() must be a 'string' literal` }
    }
    return { kind: 'String', fn, arg: args[0]!, pattern: pattern.value }
  }
}

function fnName(fn: StringFn): string {
  return fn === 'startsWith' ? 'starts_with' : fn === 'endsWith' ? 'ends_with' : fn
}

/** `written`: the name the query used, for the DISTINCT message. */
function agg(fn: AggFn, written: string): Build {
  return ({ args, distinct }) => {
    if (distinct) return { notSupported: `${written}(DISTINCT …)` }
    const [arg, arg2] = args
    return arg2 === undefined ? { kind: 'Agg', fn, arg: arg! } : { kind: 'Agg', fn, arg: arg!, arg2 }
  }
}

/** `quantile_cont(x, 0.9)`: the fraction must be a number literal in [0, 1]. */
function quantileAgg(fn: 'quantile' | 'quantileDisc', written: string): Build {
  return ({ args, distinct }) => {
    if (distinct) return { notSupported: `${written}(DISTINCT …)` }
    const [arg, fraction] = args
    const q = fraction?.kind === 'Literal' ? fraction.value : undefined
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      return {
        invalid: `the second argument of ${written}() must be a number literal between 0 and 1, e.g. ${written}(x, 0.9)`,
      }
    }
    return { kind: 'Agg', fn, arg: arg!, q }
  }
}

export const FUNCTIONS: Readonly<Record<string, FunctionEntry>> = {
  // Scalar functions the engine has.
  lower: scalar('lower(text)', 1, 1, stringFn('lower')),
  upper: scalar('upper(text)', 1, 1, stringFn('upper')),
  length: scalar('length(text)', 1, 1, stringFn('length')),
  starts_with: scalar("starts_with(text, 'prefix')", 2, 2, patternFn('startsWith')),
  ends_with: scalar("ends_with(text, 'suffix')", 2, 2, patternFn('endsWith')),
  contains: scalar("contains(text, 'part')", 2, 2, patternFn('contains')),
  coalesce: scalar('coalesce(x, y, …)', 1, Number.POSITIVE_INFINITY, ({ args }) => ({ kind: 'Coalesce', args })),
  abs: call('abs', 'abs(x)', 1, 1),
  round: call('round', 'round(x[, digits])', 1, 2),
  floor: call('floor', 'floor(x)', 1, 1),
  ceil: call('ceil', 'ceil(x)', 1, 1),
  substr: call('substr', 'substr(text, start[, length])', 2, 3),
  year: call('year', 'year(date)', 1, 1),
  month: call('month', 'month(date)', 1, 1),
  day: call('day', 'day(date)', 1, 1),
  // Aggregates. count(*) and count(DISTINCT x) are handled in `count`'s build.
  count: {
    kind: 'aggregate',
    signature: 'count(*), count(x) or count(DISTINCT x)',
    minArgs: 0,
    maxArgs: 1,
    build: ({ args, star, distinct }) => {
      if (star) return { kind: 'Agg', fn: 'countAll', arg: null }
      const arg = args[0]
      if (!arg) return { invalid: 'count() needs * or an argument: count(*) counts rows' }
      return { kind: 'Agg', fn: distinct ? 'countDistinct' : 'count', arg }
    },
  },
  sum: aggregate('sum(x)', agg('sum', 'sum')),
  avg: aggregate('avg(x)', agg('mean', 'avg')),
  mean: aggregate('mean(x)', agg('mean', 'mean')),
  min: aggregate('min(x)', agg('min', 'min')),
  max: aggregate('max(x)', agg('max', 'max')),
  // Sample statistics (n - 1), as DuckDB's stddev / variance.
  stddev: aggregate('stddev(x)', agg('stddev', 'stddev')),
  stddev_samp: aggregate('stddev_samp(x)', agg('stddev', 'stddev_samp')),
  variance: aggregate('variance(x)', agg('variance', 'variance')),
  var_samp: aggregate('var_samp(x)', agg('variance', 'var_samp')),
  median: aggregate('median(x)', agg('median', 'median')),
  // As in DuckDB, quantile(x, q) is quantile_disc (an input value); quantile_cont interpolates.
  quantile_cont: aggregate('quantile_cont(x, q)', quantileAgg('quantile', 'quantile_cont'), 2),
  quantile_disc: aggregate('quantile_disc(x, q)', quantileAgg('quantileDisc', 'quantile_disc'), 2),
  quantile: aggregate('quantile(x, q)', quantileAgg('quantileDisc', 'quantile'), 2),
  corr: aggregate('corr(x, y)', agg('corr', 'corr'), 2),
}

export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS)
