import { Command, Flags, type Interfaces } from '@oclif/core'
import type { ChalkInstance } from 'chalk'
import { AllianceError } from '../errors/base.js'
import { failed, ok } from '../render/envelope.js'
import { renderError } from '../render/errorView.js'
import { createTheme } from '../render/theme.js'
import { bufferedWriter, jsonChunks } from '../utils/chunks.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof AllianceCommand)['baseFlags'] & T['flags']
>

/**
 * Every alliance command: `--json` prints one versioned envelope (and mutes human output), errors
 * become a short message with a hint and the error's exit code, colour follows NO_COLOR and the TTY.
 */
export abstract class AllianceCommand extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    workspace: Flags.file({
      char: 'w',
      summary: 'Workspace file (default: the nearest alliance.yaml upwards from here).',
      env: 'ALLIANCE_WORKSPACE',
      helpGroup: 'GLOBAL',
    }),
    'rpc-url': Flags.string({
      summary: "JSON-RPC endpoint (default: the workspace's chain.rpcUrl).",
      env: 'ALLIANCE_RPC_URL',
      helpGroup: 'GLOBAL',
    }),
  }

  #theme: ChalkInstance | undefined

  protected get t(): ChalkInstance {
    this.#theme ??= createTheme(this.jsonEnabled() ? { color: false } : {})
    return this.#theme
  }

  /** Human output only: under --json, stdout carries the envelope alone. */
  protected say(text = ''): void {
    if (!this.jsonEnabled()) this.log(text)
  }

  /** `say` for output drawn line by line (a long history): printed as it comes, never one string. */
  protected sayLines(lines: Iterable<string>): void {
    if (this.jsonEnabled()) return
    const out = bufferedWriter((text) => process.stdout.write(text))
    for (const line of lines) out.write(`${line}\n`)
    out.flush()
  }

  /**
   * The envelope written piece by piece, as JSON.stringify(envelope, null, 2) would write it (oclif's
   * own logJson builds the whole text, then tokenizes it to colour it: for a 10,000-execution history,
   * ~25 MB of JSON, that alone took ~400 MB). Writes to a file, or to a pipe on Linux, are synchronous, so
   * nothing queues up in memory.
   */
  override logJson(json: unknown): void {
    const out = bufferedWriter((text) => process.stdout.write(text))
    for (const chunk of jsonChunks(json, 2)) out.write(chunk)
    out.write('\n')
    out.flush()
  }

  /**
   * Ends the command as failed but still reports what it found: under --json the envelope carries the
   * data and the error; otherwise the error is printed after the human output already shown.
   */
  protected failWith(data: unknown, err: AllianceError): never {
    if (!this.jsonEnabled()) throw err
    const envelope = this.toErrorJson(err)
    this.logJson({ ...envelope, data: ok(data).data })
    return this.exit(err.exitCode)
  }

  /**
   * Ends a command that succeeded with another exit code than 0 (payouts: 2 = nothing to do): the
   * envelope is printed as for any success, then the process exits with `exitCode`.
   */
  protected succeedWith(data: unknown, exitCode: number): never {
    if (this.jsonEnabled()) this.logJson(this.toSuccessJson(data))
    return this.exit(exitCode)
  }

  protected override toSuccessJson(result: unknown) {
    return ok(result)
  }

  protected override toErrorJson(err: unknown) {
    return failed(err)
  }

  protected override async catch(
    err: Error & { exitCode?: number; oclif?: { exit?: number } },
  ): Promise<unknown> {
    // oclif's own exits (help, --version, this.exit) pass through untouched.
    if (err.oclif?.exit !== undefined && !(err instanceof AllianceError)) throw err
    const exitCode = err instanceof AllianceError ? err.exitCode : 1
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err))
    } else if (err instanceof AllianceError) {
      this.logToStderr(
        renderError(err, createTheme({ color: process.stderr.isTTY === true && !process.env.NO_COLOR })),
      )
    } else {
      throw err
    }
    return this.exit(exitCode)
  }
}
