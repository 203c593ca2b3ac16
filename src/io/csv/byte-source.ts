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
  /** Copies bytes [position, position + length), clamped to the end, into `target` at `offset`; returns the count. */
  readInto(position: number, target: Uint8Array, offset: number, length: number): number
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
    readInto(position, target, offset, length) {
      const part = bytes.subarray(position, Math.min(bytes.length, position + length))
      target.set(part, offset)
      return part.length
    },
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
  const readInto = (position: number, target: Uint8Array, offset: number, length: number): number => {
    const n = Math.max(0, Math.min(length, size - position))
    let done = 0
    while (done < n) {
      const got = readSync(fd, target, offset + done, n - done, position + done)
      if (got === 0) throw new TsdaskError('IO', `${path} shrank while being read (expected ${size} bytes)`, { path })
      done += got
    }
    return n
  }
  return {
    size,
    read(position, length) {
      const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - position)))
      // A plain Uint8Array view, not the Buffer: all parsing code then sees one typed-array shape
      // (inference scratch buffers are Uint8Arrays too), which keeps element access monomorphic.
      const view = new Uint8Array(out.buffer, out.byteOffset, out.length)
      readInto(position, view, 0, view.length)
      return view
    },
    readInto,
    close: () => closeSync(fd),
  }
}
