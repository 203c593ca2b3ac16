/**
 * Builds the Join plan node of `DataFrame.join` / `crossJoin` from run-time options, checking what
 * the types cannot (options from plain JavaScript, frames typed only at run time): one way of
 * naming keys, a known `how`, a string suffix, a non-negative broadcast threshold. Key names and
 * dtypes are checked by the plan's schema (plan/join-schema.ts) as the frame is built.
 */
import type { JoinNode, LogicalPlan } from '../plan/plan.js'
import { DEFAULT_JOIN_SUFFIX } from '../types/join-columns.js'
import { JOIN_HOWS } from '../types/join-how.js'
import { TsdaskError } from '../util/errors.js'

export interface JoinOptionsAny {
  readonly on?: string | readonly string[]
  readonly leftOn?: string | readonly string[]
  readonly rightOn?: string | readonly string[]
  readonly how?: string
  readonly suffix?: string
  readonly broadcastBelow?: number
}

const list = (keys: string | readonly string[] | undefined): string[] =>
  keys === undefined ? [] : typeof keys === 'string' ? [keys] : [...keys]

export function joinNode(
  left: LogicalPlan,
  right: LogicalPlan,
  options: JoinOptionsAny,
  origin: string | undefined,
): JoinNode {
  const how = options.how ?? 'inner'
  if (how !== 'cross' && !(JOIN_HOWS as readonly string[]).includes(how)) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `join how: ${JSON.stringify(how)} is not a join type; use one of ${JOIN_HOWS.map((h) => `'${h}'`).join(', ')}.`,
    )
  }
  const suffix = options.suffix ?? DEFAULT_JOIN_SUFFIX
  if (typeof suffix !== 'string' || suffix === '') {
    throw new TsdaskError('INVALID_ARGUMENT', `join suffix must be a non-empty string, got ${JSON.stringify(suffix)}.`)
  }
  const threshold = options.broadcastBelow
  if (threshold !== undefined && !(threshold >= 0)) {
    throw new TsdaskError('INVALID_ARGUMENT', `broadcastBelow must be a number of bytes ≥ 0, got ${String(threshold)}.`)
  }
  const byName = options.on !== undefined
  if (how !== 'cross') {
    if (byName && (options.leftOn !== undefined || options.rightOn !== undefined)) {
      throw new TsdaskError('INVALID_ARGUMENT', 'join takes either `on` or `leftOn` with `rightOn`, not both.')
    }
    if (!byName && (options.leftOn === undefined || options.rightOn === undefined)) {
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        'join needs its key columns: `on` (names both frames have) or `leftOn` with `rightOn`. For every pair of rows, use crossJoin().',
      )
    }
  }
  return {
    kind: 'Join',
    left,
    right,
    how: how as JoinNode['how'],
    leftOn: byName ? list(options.on) : list(options.leftOn),
    rightOn: byName ? list(options.on) : list(options.rightOn),
    coalesceKeys: byName,
    suffix,
    ...(threshold !== undefined && { broadcastBelow: threshold }),
    origin,
  }
}
