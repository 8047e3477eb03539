import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { envelope, runCli } from '../support/cli.js'

let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alliance-cli-'))
  const init = await runCli(['init', dir])
  expect(init.code).toBe(0)
})

describe('alliance init and validate (no chain)', () => {
  it('writes a workspace and one example per action kind, all valid', async () => {
    const r = await runCli(
      [
        'validate',
        'actions/admit-member.yaml',
        'actions/allocate-treasury.yaml',
        'actions/call.yaml',
        'actions/emergency-withdraw.yaml',
        'actions/set-reward-rate.yaml',
        'actions/transfer.yaml',
        '--json',
      ],
      { cwd: dir },
    )
    expect(r.code).toBe(0)
    const e = envelope(r)
    expect(e.success).toBe(true)
    expect(e.data.files).toHaveLength(6)
    expect(e.data.files.every((f: { valid: boolean }) => f.valid)).toBe(true)
    const kinds = e.data.files.flatMap((f: { actions: { kind: string }[] }) => f.actions.map((a) => a.kind))
    expect(new Set(kinds)).toEqual(
      new Set([
        'admit-member',
        'allocate-treasury',
        'call',
        'emergency-withdraw',
        'set-reward-rate',
        'transfer',
      ]),
    )
  })

  it('refuses to overwrite a workspace without --force', async () => {
    const r = await runCli(['init', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('already exists')
    expect(r.stderr).toContain('--force')
  })

  it('names file, line, column and field for each problem, and exits 1', async () => {
    const file = join(dir, 'broken.yaml')
    writeFileSync(
      file,
      [
        'version: 1',
        'safe: council',
        'actions:',
        '  - kind: allocate-treasury',
        '    token: ALLY',
        '    to: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4DC"', // line 6: checksum broken (last char upper-cased)
        '    amount: "1.0000000000000000001"', // line 7: 19 decimals, ALLY has 18
        '  - kind: admit-member',
        '    name: X',
        '    token: PLAY',
        '    treasury: play-dao-treasury',
        '    weight-bps: 10001', // line 12
        '  - kind: teleport', // line 13
        '',
      ].join('\n'),
    )
    const human = await runCli(['validate', file], { cwd: dir })
    expect(human.code).toBe(1)
    expect(human.stdout).toContain(`${file}:6:9 actions[0].to: bad address checksum`)
    expect(human.stdout).toContain(`${file}:7:13 actions[0].amount:`)
    expect(human.stdout).toContain('has 19 decimals but the token has only 18')
    expect(human.stdout).toContain(`${file}:12:17 actions[1].weight-bps:`)
    expect(human.stdout).toContain(`${file}:13:11 actions[2].kind: unknown kind "teleport"`)

    const json = await runCli(['validate', file, '--json'], { cwd: dir })
    expect(json.code).toBe(1)
    const e = envelope(json)
    expect(e.success).toBe(false)
    expect(e.errors[0]!.code).toBe('VALIDATION_FAILED')
    const issues = e.data.files[0].issues
    expect(issues.map((i: { line: number; column: number }) => [i.line, i.column])).toEqual([
      [6, 9],
      [7, 13],
      [12, 17],
      [13, 11],
    ])
  })

  it('reports a missing file as a problem of that file and still checks the others', async () => {
    const r = await runCli(['validate', 'actions/transfer.yaml', 'missing.yaml', '--json'], { cwd: dir })
    expect(r.code).toBe(1)
    const files = envelope(r).data.files
    expect(files.map((f: { valid: boolean }) => f.valid)).toEqual([true, false])
    expect(files[1].issues[0].message).toBe('file not found')
  })

  it('reports YAML syntax errors with their line', async () => {
    const file = join(dir, 'syntax.yaml')
    writeFileSync(file, 'version: 1\nsafe: council\nactions:\n  - kind: transfer\n    to: [unclosed\n')
    const r = await runCli(['validate', file], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`${file}:\\d+:\\d+: YAML syntax`))
  })

  it('says how to create a workspace when there is none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'alliance-empty-'))
    const r = await runCli(['validate', 'x.yaml', '--json'], { cwd: empty })
    expect(r.code).toBe(1)
    const e = envelope(r)
    expect(e.errors[0]).toMatchObject({ code: 'WORKSPACE_NOT_FOUND' })
    expect(e.errors[0]!.hint).toContain('alliance init')
  })

  it('prints no colour codes under NO_COLOR, even when colour is forced', async () => {
    const r = await runCli(['validate', 'actions/transfer.yaml'], {
      cwd: dir,
      env: { NO_COLOR: '1', FORCE_COLOR: '3' },
    })
    expect(r.code).toBe(0)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    expect(r.stdout).not.toMatch(/\u001b\[/)
  })
})

describe('alliance --help', () => {
  it('lists the commands and shows examples', async () => {
    const top = await runCli(['--help'])
    expect(top.code).toBe(0)
    for (const cmd of ['demo', 'execute', 'init', 'plan', 'sign', 'simulate', 'validate', 'devnet']) {
      expect(top.stdout).toContain(cmd)
    }
    const plan = await runCli(['plan', '--help'])
    expect(plan.stdout).toContain('EXAMPLES')
    expect(plan.stdout).toContain('alliance plan actions/november.yaml')
    expect(plan.stdout).toContain('--json')
  })
})
