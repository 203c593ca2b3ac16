/**
 * Reading a task's dependencies: the one place that knows a dependency is either a key (the one
 * value of a task, or a given input) or a `PartRef` (one part of a multi-part task). Passes and
 * schedulers call these helpers instead of looking at the shape themselves.
 *
 *   depKey('read-0') → 'read-0'          depKey(partRef('split-0', 3)) → 'split-0'
 *   depPart('read-0') → undefined        depPart(partRef('split-0', 3)) → 3
 *   formatDep(partRef('split-0', 3)) → 'split-0[3]'
 */
import type { Dep, Key, PartRef, Task, TaskGraph } from './task-graph.js'

/** A reference to part `part` of the multi-part task `key`. */
export function partRef(key: Key, part: number): PartRef {
  return { key, part }
}

/** References to every part of a task with `parts` parts, in part order. */
export function partRefs(key: Key, parts: number): PartRef[] {
  return Array.from({ length: parts }, (_, part) => ({ key, part }))
}

export function isPartRef(dep: Dep): dep is PartRef {
  return typeof dep !== 'string'
}

/** The key of the task (or input) a dependency reads from. */
export function depKey(dep: Dep): Key {
  return typeof dep === 'string' ? dep : dep.key
}

/** The part a dependency reads, or undefined when it reads a key's one value. */
export function depPart(dep: Dep): number | undefined {
  return typeof dep === 'string' ? undefined : dep.part
}

/**
 * The key of each dependency of `task`, in deps order, repeats kept. The common case (no part
 * references) returns `task.deps` itself: schedulers call this for every task of big graphs.
 */
export function depKeys(task: Task): readonly Key[] {
  const deps = task.deps
  for (let i = 0; i < deps.length; i++) if (typeof deps[i] !== 'string') return deps.map(depKey)
  return deps as readonly Key[]
}

/** `key`, or `key[part]` for a part reference: how dumps, drawings and messages name a dependency. */
export function formatDep(dep: Dep): string {
  return typeof dep === 'string' ? dep : `${dep.key}[${dep.part}]`
}

/**
 * What is wrong with the shape of `dep` in `graph`, as the end of a sentence "task t depends on …",
 * or undefined when nothing is: a part of a value that has no parts (a task without `parts`, or a
 * value given from outside: a key of `external` or not in the graph), a part number its task does
 * not produce, or the whole of a multi-part task. A key that is missing altogether is the caller's
 * to report (each pass says where it looked).
 */
export function depProblem(
  graph: TaskGraph,
  dep: Dep,
  external?: ReadonlySet<Key> | ReadonlyMap<Key, unknown>,
): string | undefined {
  const key = depKey(dep)
  const producer = external?.has(key) ? undefined : graph.get(key)
  const parts = producer?.parts
  if (typeof dep === 'string') {
    return parts === undefined
      ? undefined
      : `the whole of ${dep}, whose task produces ${parts} parts: a reader names one part, as partRef(key, i)`
  }
  if (producer === undefined)
    return `part ${dep.part} of ${dep.key}, a value given from outside the graph, which has no parts`
  if (parts === undefined) return `part ${dep.part} of ${dep.key}, whose task produces one value, not parts`
  if (!Number.isInteger(dep.part) || dep.part < 0 || dep.part >= parts) {
    return `part ${dep.part} of ${dep.key}, whose task produces parts 0..${parts - 1}`
  }
  return undefined
}

/** Why `output` cannot be a requested output (a multi-part task), or undefined. */
export function multiPartOutputProblem(graph: TaskGraph, output: Key): string | undefined {
  const parts = graph.get(output)?.parts
  return parts === undefined
    ? undefined
    : `requested output ${output} produces ${parts} parts; an output is one value, so request a task that reads the parts`
}
