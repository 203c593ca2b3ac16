/**
 * The depth of a tree (a leaf is 1), remembered per node in `memo`, so measuring each node as it
 * is built costs one lookup per child. The walk keeps its own stack: measuring must not overflow
 * on the very trees the depth limits (depth-limits.ts) are there to refuse.
 */
export function treeDepth<T extends object>(
  root: T,
  childrenOf: (node: T) => readonly T[],
  memo: WeakMap<T, number>,
): number {
  const stack: T[] = [root]
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!
    if (memo.has(node)) {
      stack.pop()
      continue
    }
    let deepest = 0
    let ready = true
    for (const child of childrenOf(node)) {
      const d = memo.get(child)
      if (d === undefined) {
        ready = false
        stack.push(child)
      } else if (d > deepest) deepest = d
    }
    if (ready) {
      memo.set(node, deepest + 1)
      stack.pop()
    }
  }
  return memo.get(root)!
}
