import { checkContext } from '../../src/checks/checkContext.js'
import type { CheckContext } from '../../src/checks/types.js'
import { workspaceDecodeContext } from '../../src/decode/workspaceDecodeContext.js'
import { GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { devnetLayout } from '../../src/devnet/devnetLayout.js'
import { safeTxFor } from '../../src/safe/safeTxFor.js'
import type { Address, Call } from '../../src/safe/types.js'
import type { Workspace } from '../../src/workspace/loadWorkspace.js'

/**
 * The check context of one call from a Safe 1.4.1 (the devnet council unless `safe` says otherwise),
 * decoded with the workspace's ABIs, with no chain: tests add `reads`, `simulation` or a route.
 */
export function plainCheckContext(
  ws: Workspace,
  { safe = devnetLayout().council as Address, call = {} }: { safe?: Address; call?: Partial<Call> } = {},
): CheckContext {
  const full: Call = { to: GRANTS_MULTISIG, value: 0n, data: '0x', operation: 0, ...call }
  return checkContext(
    { safe: { address: safe, version: '1.4.1' }, safeTx: safeTxFor(full, 0n) },
    ws,
    workspaceDecodeContext(ws),
  )
}
