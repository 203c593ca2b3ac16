/**
 * Every error a user can cause is a `TsdaskError`: a stable `code`, and a message that says
 * what is wrong, where, and what to do. Modules keep their message texts next to the code
 * that throws them; this file holds only the base class and the codes.
 */
export type ErrorCode =
  | 'UNKNOWN_COLUMN'
  | 'TYPE_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'CSV_PARSE'
  | 'CSV_VALUE'
  | 'IO'
  | 'OVERFLOW'
  | 'TOO_DEEP'
  | 'TASK_FAILED'
  | 'WORKER_DIED'
  | 'ABORTED'
  | 'OPTIMIZER'
  | 'INTERNAL'
  | 'SYNTAX_ERROR'
  | 'UNKNOWN_TABLE'
  | 'NOT_SUPPORTED'

export interface ErrorDetails {
  /** Where the user built the failing step: `report.ts:42:7`, or a query position. */
  readonly origin?: string | undefined
  readonly [extra: string]: unknown
}

export class TsdaskError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorDetails

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TsdaskError'
    this.code = code
    this.details = details
  }
}

/** A plain, structured-clone-safe form, used to carry errors across worker threads. */
export interface SerializedError {
  readonly name: string
  readonly message: string
  readonly stack?: string | undefined
  readonly code?: ErrorCode | undefined
  readonly details?: ErrorDetails | undefined
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof TsdaskError) {
    return { name: error.name, message: error.message, stack: error.stack, code: error.code, details: error.details }
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack }
  return { name: 'Error', message: String(error) }
}

export function deserializeError(e: SerializedError): Error {
  const error = e.code ? new TsdaskError(e.code, e.message, e.details ?? {}) : new Error(e.message)
  error.name = e.name
  if (e.stack) error.stack = e.stack
  return error
}

/** Closest names by edit distance, for "did you mean" hints. */
export function closestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const scored = candidates.map((c) => ({ c, d: editDistance(name.toLowerCase(), c.toLowerCase()) }))
  const limit = Math.max(2, Math.floor(name.length / 2))
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((s) => s.c)
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost)
    }
    prev = cur
  }
  return prev[b.length]!
}
