/** Readers. Each takes the columns (and later predicates) pushed into it. */
export * from './csv/index.js'
