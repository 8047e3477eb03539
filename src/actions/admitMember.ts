import { Interface } from 'ethers'
import { z } from 'zod'
import type { Address, Hex } from '../safe/types.js'
import { addressRef, contractRef } from './fields.js'
import { defineActionKind } from './types.js'

export const registryAbi = new Interface([
  'function admitMember(string name, address token, address treasury, uint16 weightBps)',
  'function removeMember(address treasury)',
])

export type AdmitMemberParameters = {
  registry: Address
  name: string
  token: Address
  treasury: Address
  weightBps: number
}

export const admitMember = defineActionKind<AdmitMemberParameters>({
  kind: 'admit-member',
  summary: 'Admit a community to the alliance registry with a fee weight',
  schema: (c) =>
    z
      .strictObject({
        kind: z.literal('admit-member'),
        registry: contractRef(c, ['registry']),
        name: z
          .string()
          .trim()
          .min(1, 'the member needs a name')
          .max(64, 'keep the name under 64 characters'),
        token: addressRef(c),
        treasury: addressRef(c),
        'weight-bps': z
          .number({ error: 'expected a whole number of basis points (0–10000)' })
          .int('expected a whole number of basis points')
          .min(0, 'weight cannot be negative')
          .max(10_000, 'weight is in basis points: at most 10000 (100%)'),
      })
      .transform((a) => ({
        registry: a.registry.address,
        name: a.name,
        token: a.token,
        treasury: a.treasury,
        weightBps: a['weight-bps'],
      })),
  encode: (p) => [
    {
      to: p.registry,
      value: 0n,
      data: registryAbi.encodeFunctionData('admitMember', [p.name, p.token, p.treasury, p.weightBps]) as Hex,
      operation: 0,
    },
  ],
  describe: (p, book) =>
    `Admit "${p.name}" to ${book.label(p.registry)} (token ${book.label(p.token)}, treasury ${book.label(p.treasury)}, weight ${(p.weightBps / 100).toFixed(2)}%)`,
})
