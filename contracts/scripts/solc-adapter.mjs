#!/usr/bin/env node
// Stand-in for the native `solc` binary, backed by solc-js (WebAssembly).
//
// Why: the project must build offline, and forge would otherwise download a
// native solc through svm. forge (1.7.1) only ever runs the binary it is
// pointed at (`solc = "scripts/solc-adapter.mjs"` in foundry.toml) as:
//   1. `solc --version`, whose "Version: x.y.z+commit..." line it parses, and
//   2. `solc --allow-paths <root>,<libs> --base-path <root> --standard-json`
//      (plus `--include-path <dir>` per `include_paths` entry), with the
//      Standard JSON input on stdin and the output expected on stdout.
// Other arguments are ignored with a warning on stderr; any other mode fails.
//
// The import callback is not optional: forge names a source imported through
// a remapping after the remapped path ("../node_modules/@openzeppelin/..."),
// so solc resolves that file's relative imports to names forge did not send
// (forge sends those files under their absolute paths) and asks the callback.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
// Resolved relative to this file so that any clone path works.
const SOLC_DIR = path.resolve(here, '../../node_modules/solc')

function loadSolc() {
  try {
    return createRequire(import.meta.url)(SOLC_DIR)
  } catch (err) {
    process.stderr.write(`solc-adapter: cannot load solc-js from ${SOLC_DIR}: ${err.message}\n`)
    process.exit(1)
  }
}

// Options native solc accepts together with --standard-json that take a value,
// given as `--flag value` or `--flag=value`.
const VALUE_FLAGS = new Set(['--allow-paths', '--base-path', '--include-path'])

function parseArgs(argv) {
  const opts = { mode: null, basePath: '', includePaths: [], ignored: [] }
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]
    let value
    const eq = arg.indexOf('=')
    if (arg.startsWith('--') && eq !== -1) {
      value = arg.slice(eq + 1)
      arg = arg.slice(0, eq)
    } else if (VALUE_FLAGS.has(arg)) {
      value = argv[++i]
    }
    switch (arg) {
      case '--version':
        opts.mode ??= 'version'
        break
      case '--standard-json':
        opts.mode = 'standard-json'
        break
      case '--base-path':
        opts.basePath = value ?? ''
        break
      case '--include-path':
        if (value) opts.includePaths.push(value)
        break
      // Native solc enforces --allow-paths as a sandbox for the import callback.
      // forge always allows the project root and its libs, and sends every
      // source it resolved with its content, so the callback only ever sees
      // paths forge already vetted; accepting the flag without enforcing it
      // keeps the adapter simple.
      case '--allow-paths':
        break
      default:
        opts.ignored.push(argv[i])
    }
  }
  return opts
}

// Mirrors native solc's file reader: an absolute source unit name is read as
// is, a relative one against the base path (the working directory if unset),
// then against each include path, first hit wins.
function makeImportCallback(basePath, includePaths) {
  const prefixes = [basePath || process.cwd(), ...includePaths]
  return (sourceUnitName) => {
    const name = sourceUnitName.replace(/^file:\/\//, '')
    const candidates = path.isAbsolute(name) ? [name] : prefixes.map((p) => path.resolve(p, name))
    for (const candidate of candidates) {
      try {
        return { contents: fs.readFileSync(candidate, 'utf8') }
      } catch {
        // try the next prefix
      }
    }
    return { error: `File not found. Searched: ${candidates.join(', ')}` }
  }
}

function main() {
  const opts = parseArgs(process.argv.slice(2))
  if (opts.mode === null) {
    process.stderr.write(
      `solc-adapter: only --version and --standard-json are supported (got: ${process.argv.slice(2).join(' ') || 'no arguments'})\n`,
    )
    process.exitCode = 1
    return
  }

  const solc = loadSolc()
  if (opts.mode === 'version') {
    // Same wording as native solc; forge extracts the semver after "Version:".
    process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`)
    return
  }

  if (opts.ignored.length > 0) {
    process.stderr.write(`solc-adapter: ignoring unsupported arguments: ${opts.ignored.join(' ')}\n`)
  }
  const input = fs.readFileSync(0, 'utf8')
  const output = solc.compile(input, { import: makeImportCallback(opts.basePath, opts.includePaths) })
  // Like native solc in --standard-json mode, compilation errors are reported
  // inside the JSON and the exit code stays 0.
  process.stdout.write(output)
}

main()
