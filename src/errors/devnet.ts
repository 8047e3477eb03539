import { AllianceError } from './base.js'

export class AnvilNotFoundError extends AllianceError {
  override name = 'AnvilNotFoundError'
  constructor(platformPackage: string) {
    super(`The anvil binary for this platform (${platformPackage}) is not installed`, {
      code: 'ANVIL_NOT_FOUND',
      hint: 'Run `npm ci` in the alliance package; anvil ships in @foundry-rs/anvil.',
    })
  }
}

export class AnvilStartError extends AllianceError {
  override name = 'AnvilStartError'
  constructor(reason: string, output: string) {
    super(`anvil did not start: ${reason}`, {
      code: 'ANVIL_START_FAILED',
      details: output.trim() ? output.trim().split('\n').slice(-5) : [],
      hint: 'Is the port already in use? Pick another with --port, or stop the other node.',
    })
  }
}

export class DevnetNotRunningError extends AllianceError {
  override name = 'DevnetNotRunningError'
  constructor(where: string) {
    super(`No detached devnet is running for ${where}`, {
      code: 'DEVNET_NOT_RUNNING',
      hint: 'Start one with `alliance devnet start --detach`.',
    })
  }
}

export class DevnetNotFreshError extends AllianceError {
  override name = 'DevnetNotFreshError'
  constructor(reason: string) {
    super(`Cannot deploy the devnet on this chain: ${reason}`, {
      code: 'DEVNET_NOT_FRESH',
      hint: 'Deploy on a fresh anvil (`alliance devnet start` starts one).',
    })
  }
}

export class DevnetAlreadyRunningError extends AllianceError {
  override name = 'DevnetAlreadyRunningError'
  constructor(dir: string, url: string, pid: number) {
    super(`A devnet is already running for ${dir} at ${url} (pid ${pid})`, {
      code: 'DEVNET_RUNNING',
      hint: 'Stop it first with `alliance devnet stop`.',
    })
  }
}
