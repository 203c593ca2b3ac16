/**
 * A utf8 key that is plain on one side and dictionary-encoded on the other. Concatenating the two
 * as they are would decode the dictionary side row by row into plain strings and then hash every
 * row's bytes; dictionary-encoding the plain side instead (one grouping of its rows by bytes)
 * lets the concatenation unify two dictionaries and remap codes, so the dictionary side's rows are
 * never hashed. Readers produce dictionary strings, so a plain build side (a small table made in
 * memory) probed by a dictionary partition is the usual case.
 */
import type { Col, DictCol, Utf8Col } from '../column.js'
import { groupUtf8 } from '../group-by/hash-utf8.js'
import { Utf8Builder } from '../utf8.js'

/**
 * The pair with its plain side dictionary-encoded when that side is the shorter one. When the plain
 * side is longer its rows must be hashed anyway, and decoding the shorter dictionary side (what
 * concatenation does) costs less than encoding the plain side and remapping every code.
 */
export function alignStringForms(a: Col, b: Col): [Col, Col] {
  if (a.kind === 'utf8' && b.kind === 'dict' && a.length <= b.length) return [encodeDictionary(a), b]
  if (a.kind === 'dict' && b.kind === 'utf8' && b.length <= a.length) return [a, encodeDictionary(b)]
  return [a, b]
}

function encodeDictionary(col: Utf8Col): DictCol {
  const groups = groupUtf8(col)
  const { offsets, bytes, valid } = col
  const entries = new Utf8Builder(groups.count, bytes.length)
  for (let g = 0; g < groups.count; g++) {
    const r = groups.firstRow[g]!
    // The null rows' group gets an empty entry: its bytes are whatever sat under the nulls.
    if (valid !== null && !valid[r]) entries.appendEmpty()
    else entries.appendBytes(bytes, offsets[r]!, offsets[r + 1]!)
  }
  return { kind: 'dict', length: col.length, codes: groups.ids, dict: entries.finish(null), source: null, valid }
}
