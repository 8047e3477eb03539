import { describe, expect, it } from 'vitest'
import { redactUrl } from '../../../src/utils/redactUrl.js'

describe('redactUrl', () => {
  it.each([
    ['https://eth-mainnet.g.alchemy.com/v2/SECRETKEY123', 'https://eth-mainnet.g.alchemy.com/…'],
    ['https://mainnet.infura.io/v3/SECRETKEY123', 'https://mainnet.infura.io/…'],
    ['https://rpc.example.org/?apikey=SECRETKEY123', 'https://rpc.example.org/…'],
    ['https://rpc.example.org?token=SECRETKEY123', 'https://rpc.example.org/…'],
    ['https://rpc.example.org:8443/eth/SECRETKEY123?x=1', 'https://rpc.example.org:8443/…'],
    ['wss://eth.example.org/ws/SECRETKEY123', 'wss://eth.example.org/…'],
  ])('removes the API key from %s', (url, redacted) => {
    const out = redactUrl(url)
    expect(out).toBe(redacted)
    expect(out).not.toContain('SECRETKEY123')
  })

  it('removes user and password, and says something was removed', () => {
    const out = redactUrl('https://alice:hunter2@rpc.example.org')
    expect(out).toBe('https://rpc.example.org/…')
    expect(out).not.toMatch(/alice|hunter2|@/)
    expect(redactUrl('https://:hunter2@rpc.example.org/')).not.toContain('hunter2')
  })

  it('drops a key carried in a subdomain, keeps an ordinary host name', () => {
    const out = redactUrl('https://a1b2c3d4e5f6a7b8c9d0e1f2.rpc.example.org/')
    expect(out).toBe('https://….rpc.example.org')
    expect(redactUrl('https://eth-mainnet.g.alchemy.com/v2/KEY')).toBe('https://eth-mainnet.g.alchemy.com/…')
  })

  it('keeps a plain local URL as it is', () => {
    expect(redactUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545')
    expect(redactUrl('http://localhost:8545/')).toBe('http://localhost:8545')
  })

  it('a fragment never shows', () => {
    expect(redactUrl('https://rpc.example.org#SECRETKEY123')).not.toContain('SECRETKEY123')
  })

  it.each(['not a url', '', 'the RPC', '//rpc.example.org/v2/KEY', '127.0.0.1:8545/v2/KEY'])(
    'anything that is not a URL becomes "the RPC" (%s)',
    (garbage) => {
      expect(redactUrl(garbage)).toBe('the RPC')
    },
  )
})
