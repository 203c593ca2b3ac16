/**
 * The empty relation with a given schema: what a filter that can never pass becomes. It is an
 * in-memory scan of one zero-row batch, so every operator above it (and lowering, and explain)
 * treats it like any other source; a global aggregate over it still yields its one row.
 */
import { makeData } from 'apache-arrow'
import type { LogicalPlan, ScanNode } from '../plan/plan.js'
import { arrowTypeOf, makeBatch } from '../types/arrow-types.js'
import { formatSchema, type Schema } from '../types/schema.js'

export function emptyRelation(schema: Schema, reason: string, origin?: string): ScanNode {
  const scan: ScanNode = {
    kind: 'Scan',
    // Equal schemas give equal ids, hence equal task keys: two empty relations are one computation.
    source: {
      kind: 'memory',
      name: `empty (${reason})`,
      id: `empty-${fnv1a(formatSchema(schema))}`,
      schema,
      batches: [emptyBatch(schema)],
    },
    columns: null,
  }
  return origin ? { ...scan, origin } : scan
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(16).padStart(8, '0')
}

export function isEmptyRelation(plan: LogicalPlan): boolean {
  return plan.kind === 'Scan' && plan.source.kind === 'memory' && plan.source.id.startsWith('empty-')
}

function emptyBatch(schema: Schema) {
  return makeBatch(
    schema.map((f) => f.name),
    schema.map((f) => makeData({ type: arrowTypeOf(f.dtype), length: 0 } as Parameters<typeof makeData>[0])),
    0,
  )
}

/** Why an empty relation is empty (its reason, for the relations built above it). */
export function emptyReason(plan: LogicalPlan): string {
  const name = plan.kind === 'Scan' ? plan.source.name : ''
  return name.startsWith('empty (') ? name.slice('empty ('.length, -1) : 'its input is empty'
}
