import type { JsonRpcProvider } from 'ethers'
import { artifactInterface } from '../../contracts/artifacts.js'
import { GovernorTxRevertedError } from '../../errors/governor.js'
import { executeCalldata, totalValue } from '../../governor/calls.js'
import { refuseExecute } from '../../governor/lifecycleRules.js'
import { type GovernorInfo, readProposal } from '../../governor/readGovernor.js'
import type { GovernorProposal } from '../../governor/types.js'
import type { LocalSigner } from '../../signers/privateKeyFromEnv.js'
import { needsQueuing } from './queue.js'
import { type SentGovernorTx, sendGovernorTx } from './sendGovernorTx.js'

export type ExecuteProposalParameters = {
  provider: JsonRpcProvider
  signer: LocalSigner
  info: GovernorInfo
  proposal: GovernorProposal
  receiptTimeoutMs?: number
}

export type ExecuteProposalResult = SentGovernorTx & {
  proposalId: bigint
  /** Why `value` was sent: the calls' total and what the executor (timelock or governor) already held. */
  funding: { callsTotal: bigint; executorBalance: bigint }
}

/**
 * Executes a queued proposal once its eta has passed (or a Succeeded one on a governor without a
 * timelock). The calls' ETH comes from the executor's balance; only a shortfall is sent as msg.value,
 * which the governor forwards. The ProposalExecuted event must be in the receipt.
 */
export async function executeProposal(p: ExecuteProposalParameters): Promise<ExecuteProposalResult> {
  const { proposal, info } = p
  const [readout, latest, queuing] = await Promise.all([
    readProposal(p.provider, info.address, proposal.proposalId),
    p.provider.getBlock('latest'),
    needsQueuing(p.provider, info, proposal.proposalId),
  ])
  const callsTotal = totalValue(proposal)
  const executorBalance = callsTotal > 0n ? await p.provider.getBalance(info.timelock ?? info.address) : 0n
  const value = callsTotal > executorBalance ? callsTotal - executorBalance : 0n
  const data = executeCalldata(proposal)
  const refusal = refuseExecute(readout, queuing, BigInt(latest?.timestamp ?? 0))
  // The latest block's time lags the block the transaction will land in: close to the eta, the
  // node's own estimate (made for the next block) decides whether the timelock lets it through.
  if (refusal && !(refusal.code === 'GOVERNOR_BEFORE_ETA' && (await runsNow(p, data, value)))) throw refusal
  const { sent, receipt } = await sendGovernorTx({
    provider: p.provider,
    signer: p.signer,
    step: 'execute',
    to: info.address,
    data,
    value,
    ...(p.receiptTimeoutMs ? { receiptTimeoutMs: p.receiptTimeoutMs } : {}),
  })
  const governorAbi = artifactInterface('AllianceGovernor')
  const executed = receipt.logs
    .map((l) => governorAbi.parseLog(l))
    .some((e) => e?.name === 'ProposalExecuted' && e.args.getValue('proposalId') === proposal.proposalId)
  if (!executed)
    throw new GovernorTxRevertedError({
      step: 'execute',
      reason: 'the governor emitted no ProposalExecuted for this proposal',
      txHash: sent.transactionHash,
    })
  return { ...sent, proposalId: proposal.proposalId, funding: { callsTotal, executorBalance } }
}

async function runsNow(p: ExecuteProposalParameters, data: string, value: bigint): Promise<boolean> {
  try {
    await p.provider.estimateGas({ from: p.signer.address, to: p.info.address, data, value })
    return true
  } catch {
    return false
  }
}
