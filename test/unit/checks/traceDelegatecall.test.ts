import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { keccak256, stringToHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { traceDelegatecallCheck } from '../../../src/checks/traceDelegatecall.js'
import type { CheckContext, CheckReads, SimulationEvidence } from '../../../src/checks/types.js'
import { COUNCIL_OWNERS } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { canonicalDeployments, knownCodeHashes } from '../../../src/safe/deployments.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import type { CallFrame } from '../../../src/simulate/callTrace.js'
import { plainCheckContext } from '../../support/checkContext.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
const SAFE = layout.council
const TREASURY = layout.contracts.treasury
const ALICE = COUNCIL_OWNERS[0].address
const _ZERO = '0x0000000000000000000000000000000000000000' as Address
/** anvil account 3: an address the book does not name. */
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906' as Address
const IMPLEMENTATION = '0x2222222222222222222222222222222222222222' as Address
const d141 = canonicalDeployments('1.4.1')
const SINGLETON = d141.singleton.address
const MSCO = d141.multiSendCallOnly.address

/** MultiSendCallOnly 1.4.1's runtime code hash, computed here from the published artifact (viem's keccak). */
const MSCO_CODE_HASH = (() => {
  const require = createRequire(import.meta.url)
  const dir = dirname(require.resolve('@safe-global/safe-contracts/package.json'))
  const artifact = JSON.parse(
    readFileSync(
      join(dir, 'build/artifacts/contracts/libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json'),
      'utf8',
    ),
  ) as { deployedBytecode: Hex }
  return keccak256(artifact.deployedBytecode)
})()
const SOME_CODE = keccak256(stringToHex('some contract'))

const EXEC = '0x6a761202aaaa' as Hex
const MULTISEND = '0x8d80ff0abbbb' as Hex

/** geth's callTracer writes addresses in lowercase; the check must not care. */
const frame = (type: string, from: string, to: string, input: Hex, calls: CallFrame[] = []): CallFrame => ({
  type,
  from: from.toLowerCase(),
  to: to.toLowerCase(),
  input,
  ...(calls.length ? { calls } : {}),
})

/** alice → Safe proxy → (forward) singleton → whatever the singleton does. */
const safeExecution = (...inner: CallFrame[]): CallFrame =>
  frame('CALL', ALICE, SAFE, EXEC, [frame('DELEGATECALL', SAFE, SINGLETON, EXEC, inner)])

/** Code hashes by address (checksummed); unlisted addresses run SOME_CODE. Records what was asked. */
function reads(codeHashes: Record<string, Hex | undefined> = {}): CheckReads & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    async codeHash(address) {
      asked.push(address)
      return address in codeHashes ? codeHashes[address] : SOME_CODE
    },
    balanceOf: async () => {
      throw new Error('not used by this check')
    },
  }
}

const ctx = (trace: CallFrame | undefined, r?: CheckReads): CheckContext => {
  const simulation: SimulationEvidence = { balanceChanges: [], ...(trace ? { trace } : {}) }
  const base = plainCheckContext(ws, { call: { to: MSCO, operation: 1 } })
  return { ...base, simulation, ...(r ? { reads: r } : {}) }
}

const run = (trace: CallFrame | undefined, r?: CheckReads) => traceDelegatecallCheck.run(ctx(trace, r))

describe('trace-delegatecall', () => {
  it('uses the real MultiSendCallOnly 1.4.1 code hash (the artifact agrees with safe-deployments)', () => {
    expect(d141.multiSendCallOnly.codeHash).toBe(MSCO_CODE_HASH)
    expect(knownCodeHashes().get(MSCO_CODE_HASH)).toEqual({
      contractName: 'MultiSendCallOnly',
      version: '1.4.1',
    })
  })

  it('a Safe proxy forwarding its calldata to its singleton is not a finding', async () => {
    // The singleton's code is not a trusted library: only the forwarding shape exempts it.
    const r = reads()
    expect(await run(safeExecution(), r)).toEqual([])
    expect(r.asked).toEqual([])
  })

  it('the same delegatecall with other calldata than the parent frame is no forwarding', async () => {
    const trace = frame('CALL', ALICE, SAFE, EXEC, [frame('DELEGATECALL', SAFE, SINGLETON, '0x6a761202cccc')])
    expect(await run(trace, reads())).toEqual([
      { severity: 'danger', message: expect.stringContaining(`council delegatecalled ${SINGLETON}`) },
    ])
  })

  it('a delegatecall whose from is not the parent frame’s target is no forwarding', async () => {
    // Same calldata, but the delegatecall runs in another contract than the one called.
    const trace = frame('CALL', ALICE, SAFE, EXEC, [frame('DELEGATECALL', TREASURY, STRANGER, EXEC)])
    expect(await run(trace, reads())).toEqual([
      { severity: 'warning', message: expect.stringContaining(`treasury delegatecalled ${STRANGER}`) },
    ])
  })

  it('a delegatecall to MultiSendCallOnly 1.4.1, recognised by its code hash, is not a finding', async () => {
    const trace = safeExecution(
      frame('DELEGATECALL', SAFE, MSCO, MULTISEND, [frame('CALL', SAFE, TREASURY, '0x12345678')]),
    )
    const r = reads({ [MSCO]: MSCO_CODE_HASH })
    expect(await run(trace, r)).toEqual([])
    expect(r.asked).toEqual([MSCO])
  })

  it('trusts code, not the address: a look-alike at the MultiSendCallOnly address is danger', async () => {
    const trace = safeExecution(frame('DELEGATECALL', SAFE, MSCO, MULTISEND))
    expect(await run(trace, reads({ [MSCO]: SOME_CODE }))).toEqual([
      {
        severity: 'danger',
        message: `council delegatecalled ${MSCO} (code that is not a trusted Safe library) during execution: that code ran with council's storage and funds`,
      },
    ])
    // Known Safe code that is not trusted for delegatecalls is named.
    const plain = await run(trace, reads({ [MSCO]: d141.multiSend.codeHash }))
    expect(plain).toEqual([{ severity: 'danger', message: expect.stringContaining('(MultiSend 1.4.1)') }])
  })

  it('offline, cannot verify the library and reports the delegatecall', async () => {
    const trace = safeExecution(frame('DELEGATECALL', SAFE, MSCO, MULTISEND))
    expect(await run(trace)).toEqual([
      {
        severity: 'danger',
        message: expect.stringContaining(`council delegatecalled ${MSCO} (code that is not a trusted`),
      },
    ])
  })

  it('a delegatecall from the Safe to unknown code is danger', async () => {
    const trace = safeExecution(frame('DELEGATECALL', SAFE, STRANGER, '0xdeadbeef'))
    expect(await run(trace, reads())).toEqual([
      {
        severity: 'danger',
        message: `council delegatecalled ${STRANGER} (code that is not a trusted Safe library) during execution: that code ran with council's storage and funds`,
      },
    ])
  })

  it('a delegatecall made by another contract is a warning', async () => {
    const trace = safeExecution(
      frame('CALL', SAFE, TREASURY, '0x11111111', [frame('DELEGATECALL', TREASURY, STRANGER, '0x22222222')]),
    )
    expect(await run(trace, reads())).toEqual([
      {
        severity: 'warning',
        message: `treasury delegatecalled ${STRANGER} (code that is not a trusted Safe library) during execution: that code ran with treasury's storage and funds`,
      },
    ])
  })

  it('another contract’s proxy forwarding to its implementation is not a finding', async () => {
    const trace = safeExecution(
      frame('CALL', SAFE, TREASURY, '0x11111111', [
        frame('DELEGATECALL', TREASURY, IMPLEMENTATION, '0x11111111'),
      ]),
    )
    expect(await run(trace, reads())).toEqual([])
  })

  it('reports each from → to pair once, however often and in whatever case it appears', async () => {
    const trace = safeExecution(
      frame('DELEGATECALL', SAFE, STRANGER, '0xdeadbeef'),
      frame('DELEGATECALL', SAFE, STRANGER, '0xfeedface'),
      { ...frame('DELEGATECALL', SAFE, STRANGER, '0x00000001'), to: STRANGER },
      frame('CALL', SAFE, TREASURY, '0x11111111', [
        frame('DELEGATECALL', TREASURY, STRANGER, '0x22222222'),
        frame('DELEGATECALL', TREASURY, STRANGER, '0x33333333'),
      ]),
    )
    const r = reads()
    const findings = await run(trace, r)
    expect(findings.map((f) => [f.severity, f.message.split(' (')[0]])).toEqual([
      ['danger', `council delegatecalled ${STRANGER}`],
      ['warning', `treasury delegatecalled ${STRANGER}`],
    ])
    expect(r.asked).toEqual([STRANGER, STRANGER])
  })

  it('without a trace, says once that delegatecalls were not inspected', async () => {
    expect(await run(undefined, reads())).toEqual([
      { severity: 'info', message: 'the node could not trace the execution: delegatecalls not inspected' },
    ])
  })
})
