import { admitMember } from './admitMember.js'
import { allocateTreasury } from './allocateTreasury.js'
import { call } from './call.js'
import { emergencyWithdraw } from './emergencyWithdraw.js'
import { setRewardRate } from './setRewardRate.js'
import { transfer } from './transfer.js'
import type { ActionKind } from './types.js'

/** Every action kind, by the `kind:` that names it in YAML. A new kind is one file plus one line here. */
// Each kind has its own parameter type; the registry only hands a kind's schema output back to that kind.
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous registry of ActionKind<P>.
export const ACTION_KINDS: Record<string, ActionKind<any>> = {
  [allocateTreasury.kind]: allocateTreasury,
  [setRewardRate.kind]: setRewardRate,
  [admitMember.kind]: admitMember,
  [emergencyWithdraw.kind]: emergencyWithdraw,
  [transfer.kind]: transfer,
  [call.kind]: call,
}
