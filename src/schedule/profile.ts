/**
 * Where a compute's time went: every task's timing (from the scheduler's events), and a printable
 * summary by operation. `compute({ profile })` fills one: pass `true` to have the summary printed
 * on stderr when the compute ends, or a `Profile` you made to read it yourself.
 *
 *   operation                 tasks   total ms   mean ms    max ms       rows    MB out
 *   fused-read-csv-filter-agg    64    41210.3     643.9     902.1   38123456      1.2
 *   combine-agg                  21       12.0       0.6       1.9       2100      0.1
 *
 * `ms` is the task's time from submission to result as the scheduler saw it (queueing in a busy
 * worker included), so the totals can exceed the wall time by up to the number of workers.
 */
import type { Key } from '../graph/task-graph.js'
import type { SchedulerEvent } from './scheduler.js'

export interface TaskTiming {
  readonly key: Key
  readonly label: string
  readonly partition?: number
  /** Milliseconds after the profile's first event that the task started. */
  readonly startMs: number
  readonly ms: number
  readonly rows?: number
  readonly bytes: number
}

export interface OperationSummary {
  readonly label: string
  readonly tasks: number
  readonly totalMs: number
  readonly maxMs: number
  readonly rows: number
  readonly bytes: number
}

export class Profile {
  readonly tasks: TaskTiming[] = []
  /** Tasks retried after their worker died. */
  retries = 0
  /** Most bytes the scheduler's store held at once. */
  peakBytes = 0
  #origin: number | undefined
  #wallMs = 0
  readonly #started = new Map<Key, number>()

  /** The scheduler's event listener that fills this profile. */
  readonly record = (event: SchedulerEvent): void => {
    const now = performance.now()
    this.#origin ??= now
    this.#wallMs = now - this.#origin
    if (event.type === 'task-start') this.#started.set(event.key, now - this.#origin)
    else if (event.type === 'task-retry') this.retries++
    else if (event.type === 'task-done') {
      this.peakBytes = Math.max(this.peakBytes, event.peakBytes)
      this.tasks.push({
        key: event.key,
        label: event.label,
        ...(event.partition !== undefined && { partition: event.partition }),
        startMs: this.#started.get(event.key) ?? now - this.#origin - event.ms,
        ms: event.ms,
        ...(event.rows !== undefined && { rows: event.rows }),
        bytes: event.bytes,
      })
      this.#started.delete(event.key)
    }
  }

  /** From the first event to the last. */
  get wallMs(): number {
    return this.#wallMs
  }

  /** Per operation label, slowest total first. */
  byOperation(): OperationSummary[] {
    const byLabel = new Map<string, { tasks: number; totalMs: number; maxMs: number; rows: number; bytes: number }>()
    for (const t of this.tasks) {
      const s = byLabel.get(t.label) ?? { tasks: 0, totalMs: 0, maxMs: 0, rows: 0, bytes: 0 }
      s.tasks++
      s.totalMs += t.ms
      s.maxMs = Math.max(s.maxMs, t.ms)
      s.rows += t.rows ?? 0
      s.bytes += t.bytes
      byLabel.set(t.label, s)
    }
    return [...byLabel].map(([label, s]) => ({ label, ...s })).sort((a, b) => b.totalMs - a.totalMs)
  }

  /** The table above, plus wall time, retries and peak memory held. */
  summary(): string {
    const ops = this.byOperation()
    const width = Math.max(9, ...ops.map((o) => o.label.length))
    const num = (n: number, digits: number, w: number) => n.toFixed(digits).padStart(w)
    const header = `${'operation'.padEnd(width)}  ${'tasks'.padStart(6)} ${'total ms'.padStart(10)} ${'mean ms'.padStart(9)} ${'max ms'.padStart(9)} ${'rows'.padStart(11)} ${'MB out'.padStart(9)}`
    const lines = ops.map(
      (o) =>
        `${o.label.padEnd(width)}  ${String(o.tasks).padStart(6)} ${num(o.totalMs, 1, 10)} ${num(o.totalMs / o.tasks, 1, 9)} ${num(o.maxMs, 1, 9)} ${String(o.rows).padStart(11)} ${num(o.bytes / 1e6, 1, 9)}`,
    )
    const footer = `${this.tasks.length} tasks in ${(this.#wallMs / 1000).toFixed(2)} s wall; ${this.retries} retried; peak held ${(this.peakBytes / 1e6).toFixed(1)} MB`
    return [header, ...lines, footer].join('\n')
  }
}
