/**
 * Window function kernels: what the lowering needs to run `… OVER (PARTITION BY … ORDER BY …)`
 * on a batch that holds whole partitions. See window.ts for the two output forms and spec.ts for
 * the semantics.
 */
export { describeFrame, describeWindowFunction } from './describe.js'
export { windowResultDType } from './result-dtype.js'
export type {
  AggregateSpec,
  CountAllSpec,
  FrameBound,
  FrameUnit,
  FrameValueSpec,
  NthValueSpec,
  NtileSpec,
  OffsetDefault,
  OffsetSpec,
  RankingSpec,
  WindowAggFn,
  WindowClause,
  WindowFn,
  WindowFrame,
  WindowFunctionSpec,
} from './spec.js'
export { DEFAULT_FRAME, frameOf, usesFrame, WINDOW_FUNCTION_FAMILY } from './spec.js'
export { validateWindowClause, validateWindowFrame, validateWindowFunction } from './validate.js'
export { appendWindowColumns, windowColumns, windowSorted } from './window.js'
