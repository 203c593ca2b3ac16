/**
 * A one-line progress bar on stderr, fed by the scheduler's `task-done` events and redrawn at most
 * ten times a second. Only used when stderr is a terminal, so logs and pipes stay clean.
 */
import type { SchedulerEvent } from '../index.js'

export interface ProgressBar {
  readonly onEvent: (event: SchedulerEvent) => void
  /** Erases the bar. */
  readonly finish: () => void
}

const WIDTH = 30
const REDRAW_MS = 100

export function progressBar(stream: NodeJS.WriteStream): ProgressBar {
  let last = 0
  let drawn = false
  const draw = (done: number, total: number) => {
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH)
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} tasks`)
    drawn = true
  }
  return {
    onEvent(event) {
      if (event.type !== 'task-done') return
      const now = Date.now()
      if (now - last < REDRAW_MS && event.done < event.total) return
      last = now
      draw(event.done, event.total)
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K')
    },
  }
}
