// The library as bench/ sees it: bench/package.json is named tsdask and exports this file, so
// `from 'tsdask'` under bench/ is a package self-reference to the built library (npm run build).
export * from '../dist/index.js'
