/**
 * History replay benchmark (issue 7, `npm run bench -- history`): on the devnet, a council history of
 * HISTORY_TXS executed Safe transactions (default 1,000) and HISTORY_PROPOSALS Governor proposals
 * (default 50) through their whole lifecycle, then `history replay` timed: cold, from the cache, and its
 * --resimulate stage. Targets on the 2-core reference machine: ≥ 200 verified executions per second, ≥ 20
 * re-simulated per second, and peak memory under 300 MB at 10,000 executions (HISTORY_TXS=10000).
 *
 * Generation is fast on purpose: owners sign the safeTxHash locally, one account sends execTransaction
 * as raw transactions with its nonces counted here and a fixed gas limit, and automine mines each at once.
 * The replay runs in a child process (bench/historyReplay.ts), so its peak RSS is the replay's alone.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { computeAddress, parseUnits, SigningKey, Wallet } from 'ethers'
import { loadActionFile } from '../src/actions/actionFile.js'
import { startAnvil } from '../src/chain/anvil.js'
import { type AllianceProvider, connect } from '../src/chain/provider.js'
import { chainReads } from '../src/chain/safeReads.js'
import { waitForReceipt } from '../src/chain/waitForReceipt.js'
import { tokenAbi } from '../src/contracts/tokenAbi.js'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS, GRANTS_MULTISIG } from '../src/devnet/accounts.js'
import { deployDevnet } from '../src/devnet/deployDevnet.js'
import type { DevnetLayout } from '../src/devnet/devnetLayout.js'
import { renderDevnetWorkspace } from '../src/devnet/devnetWorkspace.js'
import { executeProposal } from '../src/execute/governor/execute.js'
import { proposeProposal } from '../src/execute/governor/propose.js'
import { queueProposal } from '../src/execute/governor/queue.js'
import { castVote } from '../src/execute/governor/vote.js'
import { buildGovernorProposal } from '../src/governor/buildProposal.js'
import { readGovernor, readProposal } from '../src/governor/readGovernor.js'
import type { GovernorProposal } from '../src/governor/types.js'
import { encodeExecTransaction } from '../src/safe/execTransaction.js'
import { hashSafeTx } from '../src/safe/safeTxHash.js'
import { encodeSafeSignatures, signSafeTxHash } from '../src/safe/signatures.js'
import type { Address, Hex, SafeTx } from '../src/safe/types.js'
import { loadWorkspace } from '../src/workspace/loadWorkspace.js'

const TXS = Number(process.env.HISTORY_TXS ?? 1000)
const PROPOSALS = Number(process.env.HISTORY_PROPOSALS ?? 50)
const execFileAsync = promisify(execFile)

export async function benchHistory(): Promise<void> {
  console.log(
    `history replay — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${TXS} Safe executions, ${PROPOSALS} proposals\n`,
  )
  // A replay reads the state before every execution: anvil must keep every block's state, as an archive
  // node does, and in memory (by default it keeps a few hundred there and reads older ones back from disk
  // at ~10× the CPU, which makes the node, not the replay, what a re-simulation waits on).
  const anvil = await startAnvil({
    chainId: 31337,
    extraArgs: ['--prune-history', String(TXS + 10 * PROPOSALS + 5000)],
  })
  const dir = mkdtempSync(join(tmpdir(), 'alliance-bench-history-'))
  writeFileSync(join(dir, 'alliance.yaml'), renderDevnetWorkspace(anvil.url))
  const provider = await connect(anvil.url, 31337n, { timeoutMs: 60_000 }).catch(async (err) => {
    await anvil.stop()
    throw err
  })
  try {
    const layout = await deployDevnet(provider)
    await generateHistory({ provider, layout, dir, txs: TXS, proposals: PROPOSALS })

    // ── the replays ──────────────────────────────────────────────────────────────────────────────
    const child = fileURLToPath(new URL('./historyReplay.ts', import.meta.url))
    const replay = async (args: string[]) => {
      const { stdout } = await execFileAsync(
        process.execPath,
        [
          // HISTORY_CPU_PROF=DIR writes a V8 CPU profile of each replay there (open it in Chrome DevTools).
          ...(process.env.HISTORY_CPU_PROF
            ? ['--cpu-prof', '--cpu-prof-dir', process.env.HISTORY_CPU_PROF]
            : []),
          '--import',
          'tsx',
          child,
          join(dir, 'alliance.yaml'),
          ...args,
        ],
        { maxBuffer: 1 << 20 },
      )
      return JSON.parse(stdout) as {
        ms: number
        items: number
        maxRssMB: number
        stats: Record<string, unknown>
      }
    }
    const cacheDir = join(dir, 'cache')
    const cold = await replay(['safe', cacheDir, join(dir, 'council.html')])
    line('Safe replay, no cache (fetch, recover, verify, decode, HTML)', cold)
    const warm = await replay(['safe', cacheDir, join(dir, 'council-warm.html')])
    line('Safe replay, everything cached (resumed or re-run)', warm)
    const resimulated = await replay(['resimulate', cacheDir, join(dir, 'council-resimulated.html')])
    line('--resimulate: every execution re-executed at its block (that stage)', resimulated)
    console.log(`  forks reached each block: ${JSON.stringify(resimulated.stats.steps)}`)
    const gov = await replay(['governor', cacheDir, join(dir, 'governor.html')])
    line('Governor replay, no cache', gov)
    console.log(`  stats (cold): ${JSON.stringify(cold.stats)}`)
  } finally {
    provider.destroy()
    await anvil.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

function line(name: string, r: { ms: number; items: number; maxRssMB: number }) {
  const rate = r.items / (r.ms / 1000)
  console.log(
    `${name.padEnd(62)} ${String(r.items).padStart(6)} in ${(r.ms / 1000).toFixed(2).padStart(6)} s = ${rate.toFixed(0).padStart(5)}/s   peak RSS ${r.maxRssMB.toFixed(0)} MB`,
  )
}

/**
 * A council history of `txs` executed Safe transactions and `proposals` Governor proposals through their
 * whole lifecycle, on a freshly deployed devnet whose workspace file is `dir/alliance.yaml`.
 */
export async function generateHistory({
  provider,
  layout,
  dir,
  txs,
  proposals: proposalCount,
}: {
  provider: AllianceProvider
  layout: DevnetLayout
  dir: string
  txs: number
  proposals: number
}): Promise<void> {
  const council = layout.council
  const aUSD = layout.contracts.aUSD
  // ── a council history ──────────────────────────────────────────────────────────────────────
  let t = performance.now()
  const sender = new Wallet(DEVNET_ACCOUNTS[5]!.key)
  let accountNonce = await provider.getTransactionCount(sender.address, 'pending')
  const safeNonce = (await chainReads(provider).readSafe(council)).nonce
  const owners = [COUNCIL_OWNERS[0], COUNCIL_OWNERS[1]]
    .map((o) => ({ key: new SigningKey(o.key), address: computeAddress(o.key) as Address }))
    .sort((a, b) => (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1))
  let last: string | undefined
  for (let i = 0; i < txs; i++) {
    // Alternating: 1 micro-aUSD to the grants multisig (a token transfer), and 1 wei of ETH.
    const token = i % 2 === 0
    const safeTx: SafeTx = {
      to: token ? aUSD : GRANTS_MULTISIG,
      value: token ? 0n : 1n,
      data: token
        ? (tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits('0.000001', 6)]) as Hex)
        : '0x',
      operation: 0,
      safeTxGas: 0n,
      baseGas: 0n,
      gasPrice: 0n,
      gasToken: '0x0000000000000000000000000000000000000000',
      refundReceiver: '0x0000000000000000000000000000000000000000',
      nonce: safeNonce + BigInt(i),
    }
    const { safeTxHash } = hashSafeTx({ chainId: 31337n, safe: council, version: '1.4.1', tx: safeTx })
    const signatures = encodeSafeSignatures(
      owners.map((o) => ({
        kind: 'eoa' as const,
        signer: o.address,
        data: signSafeTxHash(o.key, safeTxHash),
      })),
    )
    const signed = await sender.signTransaction({
      to: council,
      data: encodeExecTransaction(safeTx, signatures),
      chainId: 31337n,
      nonce: accountNonce++,
      gasLimit: 200_000n,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      type: 2,
    })
    last = await provider.send('eth_sendRawTransaction', [signed])
    // anvil may answer before it has mined: waiting every 100 keeps its pool short on a busy machine.
    if (i % 100 === 99 || i === txs - 1) {
      const receipt = await waitForReceipt(provider, last!, { timeoutMs: 600_000 })
      if (receipt?.status !== 1) throw new Error(`generated Safe transaction ${i} failed`)
    }
  }
  const generatedSafe = performance.now() - t

  // ── the proposals, each through propose → vote → queue → execute, their clocks moved together ──
  t = performance.now()
  const workspace = loadWorkspace({ file: join(dir, 'alliance.yaml') })
  const info = await readGovernor(provider, layout.contracts.governor)
  const signer = (i: number) => {
    const key = new SigningKey(DEVNET_ACCOUNTS[i]!.key)
    return { address: computeAddress(key) as Address, key, source: `account ${i}` }
  }
  const [alice, bob, carol] = [signer(0), signer(1), signer(2)]
  const proposals: GovernorProposal[] = []
  const mine = (n: bigint) => provider.send('anvil_mine', [`0x${n.toString(16)}`])
  const head = async () => BigInt(await provider.getBlockNumber())
  // Groups of 10: every vote mines a block, and 20 votes stay inside the 50-block voting period.
  for (let group = 0; group < proposalCount; group += 10) {
    const batch: GovernorProposal[] = []
    for (let i = group; i < Math.min(proposalCount, group + 10); i++) {
      const file = join(dir, `p${i}.yaml`)
      writeFileSync(
        file,
        `version: 1\nsafe: council\nroute: governor\ndescription: "# Bench proposal ${i}"\nactions:\n  - kind: set-reward-rate\n    vault: ally-staking\n    rate: "0.05"\n    duration: 30d\n`,
      )
      const proposal = buildGovernorProposal(
        loadActionFile(file, workspace),
        info.address,
        info.timelock,
        info.ozVersion,
      )
      await proposeProposal({ provider, signer: alice, info, proposal })
      batch.push(proposal)
    }
    const lastOfBatch = () => readProposal(provider, info.address, batch.at(-1)!.proposalId)
    await mine((await lastOfBatch()).snapshot - (await head()) + 1n)
    for (const p of batch)
      for (const s of [alice, bob])
        await castVote({ provider, signer: s, info, id: p.proposalId, support: 'for' })
    await mine((await lastOfBatch()).deadline - (await head()) + 1n)
    for (const p of batch) await queueProposal({ provider, signer: carol, info, proposal: p })
    proposals.push(...batch)
  }
  await provider.send('evm_increaseTime', [3601])
  await mine(1n)
  for (const p of proposals) await executeProposal({ provider, signer: carol, info, proposal: p })
  const generatedGovernor = performance.now() - t
  const blocks = await provider.getBlockNumber()
  console.log(
    `generated: ${txs} Safe executions in ${(generatedSafe / 1000).toFixed(1)} s, ${proposalCount} proposals in ${(generatedGovernor / 1000).toFixed(1)} s (${blocks} blocks)`,
  )
}
