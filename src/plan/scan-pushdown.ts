/**
 * What each kind of scan source can do by itself: the interface between the optimizer's pushdown
 * rules and the readers. The rules ask only these questions, so a new reader (Parquet with
 * row-group statistics, hive-partitioned directories) plugs in by adding an entry here and its
 * lowering, without changing any rule.
 *
 * The contract is always exact: a filter accepted into `ScanNode.filters` must remove exactly the
 * rows where it is not true. A reader that can only prune coarsely (row-group min/max, partition
 * directories) still accepts the filter and lowers it as "skip what is provably false, then filter
 * the rest", so the plan never has to keep an "inexact" copy above the scan.
 */
import type { ExprNode } from '../expr/expr-node.js'
import type { ScanNode, ScanSource } from './plan.js'

export interface ScanCapabilities {
  /** Whether the reader can apply `predicate` (deterministic, already checked by the rule) while reading. */
  acceptsFilter(scan: ScanNode, predicate: ExprNode): boolean
  /** Whether each partition's reader can stop after a number of rows. */
  acceptsRowLimit(scan: ScanNode): boolean
}

/**
 * CSV filters while parsing (rejected rows never become Arrow data) and stops after a row count.
 * In-memory partitions are already Arrow data: a filter "in the scan" would be the same kernel as
 * a Filter above it, so they decline and the plan stays as the user wrote it.
 */
const capabilities: Record<ScanSource['kind'], ScanCapabilities> = {
  csv: {
    // A limit already in the scan applies after its filters: a new filter would change which rows it counts.
    acceptsFilter: (scan) => scan.rowLimit === undefined,
    acceptsRowLimit: () => true,
  },
  memory: {
    acceptsFilter: () => false,
    acceptsRowLimit: () => false,
  },
}

export function scanCapabilities(scan: ScanNode): ScanCapabilities {
  return capabilities[scan.source.kind]
}
