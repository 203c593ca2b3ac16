/**
 * The task graph: a plain, inspectable map `key → task` (Dask's graph spec, in JSON-safe form).
 * A task names a registered operation, its JSON-safe arguments and the keys it depends on; the
 * operation receives the dependencies' values in `deps` order. Dependencies are an explicit list
 * of keys, never strings hidden inside arguments, so literals and references cannot be confused.
 * Nothing here is specific to dataframes.
 */
export type Key = string

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/** Human-facing facts about a task, used in labels, progress and error messages. */
export interface TaskMeta {
  /** Short readable name, e.g. `read-csv`, `filter`, `fused-read-csv-filter-project`. */
  readonly label?: string
  /** Where the user built the step this task runs: `report.ts:42:7`. */
  readonly origin?: string
  /** Partition index for per-partition tasks. */
  readonly partition?: number
  /** What data it reads, e.g. `trips/2024-01.csv bytes 0..67108864`. */
  readonly source?: string
}

export interface Task {
  readonly op: string
  readonly args: JsonValue
  readonly deps: readonly Key[]
  readonly meta?: TaskMeta
}
