import { AbiCoder, id, type Log, zeroPadValue } from 'ethers'
import { describe, expect, it } from 'vitest'
import { MalformedSafeLogError } from '../../../../src/errors/history.js'
import { configChangeFromLog, configChanges } from '../../../../src/history/safe/configChanges.js'

const SAFE = '0x1111111111111111111111111111111111111111'
const OWNER = '0x2222222222222222222222222222222222222222'
const abi = AbiCoder.defaultAbiCoder()
const log = (topics: string[], data = '0x', over: Partial<Log> = {}): Log =>
  ({
    address: SAFE,
    blockNumber: 5,
    transactionHash: `0x${'01'.repeat(32)}`,
    index: 0,
    removed: false,
    topics,
    data,
    ...over,
  }) as unknown as Log

describe('configChangeFromLog', () => {
  it('reads an owner from topics (1.4.1) or from data (1.3.0)', () => {
    const topic = id('AddedOwner(address)')
    expect(configChangeFromLog(log([topic, zeroPadValue(OWNER, 32)]))).toMatchObject({
      kind: 'owner-added',
      owner: OWNER,
    })
    expect(
      configChangeFromLog(log([id('RemovedOwner(address)')], abi.encode(['address'], [OWNER]))),
    ).toMatchObject({ kind: 'owner-removed', owner: OWNER })
  })

  it('reads threshold, guard, module and setup events', () => {
    expect(
      configChangeFromLog(log([id('ChangedThreshold(uint256)')], abi.encode(['uint256'], [3n]))),
    ).toMatchObject({
      kind: 'threshold-changed',
      threshold: 3,
    })
    expect(configChangeFromLog(log([id('ChangedGuard(address)'), zeroPadValue(OWNER, 32)]))).toMatchObject({
      kind: 'guard-changed',
      address: OWNER,
    })
    expect(configChangeFromLog(log([id('EnabledModule(address)'), zeroPadValue(OWNER, 32)]))).toMatchObject({
      kind: 'module-enabled',
      module: OWNER,
    })
    const setup = log(
      [id('SafeSetup(address,address[],uint256,address,address)'), zeroPadValue(OWNER, 32)],
      abi.encode(['address[]', 'uint256', 'address', 'address'], [[OWNER, SAFE], 2n, OWNER, SAFE]),
    )
    expect(configChangeFromLog(setup)).toMatchObject({
      kind: 'setup',
      initiator: OWNER,
      owners: [OWNER, SAFE],
      threshold: 2,
      fallbackHandler: SAFE,
    })
  })

  it('refuses an unknown event or undecodable data with a typed error', () => {
    expect(() => configChangeFromLog(log([id('Other()')]))).toThrow(MalformedSafeLogError)
    expect(() => configChangeFromLog(log([id('ChangedThreshold(uint256)')], '0x01'))).toThrow(
      MalformedSafeLogError,
    )
  })
})

describe('configChanges', () => {
  it('sorts by block and log index', async () => {
    const t = id('ChangedThreshold(uint256)')
    const changes = await configChanges({
      safe: SAFE,
      fromBlock: 0,
      toBlock: 9,
      logs: async () => [
        log([t], abi.encode(['uint256'], [2n]), { blockNumber: 7, index: 0 }),
        log([t], abi.encode(['uint256'], [1n]), { blockNumber: 6, index: 4 }),
      ],
    })
    expect(changes.map((c) => c.kind === 'threshold-changed' && c.threshold)).toEqual([1, 2])
  })
})
