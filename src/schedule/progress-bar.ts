/**
 * A progress bar for terminals, drawn from the scheduler's events on one line of stderr:
 *
 *   [##########............]  45% 29/64 tasks  1.2 M rows  3.4 s
 *
 * Redrawn at most every 100 ms (a 100,000-task graph must not spend its time printing), and only
 * when the stream is a TTY: piped or logged output gets nothing, so a CLI can turn it on by default.
 */
import type { SchedulerEvent } from './scheduler.js'

export interface ProgressBar {
  readonly onEvent: (event: SchedulerEvent) => void
  /** Draws the last state and ends the line (or clears it after a failure). */
  finish(ok: boolean): void
}

const WIDTH = 24
const EVERY_MS = 100

export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { onEvent: () => {}, finish: () => {} }
  const startedAt = performance.now()
  let drawnAt = Number.NEGATIVE_INFINITY
  let done = 0
  let total = 0
  let rows = 0
  let drawn = false
  const draw = (): void => {
    const fraction = total === 0 ? 0 : done / total
    const filled = Math.round(fraction * WIDTH)
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1)
    const rowText = rows >= 1e6 ? `${(rows / 1e6).toFixed(1)} M` : String(rows)
    stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${done}/${total} tasks  ${rowText} rows  ${seconds} s`,
    )
    drawn = true
  }
  return {
    onEvent(event) {
      if (event.type !== 'task-done') return
      done = event.done
      total = event.total
      rows += event.rows ?? 0
      const now = performance.now()
      if (now - drawnAt >= EVERY_MS) {
        drawnAt = now
        draw()
      }
    },
    finish(ok) {
      if (ok && total > 0) draw()
      if (drawn) stream.write(ok ? '\n' : '\r\x1b[2K')
    },
  }
}
