/**
 * How lowering puts a task into the graph: under `taskKey(task)`, a hash of its op, args, inputs
 * (keys and part references) and number of parts (graph/hash.ts), never of the plan node that made
 * it. Two tasks that compute different things therefore never share a key, whichever node or
 * lowering path made them (two limits over one sort are two top-k tasks), and equal work from equal
 * sub-plans is one task.
 *
 * The `suffix` (`-3` for partition 3, `-b1-0-2` in bucket 1's combine tree) is for people reading
 * keys. It can keep equal work apart (a union's repeated partitions need keys of their own), never
 * put different work together.
 *
 * A shuffle write is one task with n parts, read part by part:
 *
 *   const parts = addPartsTask(tasks, { op: 'hash-split', args: { keys: [0], n }, deps: [input] }, n, `-${i}`)
 *   addTask(tasks, { op: 'concat', args: {}, deps: splits.map((s) => s[bucket]) }, `-b${bucket}`)
 */
import { partRefs } from '../graph/deps.js'
import { stableStringify, taskKey } from '../graph/hash.js'
import type { JsonValue, Key, PartRef, Task } from '../graph/task-graph.js'
import { TsdaskError } from '../util/errors.js'

export function addTask(tasks: Map<Key, Task>, task: Task, suffix = ''): Key {
  const key = `${taskKey(task)}${suffix}`
  const had = tasks.get(key)
  if (had === undefined) tasks.set(key, task)
  else if (workOf(had) !== workOf(task)) {
    // Only a hash collision gets here: the key is the hash of this very work.
    const message = `two different tasks hash to the key ${key}: ${workOf(had)} and ${workOf(task)}`
    throw new TsdaskError('INTERNAL', message, { key })
  }
  return key
}

/**
 * Adds `task` as a task whose op returns `parts` values, and returns a reference to each, in part
 * order: `refs[i]` is what a reader of part i lists in its deps.
 */
export function addPartsTask(tasks: Map<Key, Task>, task: Omit<Task, 'parts'>, parts: number, suffix = ''): PartRef[] {
  if (!(Number.isInteger(parts) && parts >= 1)) {
    throw new TsdaskError('INTERNAL', `a multi-part task needs a whole number ≥ 1 of parts, got ${parts}`)
  }
  return partRefs(addTask(tasks, { ...task, parts }, suffix), parts)
}

function workOf(task: Task): string {
  const work = { op: task.op, args: task.args, deps: task.deps as JsonValue }
  return stableStringify(task.parts === undefined ? work : { ...work, parts: task.parts })
}
