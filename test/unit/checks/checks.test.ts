import { keccak256, toUtf8Bytes } from 'ethers'
import { describe, expect, it } from 'vitest'
import { actionContext } from '../../../src/actions/actionFile.js'
import type { SafeState } from '../../../src/chain/safeReads.js'
import { checkContext } from '../../../src/checks/checkContext.js'
import { delegatecallCheck } from '../../../src/checks/delegatecall.js'
import { gasRefundCheck } from '../../../src/checks/gasRefund.js'
import { largeTransferCheck } from '../../../src/checks/largeTransfer.js'
import { nonceCheck } from '../../../src/checks/nonce.js'
import { safeConfigChangeCheck } from '../../../src/checks/safeConfigChange.js'
import { safeVersionCheck } from '../../../src/checks/safeVersion.js'
import type { CheckContext, CheckReads } from '../../../src/checks/types.js'
import { unknownFunctionCheck } from '../../../src/checks/unknownFunction.js'
import { unknownTargetCheck } from '../../../src/checks/unknownTarget.js'
import { decodeContext } from '../../../src/cli/context.js'
import { tokenAbi } from '../../../src/contracts/tokenAbi.js'
import { safeAbi } from '../../../src/decode/knownAbis.js'
import { COUNCIL_OWNERS, GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { canonicalDeployments } from '../../../src/safe/deployments.js'
import { encodeMultiSend } from '../../../src/safe/multiSend.js'
import type { Address, Call, Hex, SafeTx } from '../../../src/safe/types.js'
import { devnetWorkspace } from '../../support/workspace.js'

// The checks see a transaction only through `CheckContext`; these tests build it the way the commands
// do (checkContext + the workspace's decode context) and stand in for the chain with fixed answers.

const ws = devnetWorkspace()
const decode = decodeContext(ws)
const { abiFor } = actionContext(ws)
const layout = devnetLayout()
const SAFE = layout.council
const { aUSD, treasury: TREASURY } = layout.contracts
const ZERO = '0x0000000000000000000000000000000000000000' as Address
/** anvil account 3: an EOA the address book does not name. */
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906' as Address
/** Somewhere no Safe deployment lives. */
const ELSEWHERE = '0x1111111111111111111111111111111111111111' as Address
const d141 = canonicalDeployments('1.4.1')
const MSCO = d141.multiSendCallOnly
const MULTISEND = d141.multiSend
const SOME_CODE = keccak256(toUtf8Bytes('some contract')) as Hex
const OTHER_CODE = keccak256(toUtf8Bytes('a look-alike')) as Hex
const aUsd = (n: bigint) => n * 1_000_000n

const safeTx = (fields: Partial<SafeTx>): SafeTx => ({
  to: SAFE,
  value: 0n,
  data: '0x',
  operation: 0,
  safeTxGas: 0n,
  baseGas: 0n,
  gasPrice: 0n,
  gasToken: ZERO,
  refundReceiver: ZERO,
  nonce: 5n,
  ...fields,
})

/** A MultiSendCallOnly 1.4.1 batch (or plain MultiSend), as the Safe executes it. */
const batch = (calls: Call[], via: Address = MSCO.address): SafeTx =>
  safeTx({ to: via, data: encodeMultiSend(calls), operation: 1 })

const call = (to: Address, data: Hex = '0x', fields: Partial<Call> = {}): Call => ({
  to,
  value: 0n,
  data,
  operation: 0,
  ...fields,
})
const transfer = (to: Address, amount: bigint) => tokenAbi.encodeFunctionData('transfer', [to, amount]) as Hex
const allocate = (token: Address, to: Address, amount: bigint) =>
  abiFor(TREASURY)!.encodeFunctionData('allocate', [token, to, amount, 'round 8']) as Hex
const safeCall = (fn: string, args: unknown[]) => safeAbi.encodeFunctionData(fn, args) as Hex

type Fake = CheckReads & { balanceQueries: string[] }

/**
 * Chain answers: code hashes by address (anything unlisted has SOME_CODE; `undefined` means no code) and
 * balances by `token:holder`. Records which balances were asked for.
 */
function fakeReads(
  codeHashes: Record<string, Hex | undefined> = {},
  balances: Record<string, bigint> = {},
): Fake {
  const balanceQueries: string[] = []
  return {
    balanceQueries,
    codeHash: async (address) => (address in codeHashes ? codeHashes[address] : SOME_CODE),
    async balanceOf(token, holder) {
      balanceQueries.push(`${token}:${holder}`)
      const b = balances[`${token}:${holder}`]
      if (b === undefined) throw new Error(`no balance stubbed for ${token}:${holder}`)
      return b
    },
  }
}

const safeState = (fields: Partial<SafeState> = {}): SafeState => ({
  address: SAFE,
  version: '1.4.1',
  nonce: 5n,
  owners: COUNCIL_OWNERS.map((o) => o.address),
  threshold: 2,
  singleton: d141.singleton.address,
  ...fields,
})

type Options = { version?: string; reads?: CheckReads; safe?: Partial<SafeState>; queuedNonces?: bigint[] }

/** Offline unless `reads` is given; online, the Safe is as `safeState` says. */
const ctx = (tx: SafeTx, { version = '1.4.1', reads, safe, queuedNonces }: Options = {}): CheckContext =>
  checkContext(
    { safe: { address: SAFE, version }, safeTx: tx },
    ws,
    decode,
    reads ? { safe: safeState(safe), reads, ...(queuedNonces ? { queuedNonces } : {}) } : undefined,
  )

describe('delegatecall', () => {
  const run = (tx: SafeTx, o?: Options) => delegatecallCheck.run(ctx(tx, o))
  const harmless = [call(aUSD, transfer(GRANTS_MULTISIG, aUsd(10n))), call(GRANTS_MULTISIG)]

  it('passes a batch through the canonical MultiSendCallOnly whose code is the real one', async () => {
    const reads = fakeReads({ [MSCO.address]: MSCO.codeHash })
    expect(await run(batch(harmless), { reads })).toEqual([])
  })

  it('is danger when the canonical MultiSendCallOnly address runs other code (a look-alike)', async () => {
    const reads = fakeReads({ [MSCO.address]: OTHER_CODE })
    expect(await run(batch(harmless), { reads })).toEqual([
      {
        severity: 'danger',
        message: expect.stringMatching(
          /^delegatecall to 0x9641.* running code that is not a known Safe library/,
        ),
      },
    ])
  })

  it('names the known contract a look-alike runs (plain MultiSend at the MultiSendCallOnly address)', async () => {
    const reads = fakeReads({ [MSCO.address]: MULTISEND.codeHash })
    const [finding] = await run(batch(harmless), { reads })
    expect(finding).toMatchObject({ severity: 'danger', message: expect.stringContaining('MultiSend 1.4.1') })
  })

  it('recognises MultiSendCallOnly by its code, not its address', async () => {
    const reads = fakeReads({ [ELSEWHERE]: MSCO.codeHash })
    expect(await run(batch(harmless, ELSEWHERE), { reads })).toEqual([])
  })

  it('is danger for a delegatecall to an arbitrary address, offline and online', async () => {
    const tx = safeTx({ to: STRANGER, data: '0x12345678', operation: 1 })
    expect(await run(tx)).toEqual([
      {
        severity: 'danger',
        message: expect.stringContaining(`delegatecall to ${STRANGER}, which is not a canonical`),
      },
    ])
    expect(await run(tx, { reads: fakeReads({ [STRANGER]: SOME_CODE }) })).toEqual([
      { severity: 'danger', message: expect.stringContaining(`delegatecall to ${STRANGER} running code`) },
    ])
    expect(await run(tx, { reads: fakeReads({ [STRANGER]: undefined }) })).toEqual([
      { severity: 'danger', message: `delegatecall to ${STRANGER}, which has no code` },
    ])
  })

  it('offline, trusts the canonical MultiSendCallOnly by address only, and says so', async () => {
    expect(await run(batch(harmless))).toEqual([
      { severity: 'info', message: expect.stringContaining('recognised by address only (offline)') },
    ])
  })

  it('a plain CALL is no delegatecall', async () => {
    expect(await run(safeTx({ to: STRANGER, data: '0x12345678' }))).toEqual([])
  })

  it('names the inner delegatecall of a plain MultiSend batch', async () => {
    const inner = [...harmless, call(STRANGER, '0x12345678', { operation: 1 })]
    const reads = fakeReads({ [MULTISEND.address]: MULTISEND.codeHash })
    const findings = await run(batch(inner, MULTISEND.address), { reads })
    expect(findings).toContainEqual({
      severity: 'danger',
      call: 3,
      message: `call 3 in the batch is a delegatecall to ${STRANGER}`,
    })
    // The same batch with only CALLs inside has no per-call finding (the outer MultiSend is still danger).
    const calm = await run(batch(harmless, MULTISEND.address), { reads })
    expect(calm.filter((f) => f.call !== undefined)).toEqual([])
    expect(calm).toEqual([{ severity: 'danger', message: expect.stringContaining('MultiSend 1.4.1') }])
  })

  it('names an inner delegatecall whose calldata is itself a multiSend batch', async () => {
    // Call 2 delegatecalls an unknown contract; its calldata only looks like a harmless batch.
    const nested = call(STRANGER, encodeMultiSend([call(GRANTS_MULTISIG)]), { operation: 1 })
    const reads = fakeReads({ [MULTISEND.address]: MULTISEND.codeHash })
    const findings = await run(batch([harmless[0]!, nested], MULTISEND.address), { reads })
    expect(findings).toContainEqual(
      expect.objectContaining({ severity: 'danger', call: 2, message: expect.stringContaining(STRANGER) }),
    )
  })
})

describe('safe-config-change', () => {
  const run = (tx: SafeTx) => safeConfigChangeCheck.run(ctx(tx))
  const changes: [string, unknown[]][] = [
    ['addOwnerWithThreshold', [STRANGER, 2n]],
    ['changeThreshold', [1n]],
    ['setGuard', [STRANGER]],
    ['enableModule', [STRANGER]],
    ['setFallbackHandler', [STRANGER]],
  ]

  it.each(changes)('%s on the Safe is danger', async (fn, args) => {
    expect(await run(safeTx({ to: SAFE, data: safeCall(fn, args) }))).toEqual([
      {
        severity: 'danger',
        call: 1,
        message: expect.stringMatching(new RegExp(`^the transaction .*: ${fn}\\(`)),
      },
    ])
  })

  it.each(changes)('%s hidden as call 2 of 3 in a batch is danger on call 2', async (fn, args) => {
    const tx = batch([
      call(aUSD, transfer(GRANTS_MULTISIG, aUsd(100n))),
      call(SAFE, safeCall(fn, args)),
      call(PLAY_DAO_TREASURY, '0x', { value: 1n }),
    ])
    expect(await run(tx)).toEqual([
      {
        severity: 'danger',
        call: 2,
        message: expect.stringMatching(new RegExp(`^call 2 of the batch .*${fn}\\(`)),
      },
    ])
  })

  it.each(changes)('%s sent to another address than the Safe is no finding', async (fn, args) => {
    expect(await run(safeTx({ to: PLAY_DAO_TREASURY, data: safeCall(fn, args) }))).toEqual([])
    expect(
      await run(batch([call(GRANTS_MULTISIG), call(STRANGER, safeCall(fn, args)), call(GRANTS_MULTISIG)])),
    ).toEqual([])
  })

  it('calldata to the Safe that does not decode is danger', async () => {
    expect(await run(safeTx({ to: SAFE, data: '0xdeadbeef0000' }))).toEqual([
      {
        severity: 'danger',
        call: 1,
        message: 'the transaction calls the Safe itself with calldata that does not decode',
      },
    ])
  })

  it('a plain ETH transfer to the Safe is no finding', async () => {
    expect(await run(safeTx({ to: SAFE, value: 1n }))).toEqual([])
  })
})

describe('gas-refund', () => {
  const run = (fields: Partial<SafeTx>) => gasRefundCheck.run(ctx(safeTx({ to: GRANTS_MULTISIG, ...fields })))

  it('all refund fields zero is no finding', async () => {
    expect(await run({})).toEqual([])
  })

  it.each([
    ['gasPrice', { gasPrice: 1n }, /^gasPrice is 1: the Safe pays a gas refund to the executor/],
    ['gasToken', { gasToken: aUSD }, /^the refund is paid in a custom gas token aUSD/],
    [
      'refundReceiver',
      { refundReceiver: STRANGER },
      new RegExp(`^refunds go to ${STRANGER}, not the executor$`),
    ],
  ] as const)('%s alone is a warning', async (_, fields, message) => {
    expect(await run(fields)).toEqual([{ severity: 'warning', message: expect.stringMatching(message) }])
  })

  it('gasToken, refundReceiver and gasPrice together are danger', async () => {
    const findings = await run({ gasPrice: 1n, gasToken: aUSD, refundReceiver: STRANGER })
    expect(findings.map((f) => f.severity)).toContain('danger')
    expect(findings).toContainEqual({
      severity: 'danger',
      message: expect.stringContaining('with a custom gas token this can hide a transfer of funds'),
    })
  })
})

describe('safe-version', () => {
  const run = (o: Options) => safeVersionCheck.run(ctx(safeTx({ to: GRANTS_MULTISIG }), o))

  it('warns that a Safe before 1.3.0 signs without a chain id; 1.3.0 does not', async () => {
    expect(await run({ version: '1.2.0' })).toEqual([
      { severity: 'warning', message: expect.stringContaining('replayed on any chain') },
    ])
    expect(await run({ version: '1.3.0' })).toEqual([])
  })

  it('is danger when the singleton runs code that is no known Safe', async () => {
    expect(
      await run({ reads: fakeReads({ [ELSEWHERE]: OTHER_CODE }), safe: { singleton: ELSEWHERE } }),
    ).toEqual([
      { severity: 'danger', message: `the Safe's singleton ${ELSEWHERE} is not a known Safe deployment` },
    ])
    // A known Safe contract that is not a singleton (MultiSendCallOnly) is no better.
    expect(
      await run({ reads: fakeReads({ [ELSEWHERE]: MSCO.codeHash }), safe: { singleton: ELSEWHERE } }),
    ).toEqual([expect.objectContaining({ severity: 'danger' })])
  })

  it('passes a known singleton of the reported version, L2 included', async () => {
    const s = d141.singleton
    expect(
      await run({ reads: fakeReads({ [s.address]: s.codeHash }), safe: { singleton: s.address } }),
    ).toEqual([])
    const l2 = canonicalDeployments('1.3.0').singletonL2
    expect(
      await run({
        version: '1.3.0+L2',
        reads: fakeReads({ [l2.address]: l2.codeHash }),
        safe: { singleton: l2.address },
      }),
    ).toEqual([])
  })

  it('warns when a known singleton is another version than the Safe reports', async () => {
    const s130 = canonicalDeployments('1.3.0').singleton
    expect(
      await run({ reads: fakeReads({ [s130.address]: s130.codeHash }), safe: { singleton: s130.address } }),
    ).toEqual([{ severity: 'warning', message: expect.stringContaining('1.3.0 but the Safe reports 1.4.1') }])
  })
})

describe('nonce', () => {
  const run = (nonce: bigint, o: Options = {}) =>
    nonceCheck.run(ctx(safeTx({ to: GRANTS_MULTISIG, nonce }), o))
  const online = (queuedNonces?: bigint[]): Options => ({
    reads: fakeReads(),
    safe: { nonce: 5n },
    ...(queuedNonces ? { queuedNonces } : {}),
  })

  it('is danger for a used nonce, a warning for a future one, nothing for the next', async () => {
    expect(await run(4n, online())).toEqual([
      { severity: 'danger', message: expect.stringContaining('nonce 4 is already used (the Safe is at 5)') },
    ])
    expect(await run(7n, online())).toEqual([
      { severity: 'warning', message: expect.stringContaining('2 transaction(s) must execute first') },
    ])
    expect(await run(5n, online())).toEqual([])
  })

  it('offline, says the nonce was not compared', async () => {
    expect(await run(5n)).toEqual([
      { severity: 'info', message: 'nonce 5 not compared with the chain (offline)' },
    ])
  })

  it('warns when another queued transaction uses the same nonce', async () => {
    expect(await run(5n, online([5n, 6n]))).toEqual([
      { severity: 'warning', message: '1 other queued transaction(s) use nonce 5; only one can execute' },
    ])
    expect(await run(5n, online([6n, 7n]))).toEqual([])
  })
})

describe('unknown-target', () => {
  const run = (tx: SafeTx, o?: Options) => unknownTargetCheck.run(ctx(tx, o))

  it('warns about a call to an address the book does not name, and names the call', async () => {
    expect(await run(safeTx({ to: STRANGER, value: 1n }))).toEqual([
      { severity: 'warning', call: 1, message: expect.stringContaining(`call 1 goes to ${STRANGER}`) },
    ])
    expect(await run(batch([call(GRANTS_MULTISIG), call(STRANGER)]))).toEqual([
      expect.objectContaining({ severity: 'warning', call: 2 }),
    ])
    expect(await run(batch([call(GRANTS_MULTISIG), call(PLAY_DAO_TREASURY)]))).toEqual([])
  })

  it('is danger when calldata goes to an address with no code', async () => {
    const tx = safeTx({ to: aUSD, data: transfer(GRANTS_MULTISIG, 1n) })
    expect(await run(tx, { reads: fakeReads({ [aUSD]: undefined }) })).toEqual([
      { severity: 'danger', call: 1, message: 'call 1 sends calldata to aUSD, which has no contract code' },
    ])
    expect(await run(tx, { reads: fakeReads({ [aUSD]: SOME_CODE }) })).toEqual([])
  })

  it('still sees the target of a plain CALL whose calldata looks like a multiSend batch', async () => {
    // Not executed by delegatecall, so the Safe calls STRANGER (with 1 ETH); the "batch" is just its input.
    const tx = safeTx({ to: STRANGER, value: 10n ** 18n, data: encodeMultiSend([call(GRANTS_MULTISIG)]) })
    expect(await run(tx)).toContainEqual(
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining(STRANGER) }),
    )
  })
})

describe('unknown-function', () => {
  const run = (tx: SafeTx) => unknownFunctionCheck.run(ctx(tx))

  it('warns about a selector the target ABI does not have', async () => {
    expect(await run(safeTx({ to: TREASURY, data: '0x12345678' }))).toEqual([
      {
        severity: 'warning',
        call: 1,
        message: expect.stringContaining('unknown function selector 0x12345678'),
      },
    ])
  })

  it('notes a call decoded by selector only, and is silent for one decoded with its ABI', async () => {
    const data = transfer(GRANTS_MULTISIG, 1n)
    expect(await run(batch([call(aUSD, data), call(STRANGER, data)]))).toEqual([
      {
        severity: 'info',
        call: 2,
        message: expect.stringContaining('decoded as transfer(address,uint256) by selector only'),
      },
    ])
    expect(await run(safeTx({ to: aUSD, data }))).toEqual([])
  })
})

describe('large-transfer', () => {
  // Policy: 10% (maxTransferShareBps 1000). The Safe holds 100,000 aUSD, the treasury 1,000,000.
  const balances = {
    [`${aUSD}:${SAFE}`]: aUsd(100_000n),
    [`${aUSD}:${TREASURY}`]: aUsd(1_000_000n),
    [`${ZERO}:${SAFE}`]: 5n * 10n ** 18n,
  }
  const online = () => ({ reads: fakeReads({}, balances) })
  const pay = (amount: bigint) => safeTx({ to: aUSD, data: transfer(GRANTS_MULTISIG, amount) })

  it('warns about a transfer of half the Safe’s balance, with the share', async () => {
    expect(await largeTransferCheck.run(ctx(pay(aUsd(50_000n)), online()))).toEqual([
      {
        severity: 'warning',
        call: 1,
        message: 'call 1 transfers 50,000 aUSD, 50% of the 100,000 aUSD council holds (policy: 10%)',
      },
    ])
  })

  it('is danger for more than the balance, and silent at 5%', async () => {
    expect(await largeTransferCheck.run(ctx(pay(aUsd(150_000n)), online()))).toEqual([
      {
        severity: 'danger',
        call: 1,
        message: expect.stringContaining('but council holds only 100,000 aUSD'),
      },
    ])
    expect(await largeTransferCheck.run(ctx(pay(aUsd(5_000n)), online()))).toEqual([])
  })

  it('measures an allocation against the treasury’s balance, not the Safe’s', async () => {
    const reads = fakeReads({}, balances)
    const tx = batch([
      call(GRANTS_MULTISIG, '0x', { value: 10n ** 17n }),
      call(TREASURY, allocate(aUSD, GRANTS_MULTISIG, aUsd(200_000n))),
    ])
    expect(await largeTransferCheck.run(ctx(tx, { reads }))).toEqual([
      {
        severity: 'warning',
        call: 2,
        message: expect.stringContaining('20% of the 1,000,000 aUSD treasury holds'),
      },
    ])
    expect(reads.balanceQueries).toEqual([`${ZERO}:${SAFE}`, `${aUSD}:${TREASURY}`])
    // 50,000 is 5% of the treasury (half the Safe's balance, which is not what pays).
    const small = safeTx({ to: TREASURY, data: allocate(aUSD, GRANTS_MULTISIG, aUsd(50_000n)) })
    expect(await largeTransferCheck.run(ctx(small, online()))).toEqual([])
  })

  it('offline, says sizes were not compared', async () => {
    expect(await largeTransferCheck.run(ctx(pay(aUsd(50_000n))))).toEqual([
      { severity: 'info', message: 'transfer sizes not compared with balances (offline)' },
    ])
  })

  it('counts the value of a plain CALL whose calldata looks like a multiSend batch', async () => {
    // The Safe sends all its 5 ETH to STRANGER; the "batch" inside is only the call's input.
    const tx = safeTx({
      to: STRANGER,
      value: 5n * 10n ** 18n,
      data: encodeMultiSend([call(GRANTS_MULTISIG)]),
    })
    expect(await largeTransferCheck.run(ctx(tx, online()))).toContainEqual(
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('5 ETH') }),
    )
  })
})
