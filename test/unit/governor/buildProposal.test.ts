import { encodeAbiParameters, keccak256, stringToHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { type ActionFile, parseActionFile } from '../../../src/actions/actionFile.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { renderDevnetWorkspace } from '../../../src/devnet/devnetWorkspace.js'
import {
  DelegatecallInProposalError,
  EmptyProposalError,
  GovernorNotInWorkspaceError,
} from '../../../src/errors/governor.js'
import { buildGovernorProposal, proposalDescription } from '../../../src/governor/buildProposal.js'
import { governorOf } from '../../../src/governor/governorOf.js'
import { timelockOperationId, timelockSalt } from '../../../src/governor/proposalIds.js'
import type { Address } from '../../../src/safe/types.js'
import { parseWorkspace } from '../../../src/workspace/loadWorkspace.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
const { governor, timelock } = layout.contracts

// Three kinds, one of them (the ETH + aUSD transfer pair) two actions; the description ends in a newline.
const FILE_TEXT = `version: 1
safe: council
route: governor
description: |
  # November grants

  Pays round 7 and sets the vault rate.
actions:
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "12500.5"
    memo: Grants round 7
  - kind: transfer
    token: ETH
    to: grants-multisig
    amount: "0.25"
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.05"
    duration: 30d
`
const file = parseActionFile('/w/proposal.yaml', FILE_TEXT, ws)
const withDescription = (description: string): ActionFile => ({ ...file, description })

describe('buildGovernorProposal', () => {
  const proposal = buildGovernorProposal(file, governor, timelock)

  it('lays the calls out in file order, and records which action made which calls', () => {
    const calls = file.actions.flatMap((a) => a.calls)
    expect(calls.length).toBe(3)
    expect(proposal.targets).toEqual(calls.map((c) => c.to))
    expect(proposal.values).toEqual(calls.map((c) => c.value))
    expect(proposal.calldatas).toEqual(calls.map((c) => c.data))
    // The ETH transfer is a plain value call to the payee.
    expect(proposal.targets[1]).toBe(ws.book.byName('grants-multisig')!.address)
    expect(proposal.values[1]).toBe(250_000_000_000_000_000n)
    expect(proposal.calldatas[1]).toBe('0x')
    expect(proposal.actions).toEqual(
      file.actions.map((a) => ({ index: a.index, kind: a.kind, description: a.description, calls: 1 })),
    )
    expect(proposal.governor).toBe(governor)
    expect(proposal.timelock).toBe(timelock)
  })

  it("keeps the file's description byte for byte and derives the ids from it (checked with viem)", () => {
    expect(proposal.description).toBe('# November grants\n\nPays round 7 and sets the vault rate.\n')
    expect(proposal.descriptionHash).toBe(keccak256(stringToHex(proposal.description)))
    const encoded = encodeAbiParameters(
      [{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }],
      [proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash],
    )
    expect(proposal.proposalId).toBe(BigInt(keccak256(encoded)))
  })

  it('schedules on the timelock with the v5 salt by default, the v4 salt on request', () => {
    const v5Salt = timelockSalt(governor, proposal.descriptionHash, 5)
    expect(proposal.timelockSalt).toBe(v5Salt)
    expect(proposal.timelockSalt!.slice(2, 42)).not.toBe(proposal.descriptionHash.slice(2, 42))
    expect(proposal.timelockOperationId).toBe(
      timelockOperationId({ ...proposal, predecessor: `0x${'00'.repeat(32)}`, salt: v5Salt }),
    )
    const v4 = buildGovernorProposal(file, governor, timelock, 4)
    expect(v4.proposalId).toBe(proposal.proposalId)
    expect(v4.timelockSalt).toBe(proposal.descriptionHash)
    expect(v4.timelockOperationId).not.toBe(proposal.timelockOperationId)
    // The salt binds the operation to its governor: another governor, another operation.
    const other = buildGovernorProposal(file, layout.contracts.registry, timelock)
    expect(other.proposalId).toBe(proposal.proposalId)
    expect(other.timelockOperationId).not.toBe(proposal.timelockOperationId)
  })

  it('has no timelock ids for a governor without a timelock', () => {
    const bare = buildGovernorProposal(file, governor, undefined)
    expect(bare.proposalId).toBe(proposal.proposalId)
    expect(bare.timelock).toBeUndefined()
    expect(bare.timelockSalt).toBeUndefined()
    expect(bare.timelockOperationId).toBeUndefined()
  })

  it('normalises the governor and timelock addresses', () => {
    const lower = buildGovernorProposal(
      file,
      governor.toLowerCase() as Address,
      timelock.toLowerCase() as Address,
    )
    expect(lower.governor).toBe(governor)
    expect(lower.timelock).toBe(timelock)
    expect(lower.timelockOperationId).toBe(proposal.timelockOperationId)
  })

  it('refuses a delegatecall, naming the action', () => {
    const actions = file.actions.map((a, i) =>
      i === 2 ? { ...a, calls: a.calls.map((c) => ({ ...c, operation: 1 as const })) } : a,
    )
    const build = () => buildGovernorProposal({ ...file, actions }, governor, timelock)
    expect(build).toThrow(DelegatecallInProposalError)
    try {
      build()
    } catch (err) {
      const e = err as DelegatecallInProposalError
      expect(e.code).toBe('GOVERNOR_DELEGATECALL')
      expect(e.action).toBe(2)
      expect(e.shortMessage).toContain('Action 3 (set-reward-rate)')
      expect(e.hint).toContain('route: safe')
    }
  })

  it('refuses a proposal without calls', () => {
    const actions = file.actions.map((a) => ({ ...a, calls: [] }))
    expect(() => buildGovernorProposal({ ...file, actions }, governor, timelock)).toThrow(EmptyProposalError)
  })
})

describe('proposalDescription: a file without a description', () => {
  it('uses the only action as the heading', () => {
    const one = { description: '', actions: file.actions.slice(0, 1) }
    expect(proposalDescription(one)).toBe(`# ${file.actions[0]!.description}`)
  })

  it('lists several actions under a count, in order', () => {
    const text = proposalDescription(withDescription('  \n'))
    const lines = text.split('\n')
    expect(lines[0]).toBe('# 3 alliance actions')
    expect(lines[1]).toBe('')
    expect(lines.slice(2)).toEqual(file.actions.map((a, i) => `${i + 1}. ${a.description}`))
    expect(lines[2]).toContain('12,500.5')
  })

  it('is what the proposal is built with, so the same file always gives the same id', () => {
    const a = buildGovernorProposal(withDescription(''), governor, timelock)
    const b = buildGovernorProposal(withDescription(''), governor, timelock)
    expect(a.description).toBe(proposalDescription(withDescription('')))
    expect(a.proposalId).toBe(b.proposalId)
    expect(a.proposalId).not.toBe(buildGovernorProposal(file, governor, timelock).proposalId)
  })
})

describe('governorOf', () => {
  it("finds the devnet workspace's governor and timelock", () => {
    expect(governorOf(ws)).toEqual({
      governor: { name: 'governor', address: governor },
      timelock: { name: 'timelock', address: timelock },
    })
  })

  const workspaceWith = (contracts: string) => {
    const base = renderDevnetWorkspace('http://127.0.0.1:8545')
    const start = base.indexOf('\ncontracts:\n')
    const end = base.indexOf('\n# Other addresses')
    return parseWorkspace(
      '/virtual/alliance.yaml',
      `${base.slice(0, start)}\ncontracts:\n${contracts}${base.slice(end)}`,
    )
  }
  const entry = (name: string, type: string, address: string) =>
    `  ${name}:\n    type: ${type}\n    address: "${address}"\n`

  it('refuses a workspace without a governor, saying how to add one', () => {
    const noGovernor = workspaceWith(entry('treasury', 'treasury', layout.contracts.treasury))
    expect(() => governorOf(noGovernor)).toThrow(GovernorNotInWorkspaceError)
    try {
      governorOf(noGovernor)
    } catch (err) {
      const e = err as GovernorNotInWorkspaceError
      expect(e.code).toBe('GOVERNOR_NOT_IN_WORKSPACE')
      expect(e.shortMessage).toContain('no governor contract')
      expect(e.hint).toContain('type: governor')
    }
  })

  it('returns no timelock when the workspace lists none', () => {
    const bare = workspaceWith(entry('gov', 'governor', governor))
    expect(governorOf(bare)).toEqual({ governor: { name: 'gov', address: governor } })
  })

  it('asks for a name when there are several, and takes one by name or address', () => {
    const two = workspaceWith(
      entry('gov-a', 'governor', governor) +
        entry('gov-b', 'governor', layout.contracts.registry) +
        entry('tl', 'timelock', timelock),
    )
    expect(() => governorOf(two)).toThrow(/several governor contracts/)
    expect(governorOf(two, { governor: 'gov-b' }).governor.address).toBe(layout.contracts.registry)
    expect(governorOf(two, { governor: governor.toLowerCase() }).governor.name).toBe('gov-a')
    expect(governorOf(two, { governor: 'gov-a' }).timelock).toEqual({ name: 'tl', address: timelock })
    expect(() => governorOf(two, { governor: 'gov-a', timelock: 'gov-b' })).toThrow(
      GovernorNotInWorkspaceError,
    )
  })
})
