import { createRequire } from 'node:module'
import { computeAddress, concat, getAddress, keccak256 } from 'ethers'
import { AllianceError } from '../errors/base.js'
import { InvalidFlagError } from '../errors/input.js'
import {
  LedgerAppError,
  LedgerBadSignatureError,
  LedgerDeviceError,
  LedgerLockedError,
  LedgerNotFoundError,
  LedgerRejectedError,
  LedgerTransportMissingError,
  SignerHashesInconsistentError,
} from '../errors/signer.js'
import { parseSafeSignatures } from '../safe/signatures.js'
import type { Address, Hex, SafeTxHashes } from '../safe/types.js'
import type { SafeTxSigner } from './types.js'

type EthModule = typeof import('@ledgerhq/hw-app-eth')
/** A transport to a Ledger (USB, or a replayer in tests), as @ledgerhq/hw-app-eth takes it. */
export type LedgerTransport = ConstructorParameters<EthModule['default']>[0]

export type LedgerSignerParameters = {
  transport: LedgerTransport
  /** BIP-32 path of the owner account; `m/` optional, `'` or `h` for hardened. */
  path?: string
}

/** A Ledger signer holds the transport open: close it when done. */
export type LedgerSafeTxSigner = SafeTxSigner & { close(): Promise<void> }

export const DEFAULT_HD_PATH = "44'/60'/0'/0/0"

// Both Ledger packages publish an ESM build with extensionless imports that Node cannot load; their
// CommonJS build works. Required on demand: hw-app-eth takes ~0.5 s to load, and only --ledger needs it.
const require = createRequire(import.meta.url)

/**
 * A Safe owner on a Ledger, through the Ethereum app. It blind-signs the EIP-712 domain and message
 * hashes (what the device shows, so the signer can compare them with the printed ones); the returned
 * signature must recover to the device's address over the safeTxHash, or it is refused.
 */
export async function ledgerSigner({
  transport,
  path = DEFAULT_HD_PATH,
}: LedgerSignerParameters): Promise<LedgerSafeTxSigner> {
  const devicePath = normalizeHdPath(path)
  const { default: Eth } = require('@ledgerhq/hw-app-eth') as EthModule
  const eth = new Eth(transport)
  const reply = await onDevice(() => eth.getAddress(devicePath))
  const address = deviceAddress(reply)
  const source = `Ledger m/${devicePath}`

  return {
    address,
    source,
    close: () => transport.close(),
    async signSafeTx(hashes: SafeTxHashes): Promise<Hex> {
      const { domainHash, messageHash, safeTxHash } = hashes
      // The device signs keccak(0x1901 ‖ domain ‖ message); anything else would be refused after the fact.
      if (keccak256(concat(['0x1901', domainHash, messageHash])) !== safeTxHash.toLowerCase())
        throw new SignerHashesInconsistentError(safeTxHash)
      const { v, r, s } = await onDevice(() =>
        eth.signEIP712HashedMessage(devicePath, domainHash.slice(2), messageHash.slice(2)),
      )
      const signature = ledgerSignature(address, v, r, s)
      let recovered: Address
      try {
        recovered = parseSafeSignatures(signature, safeTxHash, { allowUnsorted: true })[0]!.signer
      } catch (err) {
        throw new LedgerBadSignatureError(address, 'it does not recover over the safeTxHash', err)
      }
      if (recovered !== address) {
        throw new LedgerBadSignatureError(
          address,
          `it recovers to ${recovered} over the safeTxHash ${safeTxHash}, not to the device's address`,
        )
      }
      return signature
    },
  }
}

/**
 * Opens the first Ledger on USB. The transport (node-hid, a native addon) is not a dependency of
 * alliance: it is loaded only here, and its absence is a clear error rather than a failed install.
 */
export async function openLedgerTransport(): Promise<LedgerTransport> {
  let TransportNodeHid: { create(openTimeout?: number, listenTimeout?: number): Promise<LedgerTransport> }
  try {
    const mod = require('@ledgerhq/hw-transport-node-hid') as { default?: typeof TransportNodeHid }
    TransportNodeHid = mod.default ?? (mod as unknown as typeof TransportNodeHid)
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException
    // Only the package itself missing; a missing or unbuilt node-hid inside it is a load failure.
    if (code === 'MODULE_NOT_FOUND' && message.includes("'@ledgerhq/hw-transport-node-hid'"))
      throw new LedgerTransportMissingError()
    throw new LedgerNotFoundError(`the USB transport failed to load (${message.split('\n')[0]})`, err)
  }
  try {
    return await TransportNodeHid.create(3_000, 10_000)
  } catch (err) {
    throw new LedgerNotFoundError(err instanceof Error ? err.message : String(err), err)
  }
}

/** `m/44'/60'/0'/0/0`, `44h/60h/0h/0/0` → `44'/60'/0'/0/0`. hw-app-eth would silently drop a bad segment. */
export function normalizeHdPath(path: string): string {
  const segments = path.trim().replace(/^m\//, '').split('/')
  const ok = segments.every((seg) => {
    const m = /^(\d+)(['hH]?)$/.exec(seg)
    return m !== null && Number(m[1]) < 2 ** 31
  })
  if (!ok || segments.length > 10) {
    throw new InvalidFlagError('--hd-path', `"${path}" is not a BIP-32 path like 44'/60'/0'/0/0`)
  }
  return segments.map((seg) => seg.replace(/[hH]$/, "'")).join('/')
}

/** The address the app reports, checked against the public key it sent with it. */
function deviceAddress({ publicKey, address }: { publicKey: string; address: string }): Address {
  let fromKey: string
  let reported: string
  try {
    fromKey = computeAddress(`0x${publicKey}`)
    reported = getAddress(address.toLowerCase())
  } catch (err) {
    throw new LedgerDeviceError('the Ethereum app sent an address reply that does not parse', { cause: err })
  }
  if (fromKey !== reported)
    throw new LedgerDeviceError(`the Ethereum app reported ${reported} for the public key of ${fromKey}`)
  return reported as Address
}

/** r ‖ s ‖ v with v 27/28, from the app's reply (v 0/1 on some app versions). */
function ledgerSignature(address: Address, v: number, r: string, s: string): Hex {
  if (!/^[0-9a-f]{64}$/i.test(r) || !/^[0-9a-f]{64}$/i.test(s))
    throw new LedgerBadSignatureError(address, 'the reply does not hold 32-byte r and s')
  const vv = v === 0 || v === 1 ? v + 27 : v
  if (vv !== 27 && vv !== 28) throw new LedgerBadSignatureError(address, `v is ${v}, expected 27 or 28`)
  return `0x${r.toLowerCase()}${s.toLowerCase()}${vv.toString(16)}` as Hex
}

// Status words of the Ethereum app and the OS (BOLOS); the app's docs and @ledgerhq/errors name them.
const REJECTED = new Set([0x6985])
const LOCKED = new Set([0x5515, 0x6982, 0x6b0c])
const APP = new Set([0x6a80, 0x6d00, 0x6d02, 0x6e00, 0x6e01, 0x6511])

/** Runs one exchange, turning the device's status words into errors that say what to do. */
async function onDevice<T>(exchange: () => Promise<T>): Promise<T> {
  try {
    return await exchange()
  } catch (err) {
    if (err instanceof AllianceError) throw err
    const statusCode = (err as { statusCode?: unknown }).statusCode
    if (typeof statusCode === 'number') {
      if (REJECTED.has(statusCode)) throw new LedgerRejectedError()
      if (LOCKED.has(statusCode)) throw new LedgerLockedError(statusCode)
      if (APP.has(statusCode)) throw new LedgerAppError(statusCode)
      throw new LedgerDeviceError(`status 0x${statusCode.toString(16)}`, { statusCode, cause: err })
    }
    throw new LedgerDeviceError(err instanceof Error ? err.message : String(err), { cause: err })
  }
}
