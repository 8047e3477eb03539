import { Flags } from '@oclif/core'
import { AbiCoder } from 'ethers'
import {
  type HashChain,
  HashCommand,
  type MessageText,
  openHashChain,
  parseAddressFlag,
  parseUintFlag,
  parseVersionFlag,
  printable,
  type ResolvedSafe,
  readMessageTextFile,
  readSafeState,
  readTypedDataFile,
  replayFinding,
  resolveSafe,
  type SafeChainState,
  safeFlags,
  safeMessageHashOnChain,
} from '../../src/cli/hashInput.js'
import { MissingHashInputError, OnChainHashMismatchError } from '../../src/errors/hash.js'
import { hashRows } from '../../src/render/hashView.js'
import {
  type HashNestedSafeMessageReturnType,
  hashNestedSafeMessage,
  type NestedMessageScheme,
} from '../../src/safe/nestedSafe.js'
import {
  type HashSafeMessageReturnType,
  hashSafeMessage,
  type SafeMessageDataHashes,
  type SafeMessageInput,
} from '../../src/safe/safeMessage.js'
import type { Address, Hex } from '../../src/safe/types.js'
import { safeVersionAtLeast } from '../../src/safe/version.js'

/** The `--json` data; the names are described in the command's help. */
export type HashMessageResult = HashSafeMessageReturnType & {
  /** What the owner Safe's owners sign; only with --nested-safe. */
  nested?: SafeMessageDataHashes
}

const SCHEME_TEXT: Record<NestedMessageScheme, string> = {
  'same-message':
    'the parent passes the message on unchanged: the owner Safe signs the same SafeMessage under its own domain',
  preimage:
    "the parent's 1.4.1 handler passes the 66-byte preimage of its safeMessageHash: the owner Safe signs SafeMessage(preimage)",
  hash: 'a 1.5.0 parent asks isValidSignature(bytes32 safeMessageHash): the owner Safe signs SafeMessage(abi.encode(safeMessageHash))',
}

export default class HashMessage extends HashCommand {
  static override summary = 'Compute the hashes of a Safe off-chain message (EIP-1271), offline.'
  static override description =
    `For a text message (EIP-191, as personal_sign) or EIP-712 typed data that a dApp asks the Safe to sign. No chain is needed; with --rpc-url the chain id, VERSION() and singleton are read and the result is compared with the Safe's own getMessageHash.

--json data:
- rawMessageHash: the dApp's own hash, EIP-191 of the text or EIP-712 of the typed data.
- domainHash: the Safe's EIP-712 domain separator (a Ledger shows it).
- messageHash: the SafeMessage struct hash, keccak256(abi.encode(SAFE_MSG_TYPEHASH, keccak256(abi.encode(rawMessageHash)))) (a Ledger shows it).
- safeMessageHash: keccak256(0x1901 ‖ domainHash ‖ messageHash), what the owners sign and the Transaction Service's message id.
- nested (with --nested-safe): {domainHash, messageHash, safeMessageHash} of the owner Safe, in the form the parent's version checks (1.3.0 and older: the same message; 1.4.1: the preimage of the parent's safeMessageHash; 1.5.0: the parent's safeMessageHash).

Text files: CRLF becomes LF, a byte-order mark and the trailing newline(s) are dropped (as safe-tx-hashes-util does); each change is reported.`
  static override examples = [
    '<%= config.bin %> hash message --chain-id 11155111 --safe 0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1 --safe-version 1.3.0 --text-file message.txt',
    '<%= config.bin %> hash message --rpc-url http://127.0.0.1:8545 --safe 0x… --typed-data-file permit.json --json',
  ]
  static override flags = {
    ...safeFlags,
    text: Flags.string({ summary: 'The message text, exactly (EIP-191).' }),
    'text-file': Flags.file({ summary: 'A file holding the message text (EIP-191).' }),
    'typed-data-file': Flags.file({
      summary: 'A JSON file of EIP-712 typed data {types, primaryType, domain, message}.',
    }),
  }

  async run(): Promise<HashMessageResult> {
    const { flags } = await this.parse(HashMessage)
    const sources = ['text', 'text-file', 'typed-data-file'].filter((f) => flags[f as 'text'] !== undefined)
    if (sources.length !== 1) {
      throw new MissingHashInputError({
        flag: 'text, --text-file or --typed-data-file',
        reason: sources.length
          ? `alone (got ${sources.map((s) => `--${s}`).join(' and ')})`
          : 'to say what to hash',
        hint: 'Give exactly one of --text, --text-file (both EIP-191) or --typed-data-file (EIP-712).',
      })
    }
    const safe = parseAddressFlag('safe', flags.safe)
    const given = {
      chainId:
        flags['chain-id'] === undefined
          ? undefined
          : parseUintFlag('chain-id', flags['chain-id'], { min: 1n }),
      version: flags['safe-version'] === undefined ? undefined : parseVersionFlag(flags['safe-version']),
    }
    const nestedSafe =
      flags['nested-safe'] === undefined ? undefined : parseAddressFlag('nested-safe', flags['nested-safe'])
    const nestedVersion =
      flags['nested-version'] === undefined ? undefined : parseVersionFlag(flags['nested-version'])
    let text: MessageText | undefined
    let message: SafeMessageInput
    if (flags['typed-data-file'] !== undefined) {
      message = { kind: 'typed', data: readTypedDataFile(flags['typed-data-file']) }
    } else {
      text =
        flags.text !== undefined
          ? { text: flags.text, source: '--text', changes: [] }
          : readMessageTextFile(flags['text-file']!)
      message = { kind: 'text', text: text.text }
    }

    const missing =
      given.chainId === undefined ||
      given.version === undefined ||
      (nestedSafe !== undefined && nestedVersion === undefined)
    const rpcUrl = this.rpcUrlFor(flags['rpc-url'], missing)
    const chain = rpcUrl ? await openHashChain(rpcUrl, given.chainId) : undefined
    try {
      if (!chain && given.chainId === undefined) {
        throw new MissingHashInputError({ flag: 'chain-id', reason: 'without --rpc-url' })
      }
      const chainId = chain?.chainId ?? given.chainId!
      const parentState = chain ? await readSafeState(chain.provider, safe) : undefined
      const parent = resolveSafe({
        role: 'the Safe',
        address: safe,
        versionFlag: 'safe-version',
        ...given,
        ...(parentState ? { state: parentState } : {}),
      })
      const hashes = hashSafeMessage({ chainId, safe, version: parent.version, message })
      const checks = [
        await this.crossCheck(
          chain,
          safe,
          AbiCoder.defaultAbiCoder().encode(['bytes32'], [hashes.rawMessageHash]) as Hex,
          hashes.safeMessageHash,
        ),
      ]
      const result: HashMessageResult = { ...hashes }

      let nested: { resolved: ResolvedSafe; hashes: HashNestedSafeMessageReturnType } | undefined
      if (nestedSafe) {
        const resolved = resolveSafe({
          role: 'the nested Safe',
          address: nestedSafe,
          versionFlag: 'nested-version',
          ...(nestedVersion === undefined ? {} : { version: nestedVersion }),
          ...(chain ? { state: await readSafeState(chain.provider, nestedSafe) } : {}),
        })
        const nestedHashes = hashNestedSafeMessage({
          chainId,
          parentSafe: safe,
          parentVersion: parent.version,
          ...(parent.handlerVersion ? { parentHandlerVersion: parent.handlerVersion } : {}),
          message,
          nestedSafe,
          nestedVersion: resolved.version,
        })
        checks.push(await this.crossCheck(chain, nestedSafe, nestedHashes.data, nestedHashes.safeMessageHash))
        nested = { resolved, hashes: nestedHashes }
        result.nested = {
          domainHash: nestedHashes.domainHash,
          messageHash: nestedHashes.messageHash,
          safeMessageHash: nestedHashes.safeMessageHash,
        }
      }

      this.collectFindings(chainId, message, text, parent, parentState, nested?.resolved)
      this.render(chainId, message, text, parent, hashes, nested, checks)
      return result
    } finally {
      chain?.close()
    }
  }

  private collectFindings(
    chainId: bigint,
    message: SafeMessageInput,
    text: MessageText | undefined,
    parent: ResolvedSafe,
    parentState: SafeChainState | undefined,
    nested: ResolvedSafe | undefined,
  ) {
    const findings = [
      ...parent.findings,
      replayFinding('the Safe', parent.address, parent.version),
      ...(nested
        ? [...nested.findings, replayFinding('the nested Safe', nested.address, nested.version)]
        : []),
    ]
    for (const f of findings) if (f) this.addWarning(f.code, f.message)
    if (text?.changes.length) {
      this.addWarning(
        'MESSAGE_NORMALISED',
        `${text.source}: ${text.changes.join(', ')} before hashing.`,
        'note',
      )
    }
    if (message.kind === 'typed') {
      const domainChain = message.data.domain.chainId
      if (domainChain !== undefined && BigInt(domainChain as string) !== chainId) {
        this.addWarning(
          'TYPED_DATA_OTHER_CHAIN',
          `The typed data is for chain ${domainChain}, the Safe is on chain ${chainId}: the dApp may replay the signature there.`,
        )
      }
    }
    // From 1.3.0 a Safe validates message signatures only through a CompatibilityFallbackHandler.
    if (parentState?.deployed && safeVersionAtLeast(parent.version, '1.3.0') && !parent.handlerVersion) {
      const h = parentState.fallbackHandler
      this.addWarning(
        'NO_MESSAGE_HANDLER',
        h
          ? `The Safe's fallback handler ${h.address} is ${h.known ? `${h.known.contractName} ${h.known.version}` : 'unknown code'}, not a CompatibilityFallbackHandler: isValidSignature may not accept this message.`
          : 'The Safe has no fallback handler: isValidSignature is not available, signatures for this message cannot be checked on chain.',
      )
    }
  }

  /** Asks the Safe itself (getMessageHash, through its fallback handler from 1.3.0); a different answer stops. */
  private async crossCheck(chain: HashChain | undefined, safe: Address, data: Hex, local: Hex) {
    if (!chain) return undefined
    const onChain = await safeMessageHashOnChain(chain.provider, safe, data)
    if (onChain !== undefined && onChain !== local.toLowerCase()) {
      throw new OnChainHashMismatchError({ what: 'safeMessageHash', safe, local, onChain })
    }
    return { matched: onChain !== undefined }
  }

  private render(
    chainId: bigint,
    message: SafeMessageInput,
    text: MessageText | undefined,
    parent: ResolvedSafe,
    hashes: HashSafeMessageReturnType,
    nested: { resolved: ResolvedSafe; hashes: HashNestedSafeMessageReturnType } | undefined,
    checks: ({ matched: boolean } | undefined)[],
  ) {
    const t = this.t
    const { row, safeBlock } = hashRows(t, (line) => this.say(line), chainId)
    const hashBlock = (h: SafeMessageDataHashes, check: { matched: boolean } | undefined) => {
      row('Domain hash', h.domainHash)
      row('Message hash', h.messageHash)
      row('safeMessageHash', h.safeMessageHash)
      this.say(
        `  ${t.dim('a Ledger shows the Domain hash and Message hash (the SafeMessage struct hash) when blind-signing; the owners sign the safeMessageHash, the Transaction Service files the message under it')}`,
      )
      if (check?.matched) this.say(`  ${t.green('✔')} the Safe's own getMessageHash agrees`)
      else if (check) this.say(`  ${t.yellow('!')} the Safe did not answer getMessageHash; not cross-checked`)
    }

    safeBlock('Safe message', parent)
    this.say()
    if (message.kind === 'text') {
      const bytes = Buffer.byteLength(message.text, 'utf8')
      row(
        'Message',
        `EIP-191 text, ${bytes} bytes`,
        text?.changes.length ? `from ${text.source}: ${text.changes.join(', ')}` : '',
      )
      for (const line of printable(message.text).split('\n')) this.say(`  ${t.dim('│')} ${line}`)
    } else {
      const d = message.data
      row('Message', `EIP-712 ${printable(String(d.primaryType ?? '(inferred primary type)'))}`)
      for (const [k, v] of Object.entries(d.domain)) row(`  domain.${k}`, printable(String(v)))
    }
    row(
      'rawMessageHash',
      hashes.rawMessageHash,
      message.kind === 'text' ? 'EIP-191 hash of the text' : 'EIP-712 hash of the typed data',
    )
    this.say()
    hashBlock(hashes, checks[0])
    if (nested) {
      this.say()
      safeBlock('Nested Safe: signs for the Safe above (EIP-1271 contract signature)', nested.resolved)
      this.say(`  ${t.dim(SCHEME_TEXT[nested.hashes.scheme])}`)
      this.say()
      hashBlock(nested.hashes, checks[1])
    }
    if (this.findings.length) this.say()
    this.sayWarnings()
  }
}
