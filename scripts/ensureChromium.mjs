// Run before the tests: the HTML report is checked the way a person sees it, in headless Chromium.
// Debian's `chromium` package is what the tests use; on a fresh Debian machine (CI) it is installed
// here with apt, the only place it can come from offline. Elsewhere, say what to do and stop.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const wanted = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
if (existsSync(wanted)) process.exit(0)

const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
if (process.env.CHROMIUM_BIN || !hasApt || !isRoot) {
  console.error(
    `Chromium not found at ${wanted}. The HTML report tests render in headless Chromium:\n` +
      '  install it with `apt-get install -y chromium` (Debian/Ubuntu, as root),\n' +
      '  or set CHROMIUM_BIN to a Chromium or Chrome binary.',
  )
  process.exit(1)
}
console.error('Installing Debian’s chromium for the HTML report tests (apt-get, once per machine)…')
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
  stdio: 'inherit',
  env,
})
if (!existsSync(wanted)) {
  console.error(`apt-get finished but ${wanted} is still missing`)
  process.exit(1)
}
