import { Contract, concat, Interface, parseUnits, Wallet, ZeroAddress } from 'ethers'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import { DEMO_ACTIONS } from '../../src/demo/runDemo.js'
import { DEVNET_ACCOUNTS, GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { predictSafeAddress, proxyFactoryInterface, safeSetupData } from '../../src/devnet/safeArtifacts.js'
import { executeSafePlan } from '../../src/execute/executeSafePlan.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import { encodeExecTransaction } from '../../src/safe/execTransaction.js'
import { hashSafeTx } from '../../src/safe/safeTxHash.js'
import {
  approvedHashSignature,
  encodeSafeSignatures,
  ethSignSafeTxHash,
  type SafeSignatureItem,
  signSafeTxHash,
} from '../../src/safe/signatures.js'
import type { Address, Hex, SafeTx } from '../../src/safe/types.js'
import { signPlan } from '../../src/signers/signPlan.js'
import { devnetSigner, type TestDevnet } from './devnet.js'

// Alice, Bob, Carol own the council (2 of 3); Dan alone owns the "owner Safe" that replaces Carol.
export const [alice, bob, carol, dan, outsider] = [0, 1, 2, 3, 5].map(devnetSigner) as [
  ReturnType<typeof devnetSigner>,
  ReturnType<typeof devnetSigner>,
  ReturnType<typeof devnetSigner>,
  ReturnType<typeof devnetSigner>,
  ReturnType<typeof devnetSigner>,
]
type Signer = typeof alice

/** The council's executions the generator makes, in chain order. */
export const COUNCIL_HISTORY_STEPS = [
  'batch',
  'approved',
  'byCarol',
  'swap',
  'by1271',
  'nested',
  'failing',
] as const
export type CouncilHistoryStep = (typeof COUNCIL_HISTORY_STEPS)[number]

export type CouncilHistory = {
  /** The 1-of-1 Safe owned by Dan that replaces Carol as a council owner. */
  ownerSafe: Address
  /** What each step signed: the hash, so the logs and reports can be matched against it. */
  sent: Record<CouncilHistoryStep, { hash: Hex; safeTx: SafeTx }>
}

const ownerManager = new Interface([
  'function swapOwner(address prevOwner, address oldOwner, address newOwner)',
  'function approveHash(bytes32 hashToApprove)',
])

export const hashOf = (safe: Address, tx: SafeTx) =>
  hashSafeTx({ chainId: 31337n, safe, version: '1.4.1', tx })

export const ecdsa = (s: Signer, hash: Hex): SafeSignatureItem => ({
  kind: 'eoa',
  signer: s.address,
  data: signSafeTxHash(s.key, hash),
})

export function councilTx(to: Address, data: Hex, nonce: bigint, extra: Partial<SafeTx> = {}): SafeTx {
  return {
    to,
    value: 0n,
    data,
    operation: 0,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: ZeroAddress as Address,
    refundReceiver: ZeroAddress as Address,
    nonce,
    ...extra,
  }
}

export const payAUSD = (amount: string) =>
  tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits(amount, 6)]) as Hex

/** The owner Safe's EIP-1271 signature of a council transaction: Dan signs its SafeMessage of the preimage. */
export async function ownerSafeSignature(
  devnet: TestDevnet,
  ownerSafe: Address,
  hashes: ReturnType<typeof hashOf>,
  key = dan.key,
): Promise<Hex> {
  const handler = new Contract(
    devnet.layout.safe.CompatibilityFallbackHandler,
    ['function getMessageHashForSafe(address,bytes) view returns (bytes32)'],
    devnet.provider,
  )
  const preimage = concat(['0x1901', hashes.domainHash, hashes.messageHash])
  const digest = (await handler.getFunction('getMessageHashForSafe')(ownerSafe, preimage)) as Hex
  return encodeSafeSignatures([{ kind: 'eoa', signer: dan.address, data: signSafeTxHash(key, digest) }])
}

/**
 * On a fresh test devnet, a council history with one of each thing a replay must name: a MultiSendCallOnly
 * batch through plan → sign → execute, an on-chain approval, an eth_sign signature by an owner who is then
 * swapped out for an owner Safe, that Safe's EIP-1271 signature, a nested execution (the owner Safe calls
 * the council, visible only in the trace) and a failed execution.
 */
export async function generateCouncilHistory(devnet: TestDevnet): Promise<CouncilHistory> {
  const sender = new DevnetSender(devnet.provider)
  const council = devnet.layout.council
  const aUSD = devnet.layout.contracts.aUSD
  const nonceOf = async (safe: Address) => (await devnet.reads.readSafe(safe)).nonce
  /** Sent by an outsider (account 5): no signature counts as the caller's approval by accident. */
  const execute = (safe: Address, tx: SafeTx, items: SafeSignatureItem[]) =>
    sender.send(new Wallet(DEVNET_ACCOUNTS[5]!.key, devnet.provider), {
      to: safe,
      data: encodeExecTransaction(tx, encodeSafeSignatures(items)),
    })
  const sent = {} as CouncilHistory['sent']

  // A 1-of-1 Safe 1.4.1 owned by Dan: it becomes a council owner, signs by EIP-1271 and executes the council.
  const L = devnet.layout
  const setup = {
    owners: [dan.address],
    threshold: 1,
    fallbackHandler: L.safe.CompatibilityFallbackHandler,
    saltNonce: 4242n,
  }
  const ownerSafe = predictSafeAddress(L.safe.SafeProxyFactory, L.safe.Safe, setup)
  await sender.send(new Wallet(DEVNET_ACCOUNTS[8]!.key, devnet.provider), {
    to: L.safe.SafeProxyFactory,
    data: proxyFactoryInterface().encodeFunctionData('createProxyWithNonce', [
      L.safe.Safe,
      safeSetupData(setup),
      setup.saltNonce,
    ]) as Hex,
  })

  // 1. A plain batch through the whole plan → sign → execute path (MultiSendCallOnly, executed by Carol).
  const file = loadActionFile(devnet.write('batch.yaml', DEMO_ACTIONS), devnet.workspace)
  let plan = await buildSafePlan(file, devnet.reads)
  for (const s of [alice, bob])
    plan = await signPlan({
      plan,
      planFile: 'p.json',
      signer: s,
      workspace: devnet.workspace,
      reads: devnet.reads,
    })
  await executeSafePlan({
    plan,
    planFile: 'p.json',
    executor: carol,
    provider: devnet.provider,
    reads: devnet.reads,
    workspace: devnet.workspace,
  })
  sent.batch = { hash: plan.hashes.safeTxHash, safeTx: plan.safeTx }

  // 2. Bob approves the hash on chain; an outsider executes with Alice's signature and Bob's approval.
  const approved = councilTx(aUSD, payAUSD('10'), await nonceOf(council))
  const approvedHash = hashOf(council, approved).safeTxHash
  await sender.send(new Wallet(DEVNET_ACCOUNTS[1]!.key, devnet.provider), {
    to: council,
    data: ownerManager.encodeFunctionData('approveHash', [approvedHash]) as Hex,
  })
  await execute(council, approved, [
    ecdsa(alice, approvedHash),
    { kind: 'approved-hash', signer: bob.address, data: approvedHashSignature(bob.address) },
  ])
  sent.approved = { hash: approvedHash, safeTx: approved }

  // 3. Carol (removed in step 4) signs with eth_sign, Alice with EIP-712: 0.1 ETH to the grants multisig.
  const byCarol = councilTx(GRANTS_MULTISIG, '0x', await nonceOf(council), { value: parseUnits('0.1', 18) })
  const byCarolHash = hashOf(council, byCarol).safeTxHash
  await execute(council, byCarol, [
    ecdsa(alice, byCarolHash),
    { kind: 'eth_sign', signer: carol.address, data: ethSignSafeTxHash(carol.key, byCarolHash) },
  ])
  sent.byCarol = { hash: byCarolHash, safeTx: byCarol }

  // 4. The owner Safe replaces Carol (RemovedOwner + AddedOwner).
  const owners = (await devnet.reads.readSafe(council)).owners
  const at = owners.indexOf(carol.address)
  const prev = at === 0 ? '0x0000000000000000000000000000000000000001' : owners[at - 1]!
  const swap = councilTx(
    council,
    ownerManager.encodeFunctionData('swapOwner', [prev, carol.address, ownerSafe]) as Hex,
    await nonceOf(council),
  )
  const swapHash = hashOf(council, swap).safeTxHash
  await execute(council, swap, [ecdsa(alice, swapHash), ecdsa(bob, swapHash)])
  sent.swap = { hash: swapHash, safeTx: swap }

  // 5. The owner Safe signs by EIP-1271 (Dan signs its SafeMessage), with Alice.
  const by1271 = councilTx(aUSD, payAUSD('5'), await nonceOf(council))
  const by1271Hashes = hashOf(council, by1271)
  await execute(council, by1271, [
    ecdsa(alice, by1271Hashes.safeTxHash),
    {
      kind: 'contract',
      signer: ownerSafe,
      signature: await ownerSafeSignature(devnet, ownerSafe, by1271Hashes),
    },
  ])
  sent.by1271 = { hash: by1271Hashes.safeTxHash, safeTx: by1271 }

  // 6. The owner Safe executes the council: its own execTransaction calls the council's. Its approval is
  //    being the caller (v = 1, msg.sender); the council's call is only visible in the trace.
  const nested = councilTx(aUSD, payAUSD('1'), await nonceOf(council))
  const nestedHash = hashOf(council, nested).safeTxHash
  const innerCall = encodeExecTransaction(
    nested,
    encodeSafeSignatures([
      ecdsa(alice, nestedHash),
      { kind: 'approved-hash', signer: ownerSafe, data: approvedHashSignature(ownerSafe) },
    ]),
  )
  const outer = councilTx(council, innerCall, await nonceOf(ownerSafe))
  await execute(ownerSafe, outer, [ecdsa(dan, hashOf(ownerSafe, outer).safeTxHash)])
  sent.nested = { hash: nestedHash, safeTx: nested }

  // 7. A failing call: more aUSD than the council holds. safeTxGas > 0, so Safe 1.4.1 does not revert
  //    (GS013 needs safeTxGas == 0 and gasPrice == 0) but emits ExecutionFailure and uses the nonce.
  const failing = councilTx(aUSD, payAUSD('100000000'), await nonceOf(council), { safeTxGas: 100_000n })
  const failingHash = hashOf(council, failing).safeTxHash
  await execute(council, failing, [ecdsa(alice, failingHash), ecdsa(bob, failingHash)])
  sent.failing = { hash: failingHash, safeTx: failing }

  return { ownerSafe, sent }
}
