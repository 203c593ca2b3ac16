/**
 * The dtype of a window function's output column. Aggregates type exactly as the group-by's do
 * (src/expr/dtype-of.ts, src/kernels/group-by/state.ts), so `sum(x) OVER (…)` and a grouped
 * `sum(x)` agree: sum of integers is int64, of float64 float64; mean is float64; counts are int64;
 * min / max keep the input dtype. Positions (row_number, rank, dense_rank, ntile) are int64 and
 * percent_rank / cume_dist float64, as in DuckDB; value functions keep the input dtype.
 */
import type { DType } from '../../types/dtype.js'
import type { WindowFunctionSpec } from './spec.js'

export function windowResultDType(spec: WindowFunctionSpec): DType {
  switch (spec.fn) {
    case 'rowNumber':
    case 'rank':
    case 'denseRank':
    case 'ntile':
    case 'count':
    case 'countAll':
      return 'int64'
    case 'percentRank':
    case 'cumeDist':
    case 'mean':
      return 'float64'
    case 'sum':
      return spec.inputDType === 'float64' ? 'float64' : 'int64'
    case 'lag':
    case 'lead':
    case 'firstValue':
    case 'lastValue':
    case 'nthValue':
    case 'min':
    case 'max':
      return spec.inputDType
  }
}
