import { createRequire } from 'node:module'
import { SigningKey } from 'ethers'
import { DEVNET_ACCOUNTS } from '../../../src/devnet/accounts.js'
import type { SafeTxHashes } from '../../../src/safe/types.js'
import type { LedgerTransport } from '../../../src/signers/ledger.js'

// The mocker's ESM build does not load under Node (extensionless imports); its CommonJS build does.
const { openTransportReplayer, RecordStore } = createRequire(import.meta.url)(
  '@ledgerhq/hw-transport-mocker',
) as typeof import('@ledgerhq/hw-transport-mocker')

/**
 * The "device" is anvil's account #1 (a public test key): the replies below are what the Ethereum app
 * answers for it, written down as the mocker records exchanges (`=>` APDU sent, `<=` reply ‖ status).
 */
export const DEVICE = DEVNET_ACCOUNTS[1]!
export const DEVICE_KEY = new SigningKey(DEVICE.key)

// Mainnet Safe 1.3.0 vector (reference safe.md §4.2, from safe-hash-rs): USDC transfer, nonce 63.
export const HASHES: SafeTxHashes = {
  domainHash: '0x1655e94a9bcc5a957daa1acae692b4c22e7aaf146b4deb9194f8221d2f09d8c3',
  messageHash: '0xf22754eba5a2b230714534b4657195268f00dc0031296de4b835d82e7aa1e574',
  safeTxHash: '0xad06b099fca34e51e4886643d95d9a19ace2cd024065efb66662a876e8c40343',
}

// 44'/60'/0'/0/0: five 4-byte indexes, hardened ones with the top bit set.
export const PATH = '05 8000002c 8000003c 80000000 00000000 00000000'

/** GET ETH PUBLIC ADDRESS (INS 0x02, no display, no chain code): 65-byte public key, 40 ASCII hex digits. */
export const GET_ADDRESS = `
=> e0 02 00 00 15 ${PATH}
<= 41 04ba5734d8f7091719471e7f7ed6b9df170dc70cc661ca05e688601ad984f068b0d67351e5f06073092499336ab0839ef8a521afd334e53807205fa2f08eec74f4 28 37303939373937304335313831326463334130313043376430316235306530643137646337394338 9000
`

/** SIGN ETH EIP 712 (INS 0x0C), P2 0x00 = hashed mode: path ‖ domain hash ‖ message hash. */
export const SIGN_APDU = `e0 0c 00 00 55 ${PATH} 1655e94a9bcc5a957daa1acae692b4c22e7aaf146b4deb9194f8221d2f09d8c3 f22754eba5a2b230714534b4657195268f00dc0031296de4b835d82e7aa1e574`

/** The app's reply v ‖ r ‖ s ‖ 9000: the device key's signature over the safeTxHash. */
export const SIGNED = `
=> ${SIGN_APDU}
<= 1c d088de20e6750b060c391fcdf2f53b125ce1514677a93863a62431e5d278c3a7 2b4650a33a1ede98676c21b2f5247ab5ad9eaf40cbb0e797a473314088bb90c9 9000
`

/** Replays the exchanges, and keeps every APDU hw-app-eth actually sent. */
export async function device(recording: string) {
  const store = RecordStore.fromString(recording)
  const transport = await openTransportReplayer(store)
  const sent: string[] = []
  const exchange = transport.exchange.bind(transport)
  transport.exchange = (apdu: Buffer) => {
    sent.push(apdu.toString('hex'))
    return exchange(apdu)
  }
  return { transport: transport as unknown as LedgerTransport, store, sent }
}
