import { readFileSync } from 'node:fs'
import { InputFileNotFoundError } from '../errors/input.js'

/** A UTF-8 file's text, or an error that names it. */
export function readText(path: string, what = 'File'): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    throw new InputFileNotFoundError(path, what)
  }
}
