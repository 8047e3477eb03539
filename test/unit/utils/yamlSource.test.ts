import { describe, expect, it } from 'vitest'
import { formatPath, parseYamlSource } from '../../../src/utils/yamlSource.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const TEXT = `# a comment
version: 1
actions:
  - kind: transfer
    amount: "12"
  - kind: call
    args: [a, 3500]
    empty:
`

describe('formatPath', () => {
  it('joins keys with dots and indexes with brackets', () => {
    expect(formatPath(['actions', 1, 'amount'])).toBe('actions[1].amount')
    expect(formatPath(['actions', 0, 'args', 2])).toBe('actions[0].args[2]')
    expect(formatPath([])).toBe('')
  })
})

describe('parseYamlSource', () => {
  const source = parseYamlSource('/tmp/x.yaml', TEXT)

  it('keeps the data and the text', () => {
    expect(source.text).toBe(TEXT)
    expect(source.data).toEqual({
      version: 1,
      actions: [
        { kind: 'transfer', amount: '12' },
        { kind: 'call', args: ['a', 3500], empty: null },
      ],
    })
  })

  it('locates a value at its line and column', () => {
    expect(source.locate(['actions', 0, 'amount'])).toEqual(positionOf(TEXT, '"12"'))
    expect(source.locate(['actions', 1, 'args', 1])).toEqual(positionOf(TEXT, '3500'))
    expect(source.locate(['version'])).toEqual(positionOf(TEXT, '1\n'))
  })

  it('falls back to the nearest existing ancestor for a missing path', () => {
    expect(source.locate(['actions', 0, 'to'])).toEqual(positionOf(TEXT, 'kind: transfer'))
    expect(source.locate(['nope', 3])).toEqual(positionOf(TEXT, 'version'))
  })

  it('builds issues with file, position and dotted field', () => {
    expect(source.issue(['actions', 1, 'args', 0], 'bad')).toEqual({
      file: '/tmp/x.yaml',
      ...positionOf(TEXT, 'a, 3500'),
      field: 'actions[1].args[0]',
      message: 'bad',
    })
  })

  it('reports a syntax error at its line', () => {
    const text = 'version: 1\nsafe: council\nto: council: x\ndescription: d\n'
    const [issue, ...rest] = issuesOf(() => parseYamlSource('/tmp/bad.yaml', text))
    expect(rest).toEqual([])
    expect(issue).toEqual({
      file: '/tmp/bad.yaml',
      ...positionOf(text, 'council: x'),
      field: '',
      message: expect.stringMatching(/^YAML syntax: Nested mappings/),
    })
  })

  it('refuses a duplicate key at the second occurrence', () => {
    const text = 'version: 1\nsafe: council\nsafe: other\n'
    const issues = issuesOf(() => parseYamlSource('/tmp/dup.yaml', text))
    expect(issues).toEqual([
      expect.objectContaining({ ...positionOf(text, 'safe', 2), message: expect.stringMatching(/unique/) }),
    ])
  })
})
