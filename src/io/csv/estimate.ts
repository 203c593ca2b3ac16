/**
 * How large a CSV chunk's Arrow batch will be, before any has been read: what lets the scheduler
 * run the first chunks of a read side by side instead of one at a time (run-graph.ts admits an op
 * it has not measured only with an estimate). Arrow holds a number in 4 or 8 bytes where the text
 * used 1 to ~20, and a string in its bytes plus a 4-byte offset; twice the text of the columns read
 * covers all but files of one-digit numbers, and the first measured chunk replaces the estimate.
 */
export function estimatedChunkBytes(textBytes: number, columnsRead: number, fileColumns: number): number {
  const share = fileColumns > 0 ? Math.max(1, columnsRead) / fileColumns : 1
  return Math.ceil(2 * textBytes * Math.min(1, share))
}
