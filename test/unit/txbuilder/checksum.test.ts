import { keccak256, stringToBytes } from 'viem'
import { describe, expect, it } from 'vitest'
import {
  checkTxBuilderChecksum,
  serializeForChecksum,
  txBuilderChecksum,
} from '../../../src/txbuilder/checksum.js'

/**
 * The batch of the Transaction Builder's own unit tests (safe-react-apps and safe-wallet-monorepo
 * apps/tx-builder/src/lib/checksum.test.*), copied field for field, with `checksum: ''` as upstream has it.
 */
const upstreamBatch = () => ({
  version: '1.0',
  chainId: '4',
  createdAt: 1646321521061,
  meta: {
    name: 'test batch file',
    txBuilderVersion: '1.4.0',
    checksum: '',
    createdFromSafeAddress: '0xDF8a1Ce35c9a6ACE153B4e0767942f1E2291a1Aa',
    createdFromOwnerAddress: '0x49d4450977E2c95362C13D3a31a09311E0Ea26A6',
  },
  transactions: [
    {
      to: '0x49d4450977E2c95362C13D3a31a09311E0Ea26A6',
      value: '0',
      contractMethod: {
        inputs: [{ internalType: 'address', name: 'paramAddress', type: 'address' }],
        name: 'testAddress',
        payable: false,
      },
      contractInputsValues: { paramAddress: '0x49d4450977E2c95362C13D3a31a09311E0Ea26A6' },
    },
    {
      to: '0x49d4450977E2c95362C13D3a31a09311E0Ea26A6',
      value: '0',
      contractMethod: {
        inputs: [{ internalType: 'bool', name: 'paramBool', type: 'bool' }],
        name: 'testBool',
        payable: false,
      },
      contractInputsValues: { paramAddress: '', paramBool: 'false' },
    },
    {
      to: '0x49d4450977E2c95362C13D3a31a09311E0Ea26A6',
      value: '2000000000000000000',
      data: '0x42f4579000000000000000000000000049d4450977e2c95362c13d3a31a09311e0ea26a6',
    },
  ],
})

/** The same value with every object's keys in reverse order. */
const reverseKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reverseKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reverseKeys(v)]),
        )
      : value

type Editable = {
  chainId: string
  meta: Record<string, unknown>
  transactions: { to: string; value: string; data?: string; contractInputsValues?: Record<string, string> }[]
}

// Hashed with viem, so the vectors do not go through the keccak the implementation uses.
const keccakText = (text: string) => keccak256(stringToBytes(text))

describe('the Transaction Builder checksum', () => {
  it('matches safe-wallet-monorepo v2 (checksum key dropped, name nulled): 0x86c818…', () => {
    expect(txBuilderChecksum(upstreamBatch())).toBe(
      '0x86c81826dbf7e8a37612153294cc85fdf5c81998dd0a44b86d945502a7eace7c',
    )
  })

  it('serialises as safe-react-apps, whose vector hashes with `checksum: ""` present: 0x4ecbfd…', () => {
    const f = upstreamBatch()
    expect(keccakText(serializeForChecksum({ ...f, meta: { ...f.meta, name: null } }))).toBe(
      '0x4ecbfd364aa6759983915644e73f8bd411e85a2dc306f252a387c2728c4db64c',
    )
  })

  it('serialises as the older safe-react-apps, which hashed the name too: 0x832ecd…', () => {
    expect(keccakText(serializeForChecksum(upstreamBatch()))).toBe(
      '0x832ecdb6653751ed00b79dede73864163e46e71815b72e11e506d6399bedffc9',
    )
  })

  it('has the documented preimage: sorted key arrays, no separators, a comma after every value', () => {
    const { checksum: _c, ...meta } = upstreamBatch().meta
    const text = serializeForChecksum({ ...upstreamBatch(), meta: { ...meta, name: null } })
    expect(text).toMatch(
      /^\{\["chainId","createdAt","meta","transactions","version"\]"4",1646321521061,\{\["createdFromOwnerAddress","createdFromSafeAddress","name","txBuilderVersion"\]"0x49d4450977E2c95362C13D3a31a09311E0Ea26A6","0xDF8a1Ce35c9a6ACE153B4e0767942f1E2291a1Aa",null,"1\.4\.0",\},\[\{/,
    )
    expect(text.endsWith('],"1.0",}')).toBe(true)
  })

  it('writes undefined as null, keeps explicit nulls, and sorts keys by UTF-16 code unit', () => {
    expect(serializeForChecksum({ b: undefined, a: null, B: [1, 'x', true] })).toBe(
      '{["B","a","b"][1,"x",true],null,null,}',
    )
    expect(serializeForChecksum([])).toBe('[]')
    expect(serializeForChecksum({})).toBe('{[]}')
  })

  it('validates a file carrying its own checksum, whatever the key order, whitespace or name', () => {
    const f = upstreamBatch()
    const withChecksum = { ...f, meta: { ...f.meta, checksum: txBuilderChecksum(f) } }
    expect(checkTxBuilderChecksum(withChecksum).status).toBe('valid')

    expect(checkTxBuilderChecksum(reverseKeys(withChecksum) as Record<string, unknown>).status).toBe('valid')
    const compact = JSON.parse(JSON.stringify(withChecksum))
    const pretty = JSON.parse(JSON.stringify(withChecksum, null, 4))
    expect(checkTxBuilderChecksum(compact).status).toBe('valid')
    expect(checkTxBuilderChecksum(pretty).status).toBe('valid')
    expect(
      checkTxBuilderChecksum({ ...withChecksum, meta: { ...withChecksum.meta, name: 'renamed' } }).status,
    ).toBe('valid')
  })

  it('flags any change to a transaction, the chain, the Safe or the order of transactions', () => {
    const f = upstreamBatch()
    const good = { ...f, meta: { ...f.meta, checksum: txBuilderChecksum(f) } }
    const edits = [
      (b: Editable) => {
        b.transactions[2]!.value = '2000000000000000001'
      },
      (b: Editable) => {
        b.transactions[0]!.to = '0x49d4450977E2c95362C13D3a31a09311E0Ea26A7'
      },
      (b: Editable) => {
        b.transactions[2]!.data = `${b.transactions[2]!.data?.slice(0, -2)}a7`
      },
      (b: Editable) => {
        b.transactions[1]!.contractInputsValues = { paramAddress: '', paramBool: 'true' }
      },
      (b: Editable) => {
        b.chainId = '1'
      },
      (b: Editable) => {
        b.meta.createdFromSafeAddress = '0x49d4450977E2c95362C13D3a31a09311E0Ea26A6'
      },
      (b: Editable) => {
        b.transactions.reverse()
      },
      (b: Editable) => {
        b.meta.description = ''
      },
    ]
    for (const edit of edits) {
      const copy = structuredClone(good) as unknown as Editable
      edit(copy)
      const check = checkTxBuilderChecksum(copy as unknown as Record<string, unknown>)
      expect(check.status).toBe('invalid')
      expect(check.found).toBe(good.meta.checksum)
    }
  })

  it('compares exactly, as the Transaction Builder does (an upper-case checksum does not match)', () => {
    const f = upstreamBatch()
    const sum = txBuilderChecksum(f)
    expect(
      checkTxBuilderChecksum({ ...f, meta: { ...f.meta, checksum: `0x${sum.slice(2).toUpperCase()}` } })
        .status,
    ).toBe('invalid')
  })

  it('reports a missing or empty checksum as missing, not valid', () => {
    const { checksum: _c, ...meta } = upstreamBatch().meta
    expect(checkTxBuilderChecksum({ ...upstreamBatch(), meta })).toMatchObject({
      status: 'missing',
      found: null,
    })
    expect(checkTxBuilderChecksum(upstreamBatch())).toMatchObject({ status: 'missing', found: null })
    expect(checkTxBuilderChecksum({ ...upstreamBatch(), meta: { ...meta, checksum: null } }).status).toBe(
      'missing',
    )
  })
})
