/**
 * The CSV reader's error messages, in one place: what is wrong, where (file and 1-based line), and
 * what to do. Line numbers are physical lines (LF count + 1) at the offending byte, as an editor
 * shows them; they are computed only when an error is raised, by counting LFs from the file start,
 * so parsing never pays for them.
 */
import type { DType } from '../../types/dtype.js'
import { TsdaskError } from '../../util/errors.js'
import type { ByteSource } from './byte-source.js'
import {
  LF,
  SCAN_INCOMPLETE,
  SCAN_QUOTE_IN_UNQUOTED,
  SCAN_TEXT_AFTER_QUOTE,
  SCAN_UNTERMINATED_QUOTE,
} from './tokenize.js'

/** The 1-based line holding byte `offset`. */
export function lineNumberAt(source: ByteSource, offset: number): number {
  let line = 1
  const step = 1 << 20
  for (let pos = 0; pos < offset; pos += step) {
    const bytes = source.read(pos, Math.min(step, offset - pos))
    for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) line++
  }
  return line
}

export function ordinal(n: number): string {
  const tens = n % 100
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}

/** A cell's text for a message: decoded, and shortened when long. */
export function shownText(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

export function raggedRowError(path: string, line: number, expected: number, found: number, delimiter: number) {
  return new TsdaskError(
    'CSV_PARSE',
    `${path} line ${line}: expected ${expected} fields but found ${found}. ` +
      `Check the delimiter (${JSON.stringify(String.fromCharCode(delimiter))}) and that values containing it are quoted.`,
    { path, line, expected, found },
  )
}

export function headerMismatchError(path: string, expected: number, found: number) {
  return new TsdaskError(
    'CSV_PARSE',
    `${path} line 1: the header has ${found} fields but the schema has ${expected}. ` +
      'All files read together must have the same columns; read files with different layouts separately.',
    { path, line: 1, expected, found },
  )
}

const QUOTE_PROBLEMS: Readonly<Record<number, string>> = {
  [SCAN_UNTERMINATED_QUOTE]: 'a quoted field is never closed (unterminated quote)',
  [SCAN_QUOTE_IN_UNQUOTED]: 'a quote character appears inside an unquoted field',
  [SCAN_TEXT_AFTER_QUOTE]: 'text follows the closing quote of a quoted field',
  [SCAN_INCOMPLETE]: 'the record is cut off',
}

export function quoteError(path: string, line: number, status: number, quote: number) {
  const q = JSON.stringify(String.fromCharCode(quote))
  return new TsdaskError(
    'CSV_PARSE',
    `${path} line ${line}: ${QUOTE_PROBLEMS[status] ?? 'malformed quoting'}. ` +
      `Quoted fields must start and end with ${q} and write a literal ${q} as two; ` +
      `if this file does not use quoting, pass quote: ''.`,
    { path, line },
  )
}

export function ambiguousBoundaryError(path: string, offset: number) {
  return new TsdaskError(
    'CSV_PARSE',
    `${path}: could not split the file into chunks at byte ${offset}: a quoted field containing line breaks ` +
      'looks like whole records there, or a quote is never closed. Read each file as one chunk, ' +
      'e.g. readCsv(path, { blocksize: Infinity }), which tells the two apart.',
    { path, offset },
  )
}

export function valueError(
  path: string,
  line: number,
  column: string,
  columnIndex: number,
  text: string,
  dtype: DType,
  suggested: DType,
  /** The cell is quoted and its content is a null value: quoted fields are values unless asked. */
  quotedNull = false,
) {
  if (dtype === 'utf8') {
    // The only value a utf8 column rejects is text that is not UTF-8.
    return new TsdaskError(
      'CSV_VALUE',
      `${path} line ${line}, column ${JSON.stringify(column)} (${ordinal(columnIndex + 1)}): ` +
        `${JSON.stringify(text)} is not valid UTF-8. tsdask reads text as UTF-8; re-encode the file ` +
        '(e.g. `iconv -f latin1 -t utf-8 old.csv > new.csv`).',
      { path, line, column, value: text, dtype },
    )
  }
  const where = `${path} line ${line}, column ${JSON.stringify(column)} (${ordinal(columnIndex + 1)})`
  if (quotedNull) {
    return new TsdaskError(
      'CSV_VALUE',
      `${where}: cannot read the quoted value ${JSON.stringify(text)} as ${dtype}: a quoted field is a value, ` +
        'never null, unless asked. Pass allowQuotedNulls: true to readCsv to read quoted null values ' +
        `as null, or a schema, e.g. { schema: { ${propertyKey(column)}: 'utf8' } }.`,
      { path, line, column, value: text, dtype },
    )
  }
  return new TsdaskError(
    'CSV_VALUE',
    `${where}: cannot read ${JSON.stringify(text)} as ${dtype}. ` +
      `Pass a schema to readCsv, e.g. { schema: { ${propertyKey(column)}: '${suggested}' } }, ` +
      `or add ${JSON.stringify(text)} to nullValues.`,
    { path, line, column, value: text, dtype },
  )
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

/** A file in a multi-file read whose header names differ from the first file's. */
export function headerNamesError(path: string, names: readonly string[], expected: readonly string[]) {
  return new TsdaskError(
    'CSV_PARSE',
    `${path} line 1: its columns (${names.join(', ')}) differ from the first file's (${expected.join(', ')}). ` +
      'Files read together must have the same columns in the same order; read them separately and combine.',
    { path, line: 1 },
  )
}
