/** Pure Safe primitives: versions, hashes, execTransaction / MultiSend calldata, signatures, deployments. */

export {
  CANONICAL_DEPLOYMENT_VERSIONS,
  type CanonicalDeploymentVersion,
  type CanonicalSafe141,
  canonicalDeployments,
  canonicalSafe141,
  identifyCodeHash,
  isTrustedDelegateCallCode,
  type KnownContract,
  knownCodeHashes,
  type SafeContractDeployment,
  type SafeDeploymentSet,
  TRUSTED_DELEGATECALL_NAMES,
} from './deployments.js'
export {
  type DecodeExecTransactionReturnType,
  decodeExecTransaction,
  EXEC_TRANSACTION_SELECTOR,
  encodeExecTransaction,
  encodeGetTransactionHash,
  GET_TRANSACTION_HASH_SELECTOR,
} from './execTransaction.js'
export {
  type DecodeMultiSendOptions,
  decodeMultiSend,
  decodeMultiSendTransactions,
  encodeMultiSend,
  encodeMultiSendTransactions,
  MULTISEND_SELECTOR,
} from './multiSend.js'
export { hashNestedSafeMessage, nestedApproveHashTx, nestedMessageScheme } from './nestedSafe.js'
export { normalizeSafeTx } from './normalizeSafeTx.js'
export { hashRawMessage, hashSafeMessage, hashSafeMessageData, SAFE_MESSAGE_TYPEHASH } from './safeMessage.js'
export {
  type DomainSeparatorParameters,
  domainSeparator,
  type HashSafeTxParameters,
  type HashSafeTxReturnType,
  hashSafeTx,
} from './safeTxHash.js'
export {
  type ApprovedHashSignatureItem,
  approvedHashSignature,
  type ContractSignatureItem,
  type EcdsaSignatureItem,
  type EncodeSafeSignaturesOptions,
  encodeSafeSignatures,
  ethSignSafeTxHash,
  type ParsedSignature,
  type ParseSafeSignaturesOptions,
  parseSafeSignatures,
  type SafeSignatureItem,
  type SafeSignatureKind,
  signSafeTxHash,
} from './signatures.js'
export { type Address, type Call, type Hex, Operation, type SafeTx, type SafeTxHashes } from './types.js'
export {
  bubblesInnerRevert,
  DOMAIN_TYPE_WITH_CHAIN_ID,
  DOMAIN_TYPE_WITHOUT_CHAIN_ID,
  domainHasChainId,
  domainTypehash,
  isCrossChainReplayable,
  KNOWN_SAFE_VERSIONS,
  type KnownSafeVersion,
  multiSendMapsZeroToSelf,
  parseSafeVersion,
  SAFE_TX_TYPE_BASE_GAS,
  SAFE_TX_TYPE_DATA_GAS,
  type SafeVersion,
  type SafeVersionInput,
  safeTxTypehash,
  safeVersionAtLeast,
  supportsEthSign,
} from './version.js'
