import { expect } from 'vitest'
import { type InputIssue, InvalidInputFileError } from '../../src/errors/input.js'

/**
 * 1-based line and column of the `occurrence`-th `needle` in `text`, as an editor shows them. Tests pin
 * issue positions to the text they wrote, so a shifted line breaks them.
 */
export function positionOf(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let index = -1
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1)
    if (index < 0) throw new Error(`"${needle}" occurs fewer than ${occurrence} times in the text`)
  }
  const before = text.slice(0, index)
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') }
}

/** Runs `fn`, which must throw InvalidInputFileError, and returns its issues. */
export function issuesOf(fn: () => unknown): InputIssue[] {
  let thrown: unknown
  try {
    fn()
  } catch (err) {
    thrown = err
  }
  expect(thrown, 'expected an InvalidInputFileError').toBeInstanceOf(InvalidInputFileError)
  return (thrown as InvalidInputFileError).issues
}
