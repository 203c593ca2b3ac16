/**
 * Readable task names: the task's label and partition (`fused-read-csv-filter-project-3`), for
 * explain() and messages. Keys stay deterministic hashes (so equal sub-plans share them); names
 * are what people read.
 */
import type { Task } from './task-graph.js'

export function taskName(task: Task): string {
  const label = task.meta?.label ?? task.op
  const partition = task.meta?.partition
  return partition === undefined ? label : `${label}-${partition}`
}

/** How many tasks carry each label, in first-seen order: `fused-read-csv-filter ×8, agg-final ×1`. */
export function summarizeLabels(tasks: Iterable<Task>): string {
  const counts = new Map<string, number>()
  for (const t of tasks) {
    const label = t.meta?.label ?? t.op
    counts.set(label, (counts.get(label) ?? 0) + 1)
  }
  return [...counts].map(([label, n]) => `${label} ×${n}`).join(', ')
}
