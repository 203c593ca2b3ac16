/**
 * tsdask: lazy, partitioned, typed DataFrames over Apache Arrow, run on all cores.
 * Public re-exports only.
 */
export { DataFrame, type ExplainOptions, type SortSpec } from './api/data-frame.js'
export type { ComputeOptions } from './api/execute.js'
export { GroupBy } from './api/group-by.js'
export { type FromRecordsOptions, fromArrow, fromRecords, type ReadCsvOptions, readCsv } from './api/read.js'
export { type SchedulerChoice, shutdown } from './api/schedulers.js'
export { type SqlOptions, type SqlTable, sql } from './api/sql.js'
export type { ArrowTypeMap, Row } from './api/types.js'
export { CaseExpr, coalesce, col, corr, count, Expr, lit, when } from './expr/builder.js'
export { printExpr } from './expr/print.js'
export type { ExprType, SchemaShape } from './expr/typing.js'
export { parseSize } from './io/csv/size.js'
export { parseExpression, parseSql, printPlan } from './parse/index.js'
export { persistedBytes } from './schedule/persisted-store.js'
export { createPoolScheduler, type PoolSchedulerOptions } from './schedule/pool/pool-scheduler.js'
export { type OperationSummary, Profile, type TaskTiming } from './schedule/profile.js'
export type { Scheduler, SchedulerEvent } from './schedule/scheduler.js'
export { createSyncScheduler } from './schedule/sync.js'
export type { DType } from './types/dtype.js'
export { MAX_EXPRESSION_DEPTH, MAX_PLAN_DEPTH, MAX_QUERY_NESTING } from './util/depth-limits.js'
export { type ErrorCode, TsdaskError } from './util/errors.js'
