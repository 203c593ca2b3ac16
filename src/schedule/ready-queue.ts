/**
 * The scheduler's ready queue: tasks whose dependencies are all done, popped lowest priority
 * number first (priorities from `order`). A binary min-heap: graphs have 100k+ tasks and a sorted
 * array would make each push O(n).
 */
import type { Key } from '../graph/task-graph.js'

export class ReadyQueue {
  readonly #heap: { key: Key; priority: number }[] = []

  get size(): number {
    return this.#heap.length
  }

  push(key: Key, priority: number): void {
    const heap = this.#heap
    heap.push({ key, priority })
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (heap[parent]!.priority <= priority) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = { key, priority }
  }

  /** The key `pop()` would return, left in the queue. */
  peek(): Key | undefined {
    return this.#heap[0]?.key
  }

  pop(): Key | undefined {
    const heap = this.#heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top?.key
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && heap[right]!.priority < heap[left]!.priority ? right : left
      if (heap[child]!.priority >= last.priority) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = last
    return top.key
  }

  clear(): void {
    this.#heap.length = 0
  }
}
