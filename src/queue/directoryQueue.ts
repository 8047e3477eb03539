import { randomBytes } from 'node:crypto'
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { getAddress } from 'ethers'
import {
  AlreadyQueuedError,
  DuplicateConfirmationError,
  InvalidConfirmationError,
  QueuedTransactionNotFoundError,
} from '../errors/queue.js'
import { parsePlan, serializePlan } from '../plan/planFile.js'
import type { SafePlan } from '../plan/types.js'
import { checkPlanIntegrity } from '../plan/verifyPlan.js'
import { parseSafeSignatures } from '../safe/signatures.js'
import type { Address, Hex } from '../safe/types.js'
import { sameAddress } from '../utils/address.js'
import type { ProposalQueue, QueuedConfirmation, QueuedTransaction } from './types.js'

const PLAN = 'plan.json'
const SIGNATURE_SUFFIX = '.sig.json'

/**
 * A queue that is a plain directory (a shared git repository, a USB stick): one folder per transaction,
 * named by its safeTxHash, holding the plan bundle and one file per owner's confirmation. Every write is
 * a complete file renamed or linked into place, so a reader sees all of it or none of it, and two signers
 * writing at once each add their own file: no lock, no lost update. A confirmation file that already
 * exists cannot be replaced (link fails), which is how a duplicate is refused.
 */
export function directoryQueue(root: string): ProposalQueue {
  const description = `directory ${root}`
  const folder = (hash: Hex) => join(root, hash.toLowerCase())

  function readQueued(hash: Hex): QueuedTransaction {
    const dir = folder(hash)
    const planPath = join(dir, PLAN)
    if (!existsSync(planPath)) throw new QueuedTransactionNotFoundError(hash, description)
    const plan = parsePlan(planPath, readFileSync(planPath, 'utf8'))
    const confirmations: QueuedConfirmation[] = readdirSync(dir)
      .filter((f) => f.endsWith(SIGNATURE_SUFFIX))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as QueuedConfirmation)
    return {
      safe: plan.safe.address,
      safeTx: plan.safeTx,
      safeTxHash: plan.hashes.safeTxHash,
      confirmations,
      plan,
      origin: plan.description,
      // The proposer's confirmation is the oldest (files are listed by owner address, not by time).
      ...(confirmations.length
        ? {
            proposer: [...confirmations].sort((a, b) =>
              (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''),
            )[0]!.owner,
          }
        : {}),
    }
  }

  /** The queue checks what it stores, like the service does: an owner's signature over this hash. */
  function checkConfirmation(plan: SafePlan, owner: Address, signature: Hex) {
    const hash = plan.hashes.safeTxHash
    let recovered: Address | undefined
    try {
      const [item] = parseSafeSignatures(signature, hash, { count: 1, version: plan.safe.version })
      recovered = item?.signer
    } catch (err) {
      throw new InvalidConfirmationError(hash, (err as Error).message.split('\n')[0]!)
    }
    if (!sameAddress(recovered, owner))
      throw new InvalidConfirmationError(hash, `the signature is ${recovered}'s, not ${owner}'s`)
    if (!plan.safe.owners.some((o) => sameAddress(o, owner)))
      throw new InvalidConfirmationError(hash, `${owner} is not an owner of ${plan.safe.address}`)
  }

  function writeConfirmation(dir: string, hash: Hex, owner: Address, signature: Hex) {
    const confirmation: QueuedConfirmation = { owner, signature, submittedAt: new Date().toISOString() }
    const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
    writeFileSync(tmp, `${JSON.stringify(confirmation, null, 2)}\n`)
    try {
      linkSync(tmp, join(dir, `${getAddress(owner)}${SIGNATURE_SUFFIX}`))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DuplicateConfirmationError(owner, hash)
      throw err
    } finally {
      rmSync(tmp, { force: true })
    }
  }

  return {
    description,
    async propose({ plan, proposer, signature }) {
      const hash = plan.hashes.safeTxHash
      const problems = checkPlanIntegrity(plan)
      if (problems.length) throw new InvalidConfirmationError(hash, problems.join('; '))
      checkConfirmation(plan, proposer, signature)
      mkdirSync(root, { recursive: true })
      // Build the whole folder aside, then rename it into place: it appears complete, or not at all.
      const staging = join(root, `.${randomBytes(6).toString('hex')}.staging`)
      mkdirSync(staging)
      try {
        writeFileSync(join(staging, PLAN), serializePlan({ ...plan, signatures: [] }))
        writeConfirmation(staging, hash, proposer, signature)
        try {
          renameSync(staging, folder(hash))
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (code === 'EEXIST' || code === 'ENOTEMPTY') throw new AlreadyQueuedError(hash, description)
          throw err
        }
      } finally {
        rmSync(staging, { recursive: true, force: true })
      }
    },
    async confirm({ safeTxHash, owner, signature }) {
      const queued = readQueued(safeTxHash)
      checkConfirmation(queued.plan!, owner, signature)
      writeConfirmation(folder(safeTxHash), safeTxHash, owner, signature)
    },
    async get(safeTxHash) {
      return readQueued(safeTxHash)
    },
    async pending(safe, fromNonce) {
      return readAll(safe).filter((t) => t.safeTx.nonce >= fromNonce)
    },
    // A directory never learns of executions: `executed` stays unset, so a reader cannot take it for "not executed".
    async *history(safe) {
      yield* readAll(safe)
    },
  }

  /** Every transaction of the Safe in the directory, by nonce (ties in folder order). */
  function readAll(safe: Address): QueuedTransaction[] {
    if (!existsSync(root)) return []
    return readdirSync(root)
      .filter((name) => /^0x[0-9a-f]{64}$/.test(name) && existsSync(join(root, name, PLAN)))
      .map((name) => readQueued(name as Hex))
      .filter((t) => sameAddress(t.safe, safe))
      .sort((a, b) => (a.safeTx.nonce === b.safeTx.nonce ? 0 : a.safeTx.nonce < b.safeTx.nonce ? -1 : 1))
  }
}
