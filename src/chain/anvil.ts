import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { AnvilNotFoundError, AnvilStartError } from '../errors/devnet.js'

export type AnvilOptions = {
  port?: number
  host?: string
  chainId?: number
  forkUrl?: string
  forkBlock?: bigint
  /** Spawn in its own process group and let this process exit without it (`devnet start --detach`). */
  detached?: boolean
  /** Milliseconds to wait for the RPC to answer. */
  readyTimeoutMs?: number
}

export type AnvilInstance = {
  url: string
  port: number
  pid: number
  stop(): Promise<void>
}

/**
 * The anvil binary inside @foundry-rs/anvil's platform package. It is started directly: going through
 * npx puts npm, a shell and a node wrapper in between, and killing that leaves anvil running.
 */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`
  const require = createRequire(import.meta.url)
  try {
    const bin = join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'anvil')
    if (existsSync(bin)) return bin
  } catch {
    // fall through
  }
  throw new AnvilNotFoundError(pkg)
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilInstance> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? (await freePort(host))
  const args = ['--host', host, '--port', String(port), '--chain-id', String(options.chainId ?? 31337)]
  if (options.forkUrl) args.push('--fork-url', options.forkUrl)
  if (options.forkBlock !== undefined) args.push('--fork-block-number', String(options.forkBlock))
  const child = spawn(anvilBinary(), args, {
    detached: options.detached ?? false,
    stdio: options.detached ? 'ignore' : ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000)
  })
  child.stderr?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000)
  })
  const url = `http://${host}:${port}`
  try {
    await waitForRpc(url, child, options.readyTimeoutMs ?? 10_000, () => output)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  if (options.detached) child.unref()
  // Drain and drop anvil's per-request logging so its pipe never fills up and blocks it.
  child.stdout?.resume()
  return { url, port, pid: child.pid!, stop: () => stopProcess(child) }
}

async function waitForRpc(url: string, child: ChildProcess, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs
  let exited: number | null = null
  child.once('exit', (code) => {
    exited = code ?? -1
  })
  while (Date.now() < deadline) {
    if (exited !== null) throw new AnvilStartError(`it exited with code ${exited}`, output())
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
        signal: AbortSignal.timeout(500),
      })
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new AnvilStartError(`no answer on ${url} within ${timeoutMs} ms`, output())
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/**
 * Stops an anvil started detached by an earlier process, by pid, and waits until it is gone
 * (SIGKILL after 3 s). Returns false if it was not running.
 */
export async function stopDetached(pid: number): Promise<boolean> {
  if (!isRunning(pid)) return false
  process.kill(pid, 'SIGTERM')
  for (let waited = 0; waited < 3000 && isRunning(pid); waited += 50)
    await new Promise((r) => setTimeout(r, 50))
  if (isRunning(pid)) process.kill(pid, 'SIGKILL')
  return true
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // An exited child whose parent is gone can linger as a zombie until reaped; it is not running.
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return true
  }
}
