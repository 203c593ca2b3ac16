/**
 * What watches a compute besides the caller's `onEvent`: the progress bar (`progress: true`) and
 * the profile (`profile: true` prints its summary on stderr at the end; a `Profile` instance is
 * filled for the caller to read). Combined into the one event listener the scheduler takes.
 */
import { Profile } from '../schedule/profile.js'
import { progressBar } from '../schedule/progress-bar.js'
import type { SchedulerEvent } from '../schedule/scheduler.js'

export interface ObserverOptions {
  readonly onEvent?: (event: SchedulerEvent) => void
  readonly progress?: boolean
  readonly profile?: boolean | Profile
}

export interface Observers {
  readonly onEvent: ((event: SchedulerEvent) => void) | undefined
  /** Call once when the compute settles. */
  finish(ok: boolean): void
}

export function computeObservers(options: ObserverOptions): Observers {
  const listeners: ((event: SchedulerEvent) => void)[] = []
  if (options.onEvent) listeners.push(options.onEvent)
  const bar = options.progress ? progressBar() : undefined
  if (bar) listeners.push(bar.onEvent)
  const profile = options.profile === true ? new Profile() : options.profile || undefined
  if (profile) listeners.push(profile.record)
  const onEvent =
    listeners.length === 0
      ? undefined
      : listeners.length === 1
        ? listeners[0]
        : (event: SchedulerEvent) => {
            for (const listener of listeners) listener(event)
          }
  return {
    onEvent,
    finish(ok) {
      bar?.finish(ok)
      if (ok && options.profile === true && profile) process.stderr.write(`${profile.summary()}\n`)
    },
  }
}
