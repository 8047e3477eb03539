import { describe, expect, it } from 'vitest'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { renderDevnetWorkspace } from '../../../src/devnet/devnetWorkspace.js'
import { parseWorkspace } from '../../../src/workspace/loadWorkspace.js'

describe('renderDevnetWorkspace', () => {
  const text = renderDevnetWorkspace('http://127.0.0.1:9999')

  it('fills every placeholder', () => {
    expect(text).not.toMatch(/\{\s*\{/)
    expect(text).toContain('chainId: 31337\n')
    expect(text).toContain('rpcUrl: http://127.0.0.1:9999\n')
  })

  it('renders a workspace that parses, with the devnet addresses', () => {
    const ws = parseWorkspace('/v/alliance.yaml', text)
    const layout = devnetLayout()
    expect(ws.config.chain).toMatchObject({ chainId: 31337, rpcUrl: 'http://127.0.0.1:9999' })
    expect(ws.config.safes.council?.address).toBe(layout.council)
    for (const [key, address] of Object.entries(layout.contracts)) {
      expect(ws.book.byName(key)?.address, key).toBe(address)
    }
  })
})
