import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const RUN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export type CliResult = {
  code: number
  stdout: string
  stderr: string
  /** The signal that ended the process (a test that kills it on purpose checks this). */
  signal?: NodeJS.Signals
}

/** Runs the built CLI (bin/run.js → dist/) as a user would, in its own process. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
) {
  return new Promise<CliResult>((resolve) => {
    execFile(
      process.execPath,
      [RUN, ...args],
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          NO_COLOR: '1',
          // Under vitest NODE_ENV=test, and oclif then first tries (and fails) to register tsx for the
          // TypeScript sources: ~0.7 s a run, and a working tsx would run the sources, not the build.
          NODE_ENV: undefined,
          ALLIANCE_WORKSPACE: undefined,
          ALLIANCE_RPC_URL: undefined,
          ...options.env,
        },
        timeout: 50_000, // below the test timeout, so a hung command fails with its output
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr, ...(error?.signal ? { signal: error.signal } : {}) })
      },
    )
  })
}

/** The JSON envelope a command printed with --json; tests read `data` by the command's documented shape. */
export const envelope = (r: CliResult) =>
  JSON.parse(r.stdout) as {
    schemaVersion: number
    success: boolean
    // biome-ignore lint/suspicious/noExplicitAny: each test asserts the fields it relies on.
    data: any
    errors: { code: string; message: string; details?: string[]; hint?: string; issues?: unknown[] }[]
    warnings: { code: string; message: string }[]
  }
