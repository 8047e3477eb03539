import type { ChalkInstance } from 'chalk'
import type { DecodedCall } from '../decode/decodeCall.js'
import { formatArgLines, formatEth } from '../decode/formatValue.js'
import type { AddressBook } from '../workspace/addressBook.js'

/** A decoded call as an indented tree: batches show each inner call; delegatecalls and guesses are marked. */
export function renderDecodedCall(
  call: DecodedCall,
  book: AddressBook,
  t: ChalkInstance,
  depth = 0,
  index?: number,
): string {
  const pad = '  '.repeat(depth + 1)
  const head = index === undefined ? '' : `${index}. `
  const op = call.operation === 1 ? t.red.bold(' DELEGATECALL') : ''
  const value = call.value ? `, sends ${formatEth(call.value)}` : ''
  const lines: string[] = []
  if (!call.functionName) {
    const what =
      call.data === '0x'
        ? 'plain transfer'
        : t.red(`unknown function ${call.data.slice(0, 10)}, ${(call.data.length - 2) / 2} bytes`)
    lines.push(`${pad}${head}${book.label(call.to)} ${what}${value}${op}`)
    if (call.warning) lines.push(`${pad}   ${t.yellow(`! ${call.warning}`)}`)
    if (call.data !== '0x') lines.push(`${pad}   ${t.dim(call.data)}`)
    return lines.join('\n')
  }
  const how = call.source === 'selector' ? t.yellow(' (by selector only: the target has no known ABI)') : ''
  lines.push(`${pad}${head}${book.label(call.to)}.${call.signature}${value}${op}${how}`)
  if (call.inner) {
    call.inner.forEach((c, i) => {
      lines.push(renderDecodedCall(c, book, t, depth + 1, i + 1))
    })
    return lines.join('\n')
  }
  const args = formatArgLines(call, book)
  const width = Math.max(0, ...args.map((a) => a.name.length))
  for (const a of args) lines.push(`${pad}     ${a.name.padEnd(width)}  ${a.value}`)
  if (call.appended) lines.push(`${pad}     ${t.yellow(appendedLine(call.appended))}`)
  return lines.join('\n')
}

/** Bytes past the arguments: a memo shown as text, anything else as hex. */
export const appendedLine = (appended: NonNullable<DecodedCall['appended']>) =>
  appended.text !== undefined
    ? `+ ${appended.bytes} bytes after the arguments, memo "${appended.text}"`
    : `+ ${appended.bytes} bytes after the arguments: ${appended.data}`
