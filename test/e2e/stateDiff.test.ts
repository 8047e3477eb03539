import { AbiCoder, getAddress, id, keccak256, parseUnits, toBeHex, ZeroAddress, ZeroHash } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactInterface } from '../../src/contracts/artifacts.js'
import { COUNCIL_OWNERS } from '../../src/devnet/accounts.js'
import { DEVNET_PARAMS } from '../../src/devnet/devnetLayout.js'
import { safeInterface } from '../../src/devnet/safeArtifacts.js'
import type { Address, Hex } from '../../src/safe/types.js'
import type { CallFrame } from '../../src/simulate/callTrace.js'
import { collectCandidateKeys } from '../../src/simulate/stateDiff/candidateKeys.js'
import { decodeStateDiff } from '../../src/simulate/stateDiff/decodeStateDiff.js'
import type { ContractStorageDiff, PrestateDiff } from '../../src/simulate/stateDiff/types.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

let devnet: TestDevnet
let singleton: Address
const codes = new Map<string, Hex>()
beforeAll(async () => {
  devnet = await startTestDevnet()
  singleton = (await devnet.reads.readSafe(devnet.layout.council)).singleton
  codes.set(singleton, (await devnet.provider.getCode(singleton)) as Hex)
})
afterAll(async () => {
  await devnet?.stop()
})

type Tx = { from: Address; to: Address; data: string }
type Overrides = Record<string, { stateDiff?: Record<string, string>; code?: string }>

/** Traces a call on the devnet (nothing is mined) and decodes its state diff as the simulator will. */
async function simulate(tx: Tx, stateOverrides?: Overrides) {
  const opts = (tracer: object) => ({ ...tracer, ...(stateOverrides ? { stateOverrides } : {}) })
  const [trace, diff] = await Promise.all([
    devnet.provider.send('debug_traceCall', [
      tx,
      'latest',
      opts({ tracer: 'callTracer', tracerConfig: { withLog: true } }),
    ]) as Promise<CallFrame>,
    devnet.provider.send('debug_traceCall', [
      tx,
      'latest',
      opts({ tracer: 'prestateTracer', tracerConfig: { diffMode: true } }),
    ]) as Promise<PrestateDiff>,
  ])
  expect(trace.error, trace.revertReason).toBeUndefined()
  const book = devnet.workspace.book
  const keys = collectCandidateKeys({ trace, addresses: book.entries().map((e) => e.address) })
  const decoded = decodeStateDiff(diff, {
    label: (a) => book.label(a),
    keys,
    sender: tx.from,
    codeOf: (a) => codes.get(a),
    singletonOf: () => singleton,
  })
  return { diff, decoded }
}

const at = (decoded: ContractStorageDiff[], address: string) => decoded.find((d) => d.address === address)
/** variable → [before, after, critical] */
const byVariable = (diff: ContractStorageDiff | undefined) =>
  Object.fromEntries(
    (diff?.changes ?? []).map((c) => [c.variable ?? c.slot, [c.before, c.after, c.critical]]),
  )

const c = () => devnet.layout.contracts
const council = () => devnet.layout.council
const named = (name: string) => {
  const r = devnet.workspace.book.resolveAddress(name)
  if (!r.ok) throw new Error(r.reason)
  return r.value
}
const [alice, bob] = COUNCIL_OWNERS.map((o) => o.address)

describe('decoding real state diffs from the devnet', () => {
  it('treasury allocate: the epoch spending and both token balances, nothing critical', async () => {
    const treasury = artifactInterface('AllianceTreasury')
    const amount = parseUnits('1234', 18)
    const epoch = treasury.decodeFunctionResult(
      'currentEpoch',
      await devnet.provider.call({ to: c().treasury, data: treasury.encodeFunctionData('currentEpoch') }),
    )[0] as bigint
    const { decoded } = await simulate({
      from: council(),
      to: c().treasury,
      data: treasury.encodeFunctionData('allocate', [c().ALLY, named('grants-multisig'), amount, 'grant #7']),
    })
    expect(at(decoded, c().treasury)?.layoutName).toBe('AllianceTreasury')
    expect(byVariable(at(decoded, c().treasury))).toEqual({
      [`spentInEpoch[ALLY][${epoch}]`]: ['0', amount.toString(), false],
    })
    const funded = DEVNET_PARAMS.treasuryFunding.ALLY
    expect(byVariable(at(decoded, c().ALLY))).toEqual({
      '_balances[grants-multisig]': ['0', amount.toString(), false],
      '_balances[treasury]': [funded.toString(), (funded - amount).toString(), false],
    })
    // The sender's nonce bump is the transaction's own: the council does not appear.
    expect(at(decoded, council())).toBeUndefined()
  })

  it('a budget set to zero: the tracer drops the zeroed slot from post, the decoder reads it as 0', async () => {
    const treasury = artifactInterface('AllianceTreasury')
    const { diff, decoded } = await simulate({
      from: c().timelock,
      to: c().treasury,
      data: treasury.encodeFunctionData('setEpochBudget', [c().ALLY, 0]),
    })
    expect(diff.post[c().treasury.toLowerCase()]).toEqual({})
    expect(byVariable(at(decoded, c().treasury))).toEqual({
      'epochBudget[ALLY]': [DEVNET_PARAMS.budgets.ALLY.toString(), '0', true],
    })
    expect(decoded[0]?.address).toBe(c().treasury)
  })

  it('a role grant is critical and names the role and the grantee', async () => {
    const treasury = artifactInterface('AllianceTreasury')
    const { decoded } = await simulate({
      from: c().timelock,
      to: c().treasury,
      data: treasury.encodeFunctionData('grantRole', [id('GUARDIAN_ROLE'), named('grants-multisig')]),
    })
    expect(byVariable(at(decoded, c().treasury))).toEqual({
      '_roles[GUARDIAN_ROLE].hasRole[grants-multisig]': ['false', 'true', true],
    })
  })

  it('vault setRewardRate: the rate and the end of the period', async () => {
    const vault = artifactInterface('StakingVault')
    const rate = parseUnits('0.02', 18)
    const { decoded } = await simulate({
      from: council(),
      to: c()['ally-staking'],
      data: vault.encodeFunctionData('setRewardRate', [rate, 86_400]),
    })
    const changes = byVariable(at(decoded, c()['ally-staking']))
    expect(changes['rewardRate']).toEqual([parseUnits('0.01', 18).toString(), rate.toString(), false])
    expect(Object.keys(changes)).toContain('periodFinish')
    expect(at(decoded, c()['ally-staking'])?.layoutName).toBe('StakingVault')
  })

  it('registry admitMember: array length, a struct element with a long string and a packed weight', async () => {
    const registry = artifactInterface('AllianceRegistry')
    const name = 'Play DAO, the community of players across the alliance'
    const { decoded } = await simulate({
      from: council(),
      to: c().registry,
      data: registry.encodeFunctionData('admitMember', [name, c().PLAY, named('play-dao-treasury'), 1000]),
    })
    expect(byVariable(at(decoded, c().registry))).toEqual({
      '_members.length': ['2', '3', false],
      '_members[2].name': ['""', JSON.stringify(name), false],
      '_members[2].token': [ZeroAddress, `PLAY (${c().PLAY})`, false],
      '_members[2].treasury': [ZeroAddress, `play-dao-treasury (${named('play-dao-treasury')})`, false],
      '_members[2].weightBps': ['0', '1000', false],
      '_positions[play-dao-treasury]': ['0', '3', false],
      totalWeightBps: ['6000', '7000', false],
    })
  })

  it('ALLY transfer: balances and the vote checkpoints pushed onto both delegates', async () => {
    const ally = artifactInterface('AllianceToken')
    const { decoded } = await simulate({
      from: alice!,
      to: c().ALLY,
      data: ally.encodeFunctionData('transfer', [bob, 5n]),
    })
    const token = at(decoded, c().ALLY)
    expect(token?.layoutName).toBe('AllianceToken')
    const changes = byVariable(token)
    // alice got 1,000,000 ALLY and staked 100,000 of them.
    const held = parseUnits('900000', 18)
    expect(changes['_balances[alice]']).toEqual([held.toString(), (held - 5n).toString(), false])
    const length = changes['_delegateCheckpoints[alice]._checkpoints.length'] as string[]
    expect(Number(length[1])).toBe(Number(length[0]) + 1)
    const pushed = `_delegateCheckpoints[alice]._checkpoints[${length[0]}]`
    expect(changes[`${pushed}._value`]?.[1]).toBe((held - 5n).toString())
    // debug_traceCall runs in the context of the block it is given: the key is that block's number.
    expect(Number(changes[`${pushed}._key`]?.[1])).toBe(await devnet.provider.getBlockNumber())
    expect(Object.keys(changes)).toContain('_delegateCheckpoints[bob]._checkpoints.length')
    // alice sent it: an EOA whose only other change is its nonce is left out.
    expect(at(decoded, alice!)).toBeUndefined()
  })

  it('the Safe adding an owner and raising the threshold: all critical, the Safe named by its singleton', async () => {
    const newOwner = '0x000000000000000000000000000000000000dEaD'
    const { decoded } = await simulate({
      from: council(),
      to: council(),
      data: safeInterface().encodeFunctionData('addOwnerWithThreshold', [newOwner, 3]),
    })
    expect(decoded[0]?.address).toBe(council())
    expect(decoded[0]?.layoutName).toBe('Safe 1.4.1')
    expect(byVariable(decoded[0])).toEqual({
      threshold: ['2', '3', true],
      ownerCount: ['3', '4', true],
      'owners[SENTINEL]': [`alice (${alice})`, newOwner, true],
      [`owners[${newOwner}]`]: [ZeroAddress, `alice (${alice})`, true],
    })
  })

  it('the Safe setting a guard: the named slot is decoded and critical', async () => {
    // Any contract answering `true` passes setGuard's ERC-165 check.
    const guard = getAddress('0x00000000000000000000000000000000000ba5ed')
    const { decoded } = await simulate(
      { from: council(), to: council(), data: safeInterface().encodeFunctionData('setGuard', [guard]) },
      { [guard]: { code: '0x600160005260206000f3' } },
    )
    expect(byVariable(at(decoded, council()))).toEqual({ guard: [ZeroAddress, guard, true] })
  })

  it('the governor changing its voting period: only the changed half of a packed slot, critical', async () => {
    const governor = artifactInterface('AllianceGovernor')
    const data = governor.encodeFunctionData('setVotingPeriod', [100])
    // onlyGovernance pops the call's hash from `_governanceCall` (slot 5, data at slot 6): put it there.
    const dataSlot = keccak256(AbiCoder.defaultAbiCoder().encode(['uint256', 'uint256'], [0, 6]))
    const { decoded } = await simulate(
      { from: c().timelock, to: c().governor, data },
      {
        [c().governor]: {
          stateDiff: { [toBeHex(5, 32)]: toBeHex(1n << 128n, 32), [dataSlot]: keccak256(data) },
        },
      },
    )
    const changes = byVariable(at(decoded, c().governor))
    expect(changes['_votingPeriod']).toEqual([DEVNET_PARAMS.votingPeriod.toString(), '100', true])
    expect(changes['_votingDelay']).toBeUndefined()
    expect(changes['_governanceCall._begin']).toEqual(['0', '1', false])
    expect(changes['_governanceCall._data[0]']).toEqual([keccak256(data), ZeroHash, false])
  })
})
