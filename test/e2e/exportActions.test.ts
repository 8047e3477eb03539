import { concat, Interface, parseUnits, toUtf8Bytes } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseActionFile } from '../../src/actions/actionFile.js'
import { registryAbi } from '../../src/actions/admitMember.js'
import { treasuryAbi } from '../../src/actions/allocateTreasury.js'
import { stakingVaultAbi } from '../../src/actions/setRewardRate.js'
import { providerLogSource } from '../../src/chain/logSource.js'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import { GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../src/devnet/accounts.js'
import { type ExportedExecution, exportSafeHistory } from '../../src/history/exportActions.js'
import type { Hex } from '../../src/safe/types.js'
import { type CouncilCall, executeCouncilCalls } from '../support/councilExecutions.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

let devnet: TestDevnet
let calls: Record<string, CouncilCall>
let exported: Map<string, ExportedExecution>

beforeAll(async () => {
  devnet = await startTestDevnet()
  const C = devnet.layout.contracts
  const from = (await devnet.provider.getBlockNumber()) + 1
  const data = (d: string) => d as Hex
  calls = {
    allocate: {
      to: C.treasury,
      value: 0n,
      data: data(
        treasuryAbi.encodeFunctionData('allocate', [
          C.ALLY,
          GRANTS_MULTISIG,
          parseUnits('12.5', 18),
          'Round 7',
        ]),
      ),
    },
    rate: {
      to: C['ally-staking'],
      value: 0n,
      data: data(
        stakingVaultAbi.encodeFunctionData('setRewardRate', [parseUnits('0.05', 18), 86_400n * 30n]),
      ),
    },
    admit: {
      to: C.registry,
      value: 0n,
      data: data(
        registryAbi.encodeFunctionData('admitMember', ['PLAY DAO', C.PLAY, PLAY_DAO_TREASURY, 1500]),
      ),
    },
    sweep: {
      to: C.treasury,
      value: 0n,
      data: data(treasuryAbi.encodeFunctionData('emergencyWithdraw', [C.PLAY, devnet.layout.council])),
    },
    pay: {
      to: C.aUSD,
      value: 0n,
      data: data(tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits('2500.25', 6)])),
    },
    ether: { to: GRANTS_MULTISIG, value: parseUnits('0.25', 18), data: '0x' },
    // No kind of its own: written back as `kind: call` with the registry's ABI signature.
    weight: {
      to: C.registry,
      value: 0n,
      data: data(
        new Interface(['function setMemberWeight(address,uint16)']).encodeFunctionData('setMemberWeight', [
          PLAY_DAO_TREASURY,
          2000,
        ]),
      ),
    },
    // A transfer with text after its arguments (a payout memo).
    memo: {
      to: C.aUSD,
      value: 0n,
      data: concat([
        tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits('1', 6)]),
        toUtf8Bytes('INV-42'),
      ]) as Hex,
    },
    // An unknown selector: no action kind can carry raw calldata.
    unknown: { to: GRANTS_MULTISIG, value: 0n, data: '0xdeadbeef0001' },
  }
  // Some of these revert inside the Safe (no reward funding, nothing to sweep): exported all the same.
  const hashes = await executeCouncilCalls(
    devnet,
    Object.values(calls).map((c) => ({ ...c, safeTxGas: 400_000n })),
  )
  const names = Object.keys(calls)
  const out = await exportSafeHistory({
    chain: devnet.provider,
    logs: providerLogSource(devnet.provider),
    safe: devnet.layout.council,
    fromBlock: from,
    toBlock: await devnet.provider.getBlockNumber(),
    workspace: devnet.workspace,
  })
  exported = new Map(out.map((e) => [names[hashes.indexOf(e.execution.transactionHash)]!, e]))
})

afterAll(async () => {
  await devnet?.stop()
})

/** The exported file parsed as any action file is, and its calls encoded. */
const reparsed = (name: string) => {
  const e = exported.get(name)!
  expect(e.yaml, `${name}: ${e.skipped.join('; ')}`).toBeDefined()
  return parseActionFile(e.fileName!, e.yaml!, devnet.workspace)
}

describe('exportSafeHistory on the devnet', () => {
  it('exports every execution, one file named <block>-<nonce>.yaml each', () => {
    expect(exported.size).toBe(Object.keys(calls).length)
    for (const e of exported.values()) expect(e.fileName).toBe(`${e.execution.blockNumber}-${e.nonce}.yaml`)
  })

  it.each([
    ['allocate', 'allocate-treasury'],
    ['rate', 'set-reward-rate'],
    ['admit', 'admit-member'],
    ['sweep', 'emergency-withdraw'],
    ['pay', 'transfer'],
    ['ether', 'transfer'],
    ['weight', 'call'],
  ])('%s comes back as %s and encodes to the very call that was executed', (name, kind) => {
    const file = reparsed(name)
    expect(file.safe.name).toBe('council')
    expect(file.actions.map((a) => a.kind)).toEqual([kind])
    const { to, value, data } = calls[name]!
    expect(file.actions[0]!.calls).toEqual(
      [{ to, value, data: data.toLowerCase(), operation: 0 }].map((c) => ({
        ...c,
        data:
          file.actions[0]!.calls[0]!.data.toLowerCase() === c.data ? file.actions[0]!.calls[0]!.data : c.data,
      })),
    )
    expect(file.actions[0]!.calls[0]!.data.toLowerCase()).toBe(data.toLowerCase())
    expect(exported.get(name)!.skipped).toEqual([])
  })

  it('writes amounts in token units, names from the address book', () => {
    const yaml = exported.get('allocate')!.yaml!
    expect(yaml).toContain('amount: "12.5"')
    expect(yaml).toContain('to: grants-multisig')
    expect(yaml).toContain('treasury: treasury')
    expect(exported.get('rate')!.yaml).toContain('duration: 30d')
  })

  it('keeps a payout memo only when the transfer kind reproduces it byte for byte', () => {
    const e = exported.get('memo')!
    if (e.yaml) {
      const file = reparsed('memo')
      expect(file.actions[0]!.calls[0]!.data.toLowerCase()).toBe(calls.memo!.data.toLowerCase())
    } else {
      // Without memo support in the transfer kind, dropping the memo would plan other bytes: left out instead.
      expect(e.skipped[0]).toMatch(/^call #0 not exported \(6 bytes after the arguments/)
    }
  })

  it('leaves an unknown selector out and says why, writing no file without actions', () => {
    const e = exported.get('unknown')!
    expect(e.yaml).toBeUndefined()
    expect(e.skipped).toEqual([
      `call #0 not exported (unknown function, and the call kind takes a signature, not raw data): to ${GRANTS_MULTISIG}, value 0, data 0xdeadbeef0001`,
    ])
  })
})
