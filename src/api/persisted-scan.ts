/**
 * The plan of a persisted frame: a Scan over an in-memory source whose partitions live in the
 * scheduler's persisted store (`src/schedule/persisted-store.ts`), not in the plan. Lowering hands
 * them to the scheduler as pre-computed inputs, so a query on the frame starts from memory and
 * never re-runs (re-reads) what was persisted. The source's `batches` is a getter over the store:
 * after `release()` the memory is gone, and using the frame again is an error that says so (never
 * an empty result).
 *
 * A frame dropped without `release()` frees its partitions when it is garbage-collected: every
 * frame derived from it, and every plan the optimizer rewrites from those, holds the same source
 * object, so once the source is unreachable nothing can read the partitions again.
 */
import { randomUUID } from 'node:crypto'
import type { RecordBatch } from 'apache-arrow'
import type { LogicalPlan, MemorySource } from '../plan/plan.js'
import { keepPersisted, persistedBatches, releasePersisted } from '../schedule/persisted-store.js'
import { sharedBatch } from '../schedule/pool/transfer.js'
import type { Schema } from '../types/schema.js'
import { TsdaskError } from '../util/errors.js'

const PERSISTED = 'persisted'

// Keyed by the dataset id, not the source: the callback must not keep the source alive.
const unreachable = new FinalizationRegistry<string>((id) => releasePersisted(id))

export function persistedScan(
  batches: readonly RecordBatch[],
  schema: Schema,
  origin: string | undefined,
): LogicalPlan {
  const id = randomUUID()
  // Batches a worker computed are in shared memory already; those computed in this thread go there now.
  keepPersisted(id, batches.map(sharedBatch))
  const source: MemorySource = {
    kind: 'memory',
    name: PERSISTED,
    id,
    schema,
    get batches(): readonly RecordBatch[] {
      const kept = persistedBatches(id)
      if (kept) return kept
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `this frame's persisted partitions were released${origin ? ` (the frame was persisted at ${origin})` : ''}. ` +
          'Call persist() on the frame it came from again to use it.',
        { ...(origin !== undefined && { origin }) },
      )
    },
  }
  unreachable.register(source, id, source)
  return { kind: 'Scan', source, columns: null, origin }
}

/** Frees the partitions of a frame made by persist(); returns the bytes freed (0 if already released). */
export function releasePersistedScan(plan: LogicalPlan, origin: string | undefined): number {
  if (plan.kind === 'Scan' && plan.source.kind === 'memory' && plan.source.name === PERSISTED) {
    unreachable.unregister(plan.source)
    return releasePersisted(plan.source.id)
  }
  throw new TsdaskError(
    'INVALID_ARGUMENT',
    'release() frees the partitions kept by persist(), and this frame was not returned by persist(). ' +
      'Call it on the frame persist() resolved with: `const kept = await df.persist(); …; kept.release()`.',
    { ...(origin !== undefined && { origin }) },
  )
}
