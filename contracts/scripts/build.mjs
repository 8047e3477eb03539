#!/usr/bin/env node
// Compiles the contracts into contracts/out (called by `npm run build:contracts`).
// forge's cache (contracts/cache) makes this a no-op when no source changed.
import { runForge } from './forge.mjs'

process.exitCode = runForge(['build', ...process.argv.slice(2)])
