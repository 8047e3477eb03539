import { inflateSync } from 'node:zlib'

/** A decoded image: `pixel(x, y)` reads RGBA whatever the file stored. */
export type Png = {
  width: number
  height: number
  pixel(x: number, y: number): { r: number; g: number; b: number; a: number }
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/**
 * A minimal PNG decoder for what Chromium's --screenshot writes: 8-bit RGB or RGBA, not interlaced.
 * Every chunk's CRC is checked, so a truncated or corrupt file fails loudly instead of decoding noise.
 */
export function decodePng(file: Buffer): Png {
  if (file.length < 8 || !file.subarray(0, 8).equals(SIGNATURE))
    throw new Error('not a PNG file (bad signature)')
  let offset = 8
  let header:
    | { width: number; height: number; bitDepth: number; colorType: number; interlace: number }
    | undefined
  const idat: Buffer[] = []
  let ended = false
  while (offset < file.length && !ended) {
    if (offset + 12 > file.length) throw new Error(`PNG truncated at byte ${offset}`)
    const length = file.readUInt32BE(offset)
    const type = file.toString('latin1', offset + 4, offset + 8)
    const end = offset + 12 + length
    if (end > file.length) throw new Error(`PNG chunk ${type} runs past the end of the file`)
    const data = file.subarray(offset + 8, offset + 8 + length)
    if (crc32(file.subarray(offset + 4, offset + 8 + length)) !== file.readUInt32BE(offset + 8 + length)) {
      throw new Error(`PNG chunk ${type} has a bad CRC`)
    }
    if (type === 'IHDR') {
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8]!,
        colorType: data[9]!,
        interlace: data[12]!,
      }
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') ended = true
    offset = end
  }
  if (!header) throw new Error('PNG has no IHDR chunk')
  if (!ended) throw new Error('PNG has no IEND chunk (truncated)')
  const { width, height, bitDepth, colorType, interlace } = header
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
    throw new Error(
      `unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`,
    )
  }
  const channels = colorType === 6 ? 4 : 3
  const stride = width * channels
  const raw = inflateSync(Buffer.concat(idat))
  if (raw.length !== height * (stride + 1)) throw new Error('PNG image data has the wrong size')
  const pixels = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const out = y * stride
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[out + i - channels]! : 0
      const up = y > 0 ? pixels[out - stride + i]! : 0
      const upLeft = y > 0 && i >= channels ? pixels[out - stride + i - channels]! : 0
      let predictor: number
      if (filter === 0) predictor = 0
      else if (filter === 1) predictor = left
      else if (filter === 2) predictor = up
      else if (filter === 3) predictor = (left + up) >> 1
      else if (filter === 4) predictor = paeth(left, up, upLeft)
      else throw new Error(`PNG line ${y} has unknown filter ${filter}`)
      pixels[out + i] = (line[i]! + predictor) & 0xff
    }
  }
  return {
    width,
    height,
    pixel(x, y) {
      if (x < 0 || y < 0 || x >= width || y >= height)
        throw new Error(`pixel (${x}, ${y}) is outside ${width}×${height}`)
      const i = y * stride + x * channels
      return { r: pixels[i]!, g: pixels[i + 1]!, b: pixels[i + 2]!, a: channels === 4 ? pixels[i + 3]! : 255 }
    },
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}
