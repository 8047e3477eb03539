import { type Abi, encodeFunctionData, parseAbi } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { loadArtifact } from '../../../src/contracts/artifacts.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const ws = devnetWorkspace()
const { contracts } = devnetLayout()
const registryAbi = loadArtifact('AllianceRegistry').abi as Abi
const FILE = '/w/call.yaml'

const file = (action: string) => `version: 1\nsafe: council\nactions:\n  - kind: call\n${action}`
const parse = (text: string) => parseActionFile(FILE, text, ws)

describe('call', () => {
  const setMemberWeight = encodeFunctionData({
    abi: registryAbi,
    functionName: 'setMemberWeight',
    args: [contracts.treasury, 3500],
  })

  it('encodes a signature with an address-book name as an address argument', () => {
    const text = file(
      '    to: registry\n    signature: setMemberWeight(address,uint16)\n    args: [treasury, 3500]\n',
    )
    const [action] = parse(text).actions
    expect(action?.calls).toEqual([
      { to: contracts.registry, value: 0n, data: setMemberWeight, operation: 0 },
    ])
    expect(action?.description).toBe('Call registry.setMemberWeight(treasury, 3500)')
  })

  it('takes "function" from the alliance contract ABI', () => {
    const text = file('    to: registry\n    function: setMemberWeight\n    args: [treasury, 3500]\n')
    expect(parse(text).actions[0]?.calls[0]?.data).toBe(setMemberWeight)
  })

  it('encodes strings, arrays and bools as their declared types', () => {
    const text = file(
      `    to: grants-multisig\n    signature: "function f(string s, address[] a, bool b)"\n    args: ["hi", ["${devnetLayout().council}", "${contracts.treasury}"], true]\n`,
    )
    expect(parse(text).actions[0]?.calls[0]?.data).toBe(
      encodeFunctionData({
        abi: parseAbi(['function f(string s, address[] a, bool b)']),
        functionName: 'f',
        args: ['hi', [devnetLayout().council, contracts.treasury], true],
      }),
    )
  })

  it('sends value only to a payable signature', () => {
    const text = file('    to: grants-multisig\n    signature: deposit() payable\n    value: "1.5"\n')
    expect(parse(text).actions[0]?.calls).toEqual([
      {
        to: GRANTS_MULTISIG,
        value: 1_500_000_000_000_000_000n,
        data: encodeFunctionData({ abi: parseAbi(['function deposit() payable']), functionName: 'deposit' }),
        operation: 0,
      },
    ])
  })

  it('refuses value on a non-payable signature', () => {
    const text = file(
      '    to: registry\n    signature: setMemberWeight(address,uint16)\n    args: [treasury, 3500]\n    value: "1"\n',
    )
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, '"1"'),
        field: 'actions[0].value',
        message: 'setMemberWeight(address,uint16) is not payable; remove "value"',
      },
    ])
  })

  it('refuses the wrong number of arguments', () => {
    const text = file(
      '    to: registry\n    signature: setMemberWeight(address,uint16)\n    args: [treasury]\n',
    )
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, '[treasury]'),
        field: 'actions[0].args',
        message: 'setMemberWeight(address,uint16) takes 2 argument(s), got 1',
      },
    ])
  })

  it('refuses an argument that does not encode as its type, at that argument', () => {
    const text = file('    to: registry\n    signature: setFee(uint16)\n    args: ["abc"]\n')
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, '"abc"'),
        field: 'actions[0].args[0]',
        message: expect.stringMatching(/^argument 0 \(uint16\) does not encode/),
      },
    ])
  })

  it('refuses a uint16 argument out of range and an unknown address name, each at its argument', () => {
    const text = file(
      '    to: registry\n    signature: setMemberWeight(address,uint16)\n    args: [tresury, 70000]\n',
    )
    expect(issuesOf(() => parse(text))).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'tresury'),
        field: 'actions[0].args[0]',
        message: expect.stringContaining('did you mean "treasury"'),
      }),
      expect.objectContaining({
        ...positionOf(text, '70000'),
        field: 'actions[0].args[1]',
        message: expect.stringMatching(/^argument 1 \(uint16\) does not encode/),
      }),
    ])
  })

  it('refuses a function the ABI does not have, and "function" without a known ABI', () => {
    const unknownFn = file('    to: registry\n    function: setMemberWieght\n    args: []\n')
    expect(issuesOf(() => parse(unknownFn))).toEqual([
      expect.objectContaining({
        ...positionOf(unknownFn, 'setMemberWieght'),
        field: 'actions[0].function',
        message: `the ABI for ${contracts.registry} has no function "setMemberWieght"`,
      }),
    ])
    const noAbi = file('    to: grants-multisig\n    function: deposit\n')
    expect(issuesOf(() => parse(noAbi))).toEqual([
      expect.objectContaining({
        field: 'actions[0].function',
        message: `no ABI is known for ${GRANTS_MULTISIG}; use "signature" instead`,
      }),
    ])
  })

  it('refuses both "signature" and "function", and neither', () => {
    const both = file('    to: registry\n    signature: pause()\n    function: pause\n')
    expect(issuesOf(() => parse(both))[0]).toMatchObject({
      field: 'actions[0].function',
      message: 'give either "signature" or "function", not both',
    })
    const neither = file('    to: registry\n')
    expect(issuesOf(() => parse(neither))[0]).toMatchObject({
      field: 'actions[0].signature',
      message: expect.stringContaining('give "signature"'),
    })
  })

  it('refuses a malformed signature', () => {
    const text = file('    to: registry\n    signature: "setFee(uint17"\n')
    expect(issuesOf(() => parse(text))).toEqual([
      expect.objectContaining({
        ...positionOf(text, '"setFee(uint17"'),
        field: 'actions[0].signature',
        message: expect.stringContaining('is not a function signature'),
      }),
    ])
  })
})
