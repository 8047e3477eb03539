#!/usr/bin/env node
// Runs the forge binary shipped in node_modules (@foundry-rs/forge) with the
// contracts/ folder as working directory, forwarding all arguments and the exit
// code: `node contracts/scripts/forge.mjs test` works from any directory.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const contractsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const repoRoot = path.resolve(contractsDir, '..')

// @foundry-rs/forge installs the binary as an optional per-platform package.
const platformPackage = `forge-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`
const exe = process.platform === 'win32' ? 'forge.exe' : 'forge'
const forgeBin = path.join(repoRoot, 'node_modules', '@foundry-rs', platformPackage, 'bin', exe)

/**
 * Runs forge synchronously with `args` and returns its exit code.
 * @param {string[]} args
 * @returns {number}
 */
export function runForge(args) {
  if (!fs.existsSync(forgeBin)) {
    process.stderr.write(`forge binary not found at ${forgeBin}; run npm install first.\n`)
    return 1
  }
  const result = spawnSync(forgeBin, args, {
    cwd: contractsDir,
    stdio: 'inherit',
    env: {
      ...process.env,
      // Never download a compiler or anything else (see foundry.toml).
      FOUNDRY_OFFLINE: 'true',
      // forge resolves a relative `solc` path against its working directory, not
      // against foundry.toml; an absolute path (overriding the toml entry) also
      // holds when extra arguments such as `--root` are forwarded.
      FOUNDRY_SOLC: path.join(contractsDir, 'scripts', 'solc-adapter.mjs'),
    },
  })
  if (result.error) {
    process.stderr.write(`failed to run forge: ${result.error.message}\n`)
    return 1
  }
  // A signal-terminated forge has no status; report failure.
  return result.status ?? 1
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = runForge(process.argv.slice(2))
}
