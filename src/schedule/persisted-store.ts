/**
 * The partitions `persist()` keeps: a process-wide store, by dataset id, that later computes read
 * as pre-computed inputs (the scheduler never runs their tasks, never counts them against a
 * compute's `maxMemory`, and never releases them). They stay until `release(id)`, which the API
 * also calls when the persisted frame is garbage-collected (api/persisted-scan.ts); the store counts
 * their bytes so a user can see what persisting costs (`persistedBytes()`).
 */
import type { RecordBatch } from 'apache-arrow'
import { valueBytes } from './value-bytes.js'

interface Entry {
  readonly batches: readonly RecordBatch[]
  readonly bytes: number
}

const entries = new Map<string, Entry>()

export function keepPersisted(id: string, batches: readonly RecordBatch[]): void {
  entries.set(id, { batches, bytes: batches.reduce((sum, b) => sum + valueBytes(b), 0) })
}

/** The batches kept under `id`, or undefined once released. */
export function persistedBatches(id: string): readonly RecordBatch[] | undefined {
  return entries.get(id)?.batches
}

/** Frees the batches kept under `id`; returns the bytes freed (0 when nothing was kept). */
export function releasePersisted(id: string): number {
  const entry = entries.get(id)
  entries.delete(id)
  return entry?.bytes ?? 0
}

/** Bytes of all partitions currently persisted in this process. */
export function persistedBytes(): number {
  let total = 0
  for (const entry of entries.values()) total += entry.bytes
  return total
}
