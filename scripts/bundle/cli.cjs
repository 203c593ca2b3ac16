#!/usr/bin/env node
'use strict'
// The `tsdask` command: the CLI bundle, loaded with V8's code cache (load-cached.cjs).
const path = require('node:path')
const loaded = require('./load-cached.cjs')(path.join(__dirname, 'cli-main.cjs'))
process.once('exit', () => loaded.saveCache())
