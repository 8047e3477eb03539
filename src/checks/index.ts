import { balanceDropCheck } from './balanceDrop.js'
import { criticalStateCheck } from './criticalState.js'
import { delegatecallCheck } from './delegatecall.js'
import { gasRefundCheck } from './gasRefund.js'
import { largeTransferCheck } from './largeTransfer.js'
import { nonceCheck } from './nonce.js'
import { safeConfigChangeCheck } from './safeConfigChange.js'
import { safeVersionCheck } from './safeVersion.js'
import { traceDelegatecallCheck } from './traceDelegatecall.js'
import type { RiskCheck } from './types.js'
import { unknownFunctionCheck } from './unknownFunction.js'
import { unknownTargetCheck } from './unknownTarget.js'

/**
 * Every risk check, in report order: what can take over the Safe first, then what can lose funds.
 * The last three judge a simulation's evidence and are skipped when none ran.
 */
export const ALL_CHECKS: readonly RiskCheck[] = [
  delegatecallCheck,
  safeConfigChangeCheck,
  gasRefundCheck,
  safeVersionCheck,
  nonceCheck,
  unknownTargetCheck,
  unknownFunctionCheck,
  largeTransferCheck,
  traceDelegatecallCheck,
  criticalStateCheck,
  balanceDropCheck,
]
