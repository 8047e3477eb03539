import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { bufferedWriter } from './chunks.js'

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export function writeFileAtomic(path: string, content: string, mode?: number): void {
  writeFileAtomicChunks(path, [content], mode)
}

/**
 * `writeFileAtomic` for content made piece by piece (a long report): the pieces go to the temporary file
 * as they come, so the whole never has to be one string; the rename still makes it appear whole or not at all.
 */
export function writeFileAtomicChunks(path: string, chunks: Iterable<string>, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`)
  let fd: number | undefined
  try {
    fd = openSync(tmp, 'w', mode)
    const file = fd
    const out = bufferedWriter((text) => writeAll(file, text))
    for (const chunk of chunks) out.write(chunk)
    out.flush()
    closeSync(fd)
    fd = undefined
    renameSync(tmp, path)
  } catch (err) {
    if (fd !== undefined) closeSync(fd)
    rmSync(tmp, { force: true })
    throw err
  }
}

/** writeSync may write less than it is given; this does not return until all of it is written. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset)
}
