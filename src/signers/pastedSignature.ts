import { readFileSync } from 'node:fs'
import { getAddress, hexlify } from 'ethers'
import { InputFileNotFoundError } from '../errors/input.js'
import { SignatureMalformedError, SignatureNotOwnerError, SignerFlagsError } from '../errors/signer.js'
import { parseSafeSignatures } from '../safe/signatures.js'
import type { Address, Hex } from '../safe/types.js'
import { parseSafeVersion, supportsEthSign } from '../safe/version.js'

export type PastedSignature = {
  /** The owner the signature recovers to. */
  signer: Address
  /** Lower-case r ‖ s ‖ v, v 27/28 (eoa) or 31/32 (eth_sign): the item the Safe checks. */
  signature: Hex
  kind: 'eoa' | 'eth_sign'
}

export type ParsePastedSignatureParameters = {
  safeTxHash: Hex
  /** The Safe's owners; a signature that recovers to anyone else is refused. */
  owners: readonly Address[]
  /** The Safe's version: eth_sign signatures need 1.1.0 or later. */
  version?: string
}

/**
 * A signature collected elsewhere (a wallet, `cast wallet sign`, a co-signer's message), accepted only
 * once it recovers to an owner over this safeTxHash. v 27/28 is tried as EIP-712 (the digest itself),
 * then as eth_sign (the EIP-191 digest, which `cast wallet sign HASH` and some hardware paths produce);
 * 31/32 is eth_sign; 0/1 is 27/28 from a signer that omits the 27.
 */
export function parsePastedSignature(
  text: string,
  { safeTxHash, owners, version }: ParsePastedSignatureParameters,
): PastedSignature {
  const bytes = signatureBytes(text)
  const v = bytes[64]!
  const ethSignAccepted = version === undefined || supportsEthSign(parseSafeVersion(version))
  const withV = (value: number) => hexlify(new Uint8Array([...bytes.subarray(0, 64), value])) as Hex

  let candidates: Hex[]
  if (v === 31 || v === 32) candidates = [withV(v)]
  else if (v === 0 || v === 1 || v === 27 || v === 28) {
    const eoa = v < 27 ? v + 27 : v
    candidates = ethSignAccepted ? [withV(eoa), withV(eoa + 4)] : [withV(eoa)]
  } else {
    throw new SignatureMalformedError(`v is ${v}; expected 27/28 (EIP-712), 31/32 (eth_sign) or 0/1`)
  }

  const isOwner = new Set(owners.map((o) => getAddress(o)))
  const recovered: { address: string; as: string }[] = []
  for (const signature of candidates) {
    const [item] = parseSafeSignatures(signature, safeTxHash, {
      allowUnsorted: true,
      ...(version === undefined ? {} : { version }),
    })
    if (item?.kind !== 'eoa' && item?.kind !== 'eth_sign') continue
    if (isOwner.has(item.signer)) return { signer: item.signer, signature, kind: item.kind }
    recovered.push({ address: item.signer, as: item.kind === 'eoa' ? 'EIP-712' : 'eth_sign' })
  }
  throw new SignatureNotOwnerError(recovered, [...isOwner])
}

/** The text of `--signature 0x…` or of `--signature-file FILE` (exactly one). */
export function readSignatureInput({
  signature,
  signatureFile,
}: {
  signature?: string
  signatureFile?: string
}): string {
  if ((signature === undefined) === (signatureFile === undefined))
    throw new SignerFlagsError('give exactly one of --signature 0x… and --signature-file FILE')
  if (signature !== undefined) return signature
  try {
    return readFileSync(signatureFile!, 'utf8')
  } catch {
    throw new InputFileNotFoundError(signatureFile!, 'Signature file')
  }
}

function signatureBytes(text: string): Uint8Array {
  const raw = text.trim()
  const hex = raw.startsWith('0x') || raw.startsWith('0X') ? raw.slice(2) : raw
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new SignatureMalformedError('it is not hex')
  if (hex.length !== 130) {
    throw new SignatureMalformedError(
      `${hex.length % 2 ? `${hex.length} hex digits` : `${hex.length / 2} bytes`}, expected 65`,
    )
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}
