/**
 * Window specs printed as SQL, for error messages: `ntile(0)`, `lag(#2, 3)`,
 * `sum(#1) OVER (ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)`. Columns print as `#index` because
 * the kernels know no names; the plan prints the user's own expression.
 */
import type { FrameBound, WindowFrame, WindowFunctionSpec } from './spec.js'

const SQL_NAME: Record<WindowFunctionSpec['fn'], string> = {
  rowNumber: 'row_number',
  rank: 'rank',
  denseRank: 'dense_rank',
  percentRank: 'percent_rank',
  cumeDist: 'cume_dist',
  ntile: 'ntile',
  lag: 'lag',
  lead: 'lead',
  firstValue: 'first_value',
  lastValue: 'last_value',
  nthValue: 'nth_value',
  sum: 'sum',
  mean: 'avg',
  min: 'min',
  max: 'max',
  count: 'count',
  countAll: 'count',
}

export function describeBound(bound: FrameBound): string {
  switch (bound.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING'
    case 'preceding':
      return `${String(bound.offset)} PRECEDING`
    case 'currentRow':
      return 'CURRENT ROW'
    case 'following':
      return `${String(bound.offset)} FOLLOWING`
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING'
    default:
      return JSON.stringify(bound)
  }
}

export function describeFrame(frame: WindowFrame): string {
  return `${String(frame.unit).toUpperCase()} BETWEEN ${describeBound(frame.start)} AND ${describeBound(frame.end)}`
}

function args(spec: WindowFunctionSpec): string[] {
  switch (spec.fn) {
    case 'ntile':
      return [String(spec.buckets)]
    case 'lag':
    case 'lead': {
      const out = [`#${spec.input}`]
      if (spec.offset !== undefined || spec.default !== undefined) out.push(String(spec.offset ?? 1))
      if (spec.default?.kind === 'literal') out.push(JSON.stringify(spec.default.value))
      else if (spec.default?.kind === 'column') out.push(`#${spec.default.index}`)
      return out
    }
    case 'nthValue':
      return [`#${spec.input}`, String(spec.n)]
    case 'countAll':
      return ['*']
    case 'rowNumber':
    case 'rank':
    case 'denseRank':
    case 'percentRank':
    case 'cumeDist':
      return []
    default:
      return [`#${spec.input}`]
  }
}

/** `sum(#1) OVER (ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)`; the OVER part only for an explicit frame. */
export function describeWindowFunction(spec: WindowFunctionSpec): string {
  const name = SQL_NAME[spec.fn] ?? String(spec.fn)
  const ignoreNulls = 'ignoreNulls' in spec && spec.ignoreNulls ? ' IGNORE NULLS' : ''
  const call = `${name}(${args(spec).join(', ')}${ignoreNulls})`
  return 'frame' in spec && spec.frame ? `${call} OVER (${describeFrame(spec.frame)})` : call
}
