/**
 * How lowering puts a task into the graph: under `taskKey(task)`, a hash of its op, args and input
 * keys (graph/hash.ts), never of the plan node that made it. Two tasks that compute different
 * things therefore never share a key, whichever node or lowering path made them (two limits over
 * one sort are two top-k tasks), and equal work from equal sub-plans is one task.
 *
 * The `suffix` (`-3` for partition 3, `-b1-0-2` in bucket 1's combine tree) is for people reading
 * keys. It can keep equal work apart (a union's repeated partitions need keys of their own), never
 * put different work together.
 */
import { stableStringify, taskKey } from '../graph/hash.js'
import type { Key, Task } from '../graph/task-graph.js'
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

function workOf(task: Task): string {
  return stableStringify({ op: task.op, args: task.args, deps: task.deps })
}
