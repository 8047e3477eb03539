import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isRunning } from '../../src/chain/anvil.js'
import { envelope, runCli } from '../support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'alliance-devnet-'))
let pid: number | undefined

afterAll(async () => {
  if (pid && isRunning(pid)) process.kill(pid, 'SIGKILL')
})

describe('alliance devnet start --detach, status, stop', () => {
  it('starts in the background, writes a workspace, reports status and stops', async () => {
    const started = await runCli(['devnet', 'start', '--detach', '--port', '0', '--dir', dir, '--json'])
    expect(started.code).toBe(0)
    const data = envelope(started).data
    pid = data.pid
    const port = Number(new URL(data.url).port)
    expect(port).toBeGreaterThan(0)
    expect(data.workspaceWritten).toBe(true)
    expect(isRunning(data.pid)).toBe(true)
    const workspace = readFileSync(join(dir, 'alliance.yaml'), 'utf8')
    expect(workspace).toContain(`rpcUrl: http://127.0.0.1:${port}`)
    expect(workspace).toContain(data.layout.council)

    // The workspace it wrote drives the other commands at once.
    const reinit = await runCli(['init', dir, '--json'])
    expect(reinit.code).toBe(1) // the workspace exists already; init does not overwrite it

    const status = await runCli(['devnet', 'status', '--dir', dir, '--json'])
    expect(status.code).toBe(0)
    expect(envelope(status).data.blockNumber).toBeGreaterThan(50)

    const twice = await runCli([
      'devnet',
      'start',
      '--detach',
      '--port',
      String(port),
      '--dir',
      dir,
      '--json',
    ])
    expect(twice.code).toBe(1)
    expect(envelope(twice).errors[0]!.code).toBe('DEVNET_RUNNING')

    const stopped = await runCli(['devnet', 'stop', '--dir', dir])
    expect(stopped.code).toBe(0)
    await new Promise((r) => setTimeout(r, 300))
    expect(isRunning(data.pid)).toBe(false)
    expect(existsSync(join(dir, '.alliance', 'devnet.json'))).toBe(false)

    const after = await runCli(['devnet', 'status', '--dir', dir, '--json'])
    expect(after.code).toBe(1)
    expect(envelope(after).errors[0]!.code).toBe('DEVNET_NOT_RUNNING')
  })
})
