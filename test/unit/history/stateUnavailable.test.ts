import { describe, expect, it } from 'vitest'
import { isStateUnavailable } from '../../../src/errors/history.js'

describe('isStateUnavailable', () => {
  it('recognises nodes saying an old state is gone, as ethers wraps them', () => {
    // anvil past its persisted states, as ethers v6 reports the JSON-RPC error.
    const anvil = Object.assign(new Error('missing revert data'), {
      info: {
        error: { code: -32602, message: 'BlockOutOfRangeError: block height is 10067 but requested was 69' },
      },
    })
    expect(isStateUnavailable(anvil)).toBe(true)
    expect(isStateUnavailable(new Error('missing trie node 4a5b… (path ) state is not available'))).toBe(true)
    expect(isStateUnavailable(new Error('outer', { cause: new Error('header not found') }))).toBe(true)
  })

  it('leaves other failures alone (a revert, a refused connection)', () => {
    expect(isStateUnavailable(new Error('execution reverted: GS026'))).toBe(false)
    expect(isStateUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:8545'))).toBe(false)
  })
})
