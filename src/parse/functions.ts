/**
 * THE function table of the query language: one entry per function name (lower case), saying
 * whether it is scalar or an aggregate, how many arguments it takes, and how it becomes an
 * `ExprNode`. Wiring a new engine function into SQL and expression strings is one line here:
 * replace a `notYet(...)` entry with a `scalar(...)` / `aggregate(...)` one.
 *
 * Entries marked `notYet` parse, and then fail with "… is not supported yet" naming the function
 * and its position in the query.
 */
import type { AggFn, ExprNode, StringFn } from '../expr/expr-node.js'

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
  /** Undefined: the engine has no such function yet. */
  readonly build?: Build
  /** How the signature reads in messages: `substr(text, start[, length])`. */
  readonly signature: string
}

function scalar(signature: string, minArgs: number, maxArgs: number, build: Build): FunctionEntry {
  return { kind: 'scalar', signature, minArgs, maxArgs, build }
}
function aggregate(signature: string, build: Build): FunctionEntry {
  return { kind: 'aggregate', signature, minArgs: 1, maxArgs: 1, build }
}
function notYet(kind: FunctionEntry['kind'], signature: string, minArgs: number, maxArgs: number): FunctionEntry {
  return { kind, signature, minArgs, maxArgs }
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

function agg(fn: AggFn): Build {
  return ({ args, distinct }) => {
    if (distinct) return { notSupported: `${fn === 'mean' ? 'avg' : fn}(DISTINCT …)` }
    return { kind: 'Agg', fn, arg: args[0]! }
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
  // Aggregates the engine has. count(*) and count(DISTINCT x) are handled in `count`'s build.
  count: {
    kind: 'aggregate',
    signature: 'count(*) or count(x)',
    minArgs: 0,
    maxArgs: 1,
    build: ({ args, star, distinct }) => {
      if (distinct) return { notSupported: 'count(DISTINCT …)' }
      if (star) return { kind: 'Agg', fn: 'countAll', arg: null }
      const arg = args[0]
      return arg
        ? { kind: 'Agg', fn: 'count', arg }
        : { invalid: 'count() needs * or an argument: count(*) counts rows' }
    },
  },
  sum: aggregate('sum(x)', agg('sum')),
  avg: aggregate('avg(x)', agg('mean')),
  mean: aggregate('mean(x)', agg('mean')),
  min: aggregate('min(x)', agg('min')),
  max: aggregate('max(x)', agg('max')),
  // Parsed, not yet run by the engine.
  abs: notYet('scalar', 'abs(x)', 1, 1),
  round: notYet('scalar', 'round(x[, digits])', 1, 2),
  floor: notYet('scalar', 'floor(x)', 1, 1),
  ceil: notYet('scalar', 'ceil(x)', 1, 1),
  substr: notYet('scalar', 'substr(text, start[, length])', 2, 3),
  year: notYet('scalar', 'year(date)', 1, 1),
  month: notYet('scalar', 'month(date)', 1, 1),
  day: notYet('scalar', 'day(date)', 1, 1),
  stddev: notYet('aggregate', 'stddev(x)', 1, 1),
  variance: notYet('aggregate', 'variance(x)', 1, 1),
  median: notYet('aggregate', 'median(x)', 1, 1),
}

export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS)
