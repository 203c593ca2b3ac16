/**
 * chevrotain's grammar validations, which the shared parser skips to start faster (parser.ts):
 * run here, so an ambiguous alternative, a left-recursive rule or a duplicate name still fails.
 */
import { describe, expect, it } from 'vitest'
import { errorMessages } from '../../src/parse/errors.js'
import { QueryGrammar } from '../../src/parse/sql-grammar.js'

describe('the SQL and expression grammar', () => {
  // With validations on, performSelfAnalysis throws on the first definition error: this fails loudly.
  it('passes every chevrotain validation', () => {
    expect(() => new QueryGrammar({ errorMessageProvider: errorMessages, skipValidations: false })).not.toThrow()
  })
})
