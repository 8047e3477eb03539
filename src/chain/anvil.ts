import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
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
  /** Further anvil flags (a simulation fork's `--auto-impersonate`, zero base fee, …). */
  extraArgs?: string[]
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

export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilInstance> {
  const host = options.host ?? '127.0.0.1'
  // Port 0 lets anvil bind a free port itself and print it. Asking the OS for a free port first and
  // passing it on races with other processes doing the same (parallel tests), and the loser would
  // then talk to someone else's node.
  const args = [
    '--host',
    host,
    '--port',
    String(options.port ?? 0),
    '--chain-id',
    String(options.chainId ?? 31337),
  ]
  if (options.forkUrl) args.push('--fork-url', options.forkUrl)
  if (options.forkBlock !== undefined) args.push('--fork-block-number', String(options.forkBlock))
  if (options.extraArgs) args.push(...options.extraArgs)
  const child = spawn(anvilBinary(), args, {
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  try {
    const port = await waitForListening(child, options.readyTimeoutMs ?? 10_000, () => output)
    const url = `http://${host}:${port}`
    await waitForRpc(url, child, options.readyTimeoutMs ?? 10_000, () => output)
    if (options.detached) {
      // The caller is about to exit; a detached anvil must not hold its pipes.
      child.stdout.destroy()
      child.stderr.destroy()
      child.unref()
    } else {
      // Keep draining anvil's per-request logging so its pipe never fills up and blocks it.
      child.stdout.off('data', collect).resume()
    }
    return { url, port, pid: child.pid!, stop: () => stopProcess(child) }
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
}

/** Reads the port from anvil's "Listening on HOST:PORT" line. */
function waitForListening(child: ChildProcess, timeoutMs: number, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new AnvilStartError(`it did not listen within ${timeoutMs} ms`, output())),
      timeoutMs,
    )
    const onData = () => {
      const match = /Listening on [^\s]+:(\d+)/.exec(output())
      if (match) finish(undefined, Number(match[1]))
    }
    const onExit = (code: number | null) =>
      finish(new AnvilStartError(`it exited with code ${code ?? 'unknown'}`, output()))
    const finish = (err?: Error, port?: number) => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
      if (err) reject(err)
      else resolve(port!)
    }
    child.stdout?.on('data', onData)
    child.once('exit', onExit)
  })
}

async function waitForRpc(url: string, child: ChildProcess, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new AnvilStartError(`it exited with code ${child.exitCode}`, output())
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
        signal: AbortSignal.timeout(500),
      })
      if (res.ok) return
    } catch {
      // not answering yet
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
