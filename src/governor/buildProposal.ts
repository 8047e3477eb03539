import { getAddress } from 'ethers'
import type { ActionFile } from '../actions/actionFile.js'
import { DelegatecallInProposalError, EmptyProposalError } from '../errors/governor.js'
import type { Address, Hex } from '../safe/types.js'
import {
  descriptionHash as hashDescription,
  hashProposal,
  type OzGovernorVersion,
  timelockOperationId,
  timelockSalt,
} from './proposalIds.js'
import type { GovernorProposal, GovernorProposalAction } from './types.js'

export type BuildGovernorProposalErrorType = DelegatecallInProposalError | EmptyProposalError

/**
 * The proposal an action file becomes: its calls in order, its description, and the ids the governor
 * and timelock will give it. `ozVersion` only picks the timelock salt; the proposal id is the same in 4.x and 5.x.
 */
export function buildGovernorProposal(
  file: ActionFile,
  governor: Address,
  timelock: Address | undefined,
  ozVersion: OzGovernorVersion = 5,
): GovernorProposal {
  const targets: Address[] = []
  const values: bigint[] = []
  const calldatas: Hex[] = []
  const actions: GovernorProposalAction[] = []
  for (const action of file.actions) {
    for (const call of action.calls) {
      if (call.operation === 1)
        throw new DelegatecallInProposalError({ action: action.index, kind: action.kind, to: call.to })
      targets.push(call.to)
      values.push(call.value)
      calldatas.push(call.data)
    }
    actions.push({
      index: action.index,
      kind: action.kind,
      description: action.description,
      calls: action.calls.length,
    })
  }
  if (targets.length === 0) throw new EmptyProposalError(file.file)

  const description = proposalDescription(file)
  const descHash = hashDescription(description)
  const governorAddress = getAddress(governor) as Address
  const proposal: GovernorProposal = {
    governor: governorAddress,
    targets,
    values,
    calldatas,
    description,
    descriptionHash: descHash,
    proposalId: hashProposal({ targets, values, calldatas, descriptionHash: descHash }),
    actions,
  }
  if (timelock) {
    const salt = timelockSalt(governorAddress, descHash, ozVersion)
    proposal.timelock = getAddress(timelock) as Address
    proposal.timelockSalt = salt
    proposal.timelockOperationId = timelockOperationId({ targets, values, calldatas, salt })
  }
  return proposal
}

/**
 * The file's `description` byte for byte (it is hashed into the id, so it is never trimmed). A file
 * without one gets a Markdown description made only from its actions, so the same file always gives the
 * same proposal id: a heading (the action itself, or "N alliance actions") and, for several actions, a
 * numbered list of what each does.
 */
export function proposalDescription(file: Pick<ActionFile, 'description' | 'actions'>): string {
  if (file.description.trim() !== '') return file.description
  const [first, ...rest] = file.actions
  if (first && rest.length === 0) return `# ${first.description}`
  const list = file.actions.map((a, i) => `${i + 1}. ${a.description}`).join('\n')
  return `# ${file.actions.length} alliance actions\n\n${list}`
}
