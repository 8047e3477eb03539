import { resolve } from 'node:path'
import { Flags } from '@oclif/core'
import { QueueNotConfiguredError } from '../errors/queue.js'
import { directoryQueue } from '../queue/directoryQueue.js'
import { serviceQueue } from '../queue/serviceQueue.js'
import type { ProposalQueue } from '../queue/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'

/** Where proposals travel: the Transaction Service or a shared directory (flags override alliance.yaml). */
export const queueFlags = {
  'tx-service-url': Flags.string({
    summary:
      'Safe Transaction Service base URL, ending in /api (default: queue.txServiceUrl in alliance.yaml).',
    env: 'ALLIANCE_TX_SERVICE_URL',
    exclusive: ['queue-dir'],
    helpGroup: 'QUEUE',
  }),
  'queue-dir': Flags.string({
    summary:
      'A shared directory of plan bundles instead of the service (air-gapped signing, a git repository).',
    env: 'ALLIANCE_QUEUE_DIR',
    exclusive: ['tx-service-url'],
    helpGroup: 'QUEUE',
  }),
  'api-key-env': Flags.string({
    summary:
      "Environment variable holding the service's API key (default SAFE_API_KEY; never the key itself).",
    helpGroup: 'QUEUE',
  }),
  'queue-timeout': Flags.integer({
    summary:
      'Seconds to wait for each service request (retried up to 3 times when it fails without an answer).',
    default: 15,
    min: 1,
    helpGroup: 'QUEUE',
  }),
}

export type QueueFlagValues = {
  'tx-service-url'?: string | undefined
  'queue-dir'?: string | undefined
  'api-key-env'?: string | undefined
  'queue-timeout'?: number | undefined
}

/** The queue the flags or the workspace name; the API key is read from its variable, never from a flag. */
export async function openQueue(
  workspace: Workspace,
  flags: QueueFlagValues,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProposalQueue> {
  const configured = workspace.config.queue
  if (flags['queue-dir']) return directoryQueue(resolve(flags['queue-dir']))
  const url = flags['tx-service-url'] ?? configured?.txServiceUrl
  if (url) {
    const apiKey = env[flags['api-key-env'] ?? configured?.apiKeyEnv ?? 'SAFE_API_KEY']
    return serviceQueue({
      url,
      chainId: BigInt(workspace.config.chain.chainId),
      ...(apiKey ? { apiKey } : {}),
      timeoutMs: (flags['queue-timeout'] ?? 15) * 1000,
    })
  }
  if (configured?.directory) return directoryQueue(resolve(workspace.dir, configured.directory))
  throw new QueueNotConfiguredError()
}

/** A 32-byte hash (a safeTxHash) rather than a file path. */
export const isSafeTxHash = (arg: string) => /^0x[0-9a-fA-F]{64}$/.test(arg)
