import { Flags } from '@oclif/core'
import { getBytes, keccak256, ZeroAddress } from 'ethers'
import {
  type HashChain,
  HashCommand,
  identify,
  openHashChain,
  parseAddressFlag,
  parseHexFlag,
  parseOperationFlag,
  parseUintFlag,
  parseVersionFlag,
  type ResolvedSafe,
  readSafeState,
  replayFinding,
  resolveSafe,
  safeFlags,
  safeTxFindings,
  safeTxHashOnChain,
} from '../../src/cli/hashInput.js'
import { MissingHashInputError, OnChainHashMismatchError } from '../../src/errors/hash.js'
import { hashRows } from '../../src/render/hashView.js'
import { encodeExecTransaction } from '../../src/safe/execTransaction.js'
import { nestedApproveHashTx } from '../../src/safe/nestedSafe.js'
import { hashSafeTx } from '../../src/safe/safeTxHash.js'
import type { Address, Hex, SafeTx, SafeTxHashes } from '../../src/safe/types.js'

/** The `--json` data: fixed by the issue, so scripts can rely on it. */
export type HashSafeTxResult = SafeTxHashes & {
  /** keccak256 of the execTransaction calldata; only with --signatures. */
  execTransactionHash?: Hex
  /** The owner Safe's approveHash transaction; only with --nested-safe. */
  nested?: SafeTxHashes
}

export default class HashSafeTx extends HashCommand {
  static override summary = 'Compute the hashes of a Safe transaction, offline, for any Safe version.'
  static override description =
    `Prints the Domain hash and Message hash (what a Ledger shows when blind-signing) and the safeTxHash (what the Safe Transaction Service lists and approveHash takes), for Safe 0.1.0 to 1.5.0 (+L2). No chain is needed; with --rpc-url the chain id, VERSION(), nonce and singleton are read from the Safe, checked against the flags, and the result is compared with the Safe's own getTransactionHash.

--json data:
- domainHash, messageHash, safeTxHash: as above.
- execTransactionHash (with --signatures): keccak256 of the execTransaction calldata the executor's wallet shows.
- nested (with --nested-safe): {domainHash, messageHash, safeTxHash} of the owner Safe's approveHash(safeTxHash) transaction.
Warnings (CROSS_CHAIN_REPLAY before 1.3.0, UNKNOWN_SINGLETON, DELEGATECALL, GAS_REFUND, …) are in the envelope's "warnings".`
  static override examples = [
    '<%= config.bin %> hash safe-tx --chain-id 1 --safe 0x1c694Fc3006D81ff4a56F97E1b99529066a23725 --safe-version 1.3.0 --to 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 --data 0xa9059cbb… --nonce 63',
    '<%= config.bin %> hash safe-tx --rpc-url http://127.0.0.1:8545 --safe 0x… --to 0x… --value 1000000000000000000',
    '<%= config.bin %> hash safe-tx --chain-id 11155111 --safe 0x657f… --safe-version 1.3.0 --to 0x255C… --value 100000000000000000 --nonce 4 --nested-safe 0x6bc5… --nested-version 1.3.0 --nested-nonce 4',
  ]
  static override flags = {
    ...safeFlags,
    to: Flags.string({ summary: 'Target of the Safe transaction.', required: true }),
    value: Flags.string({ summary: 'Value in wei.', default: '0' }),
    data: Flags.string({ summary: 'Calldata (0x-prefixed hex).', default: '0x' }),
    operation: Flags.string({ summary: '0 = CALL, 1 = DELEGATECALL.', default: '0' }),
    'safe-tx-gas': Flags.string({ summary: 'safeTxGas.', default: '0' }),
    'base-gas': Flags.string({ summary: 'baseGas (dataGas in Safe 0.1.0).', default: '0' }),
    'gas-price': Flags.string({ summary: 'gasPrice for the refund (0 = no refund).', default: '0' }),
    'gas-token': Flags.string({ summary: 'Refund token (0x0 = ETH).', default: ZeroAddress }),
    'refund-receiver': Flags.string({ summary: 'Refund receiver (0x0 = tx.origin).', default: ZeroAddress }),
    nonce: Flags.string({
      summary: "The Safe's nonce for this transaction (read from the Safe with --rpc-url).",
    }),
    signatures: Flags.string({
      summary: 'Collected signatures: also print the execTransaction calldata hash the executor signs.',
    }),
    'nested-nonce': Flags.string({
      summary: "The owner Safe's nonce for its approveHash transaction (read with --rpc-url).",
      dependsOn: ['nested-safe'],
      helpGroup: 'NESTED SAFE',
    }),
  }

  async run(): Promise<HashSafeTxResult> {
    const { flags } = await this.parse(HashSafeTx)
    const safe = parseAddressFlag('safe', flags.safe)
    const given = {
      chainId:
        flags['chain-id'] === undefined
          ? undefined
          : parseUintFlag('chain-id', flags['chain-id'], { min: 1n }),
      version: flags['safe-version'] === undefined ? undefined : parseVersionFlag(flags['safe-version']),
      nonce: flags.nonce === undefined ? undefined : parseUintFlag('nonce', flags.nonce),
    }
    const tx: Omit<SafeTx, 'nonce'> = {
      to: parseAddressFlag('to', flags.to),
      value: parseUintFlag('value', flags.value),
      data: parseHexFlag('data', flags.data),
      operation: parseOperationFlag('operation', flags.operation),
      safeTxGas: parseUintFlag('safe-tx-gas', flags['safe-tx-gas']),
      baseGas: parseUintFlag('base-gas', flags['base-gas']),
      gasPrice: parseUintFlag('gas-price', flags['gas-price']),
      gasToken: parseAddressFlag('gas-token', flags['gas-token']),
      refundReceiver: parseAddressFlag('refund-receiver', flags['refund-receiver']),
    }
    const signatures =
      flags.signatures === undefined ? undefined : parseHexFlag('signatures', flags.signatures)
    const nestedSafe =
      flags['nested-safe'] === undefined ? undefined : parseAddressFlag('nested-safe', flags['nested-safe'])
    const nestedGiven = {
      version: flags['nested-version'] === undefined ? undefined : parseVersionFlag(flags['nested-version']),
      nonce:
        flags['nested-nonce'] === undefined
          ? undefined
          : parseUintFlag('nested-nonce', flags['nested-nonce']),
    }

    const missing =
      given.chainId === undefined ||
      given.version === undefined ||
      given.nonce === undefined ||
      (nestedSafe !== undefined && (nestedGiven.version === undefined || nestedGiven.nonce === undefined))
    const rpcUrl = this.rpcUrlFor(flags['rpc-url'], missing)
    const chain = rpcUrl ? await openHashChain(rpcUrl, given.chainId) : undefined
    try {
      if (!chain && given.chainId === undefined) {
        throw new MissingHashInputError({ flag: 'chain-id', reason: 'without --rpc-url' })
      }
      const chainId = chain?.chainId ?? given.chainId!
      const parent = resolveSafe({
        role: 'the Safe',
        address: safe,
        versionFlag: 'safe-version',
        ...given,
        nonceFlag: 'nonce',
        ...(chain ? { state: await readSafeState(chain.provider, safe) } : {}),
      })
      const fullTx: SafeTx = { ...tx, nonce: parent.nonce! }
      const fields = safeTxFindings(
        tx,
        chain && tx.operation === 1 ? await identify(chain.provider, tx.to) : undefined,
      )
      parent.notes.push(...fields.notes)
      const hashes = hashSafeTx({ chainId, safe, version: parent.version, tx: fullTx })
      const result: HashSafeTxResult = { ...hashes }
      const checks = [await this.crossCheck(chain, safe, fullTx, hashes.safeTxHash)]

      let execTx: { hash: Hex; length: number } | undefined
      if (signatures !== undefined) {
        const calldata = encodeExecTransaction(fullTx, signatures)
        execTx = { hash: keccak256(calldata) as Hex, length: getBytes(calldata).length }
        result.execTransactionHash = execTx.hash
      }

      let nested: { resolved: ResolvedSafe; tx: SafeTx; hashes: SafeTxHashes } | undefined
      if (nestedSafe) {
        const resolved = resolveSafe({
          role: 'the nested Safe',
          address: nestedSafe,
          versionFlag: 'nested-version',
          ...nestedGiven,
          nonceFlag: 'nested-nonce',
          ...(chain ? { state: await readSafeState(chain.provider, nestedSafe) } : {}),
        })
        const approveTx = nestedApproveHashTx(safe, hashes.safeTxHash, resolved.nonce!)
        const nestedHashes = hashSafeTx({
          chainId,
          safe: nestedSafe,
          version: resolved.version,
          tx: approveTx,
        })
        checks.push(await this.crossCheck(chain, nestedSafe, approveTx, nestedHashes.safeTxHash))
        nested = { resolved, tx: approveTx, hashes: nestedHashes }
        result.nested = nestedHashes
      }

      for (const f of [
        ...parent.findings,
        ...fields.findings,
        replayFinding('the Safe', safe, parent.version),
        ...(nested
          ? [
              ...nested.resolved.findings,
              replayFinding('the nested Safe', nested.resolved.address, nested.resolved.version),
            ]
          : []),
      ]) {
        if (f) this.addWarning(f.code, f.message)
      }

      this.render(chainId, parent, fullTx, hashes, execTx, nested, checks)
      return result
    } finally {
      chain?.close()
    }
  }

  /** Asks the Safe itself; a different answer stops the command, no answer is only noted. */
  private async crossCheck(chain: HashChain | undefined, safe: Address, tx: SafeTx, local: Hex) {
    if (!chain) return undefined
    const onChain = await safeTxHashOnChain(chain.provider, safe, tx)
    if (onChain !== undefined && onChain !== local.toLowerCase()) {
      throw new OnChainHashMismatchError({ what: 'safeTxHash', safe, local, onChain })
    }
    return { safe, matched: onChain !== undefined }
  }

  private render(
    chainId: bigint,
    parent: ResolvedSafe,
    tx: SafeTx,
    hashes: SafeTxHashes,
    execTx: { hash: Hex; length: number } | undefined,
    nested: { resolved: ResolvedSafe; tx: SafeTx; hashes: SafeTxHashes } | undefined,
    checks: ({ safe: Address; matched: boolean } | undefined)[],
  ) {
    const t = this.t
    const { row, safeBlock } = hashRows(t, (line) => this.say(line), chainId)
    const txBlock = (x: SafeTx, nonceNote?: string) => {
      row('to', x.to)
      row('value', String(x.value))
      row('data', abbreviate(x.data), `${(x.data.length - 2) / 2} bytes`)
      row('operation', x.operation === 1 ? t.yellow('1 (DELEGATECALL)') : '0 (call)')
      if (x.safeTxGas || x.baseGas || x.gasPrice) {
        row('safeTxGas', String(x.safeTxGas))
        row('baseGas', String(x.baseGas))
        row('gasPrice', String(x.gasPrice))
      }
      if (x.gasToken !== ZeroAddress) row('gasToken', x.gasToken)
      if (x.refundReceiver !== ZeroAddress) row('refundReceiver', x.refundReceiver)
      row('nonce', String(x.nonce), nonceNote)
    }
    const hashBlock = (h: SafeTxHashes, check: { matched: boolean } | undefined) => {
      row('Domain hash', h.domainHash)
      row('Message hash', h.messageHash)
      row('safeTxHash', h.safeTxHash)
      this.say(
        `  ${t.dim('a Ledger shows the Domain hash and Message hash when blind-signing; the Safe Transaction Service and approveHash use the safeTxHash')}`,
      )
      if (check?.matched) this.say(`  ${t.green('✔')} the Safe's own getTransactionHash agrees`)
      else if (check)
        this.say(`  ${t.yellow('!')} the Safe did not answer getTransactionHash; not cross-checked`)
    }

    safeBlock('Safe transaction', parent)
    this.say()
    txBlock(tx, parent.nonceNote)
    this.say()
    hashBlock(hashes, checks[0])
    if (execTx) {
      this.say()
      this.say(t.bold("Execution: what the executor's wallet shows"))
      row('to', parent.address, '(the Safe)')
      row('value', '0')
      row('calldata', `execTransaction, ${execTx.length} bytes`)
      row('keccak256', execTx.hash)
    }
    if (nested) {
      this.say()
      safeBlock(`Nested Safe: approveHash(safeTxHash) on ${parent.address}`, nested.resolved)
      this.say()
      txBlock(nested.tx, nested.resolved.nonceNote)
      this.say()
      hashBlock(nested.hashes, checks[1])
      this.say(
        `  ${t.dim(`then execute the Safe's transaction with a v = 1 signature for ${nested.resolved.address}`)}`,
      )
    }
    if (this.findings.length) this.say()
    this.sayWarnings()
  }
}

const abbreviate = (data: Hex) => (data.length > 74 ? `${data.slice(0, 42)}…${data.slice(-32)}` : data)
