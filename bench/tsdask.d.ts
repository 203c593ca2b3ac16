// Types of ./tsdask.js: the built library's (see bench/package.json).
export * from '../dist/index.js'
