/**
 * Random access to a file's bytes, synchronously (readers run inside worker threads, one chunk per
 * task, so blocking reads are the simple and fast choice). An in-memory form serves tests.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { TsdaskError } from '../../util/errors.js'

export interface ByteSource {
  readonly size: number
  /** Bytes [position, position + length), clamped to the end. */
  read(position: number, length: number): Uint8Array
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
  }
}

export interface FileSource extends ByteSource {
  close(): void
}

export function openFileSource(path: string): FileSource {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (cause) {
    throw new TsdaskError('IO', `cannot open ${path}: ${(cause as Error).message}`, { path }, { cause })
  }
  const size = fstatSync(fd).size
  return {
    size,
    read(position, length) {
      const n = Math.max(0, Math.min(length, size - position))
      const out = Buffer.allocUnsafe(n)
      let done = 0
      while (done < n) {
        const got = readSync(fd, out, done, n - done, position + done)
        if (got === 0) throw new TsdaskError('IO', `${path} shrank while being read (expected ${size} bytes)`, { path })
        done += got
      }
      // A plain Uint8Array view, not the Buffer: all parsing code then sees one typed-array shape
      // (inference scratch buffers are Uint8Arrays too), which keeps element access monomorphic.
      return new Uint8Array(out.buffer, out.byteOffset, n)
    },
    close: () => closeSync(fd),
  }
}
