import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { decodePng, type Png } from './png.js'

/** Debian's package; CHROMIUM_BIN points elsewhere (a Chrome or Chromium binary) on other systems. */
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'

/** A browser that is not there fails the test with what to do: a skipped browser check proves nothing. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the HTML report tests render the report in a real browser.\n` +
        'Install it with: apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_BIN to a Chromium or Chrome binary.',
    )
  }
  return CHROMIUM
}

/**
 * Headless, offline and reproducible: no network services, no first-run or sync, sRGB at scale 1 so a
 * screenshot's pixels are the CSS colours and its size is the window's.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--mute-audio',
  '--hide-scrollbars',
  '--force-color-profile=srgb',
  '--force-device-scale-factor=1',
]

export type RenderedPage = {
  /** The DOM after parsing and layout, serialized (`--dump-dom`): what the page became, scripts included. */
  dom: string
  /** `document.body.innerText`: the text a person sees (not hidden, not folded in a closed `<details>`). */
  visibleText: string
  /** The first screen, `width`×`height`. */
  screenshot: Png
}

export type RenderOptions = { width?: number; height?: number; timeoutMs?: number }

/** Browsers still running, killed if the test process exits under them. */
const running = new Set<number>()
process.once('exit', () => {
  for (const pid of running) killGroup(pid)
})

/**
 * Renders an HTML document in headless Chromium and returns what a person gets: the DOM, the visible
 * text and a screenshot. Each run gets a fresh profile in a temporary directory, removed afterwards;
 * a run that outlives `timeoutMs` is killed with its whole process group.
 */
export async function renderInChromium(html: string, options: RenderOptions = {}): Promise<RenderedPage> {
  const { width = 1280, height = 2000, timeoutMs = 30_000 } = options
  requireChromium()
  const dir = mkdtempSync(join(tmpdir(), 'alliance-chromium-'))
  try {
    const page = join(dir, 'report.html')
    writeFileSync(page, html)
    const dom = await runChromium(dir, 'dom', ['--dump-dom', pathToFileURL(page).href], timeoutMs)

    // innerText is only known inside a browser: a same-directory wrapper page reads it from an
    // iframe (file pages may read each other only with --allow-file-access-from-files) and writes it
    // base64-encoded into its own DOM, which --dump-dom then prints.
    const wrapper = join(dir, 'visible-text.html')
    writeFileSync(wrapper, WRAPPER(width, height))
    const wrapped = await runChromium(
      dir,
      'text',
      ['--allow-file-access-from-files', '--dump-dom', pathToFileURL(wrapper).href],
      timeoutMs,
    )
    const encoded = /<pre id="out">([A-Za-z0-9+/=]*)<\/pre>/.exec(wrapped)?.[1]
    if (encoded === undefined || encoded === '') {
      throw new Error(`could not read the visible text of the page:\n${wrapped.slice(0, 2000)}`)
    }
    const visibleText = Buffer.from(encoded, 'base64').toString('utf8')

    const png = join(dir, 'screenshot.png')
    await runChromium(
      dir,
      'shot',
      [`--screenshot=${png}`, `--window-size=${width},${height}`, pathToFileURL(page).href],
      timeoutMs,
    )
    if (!existsSync(png)) throw new Error('Chromium exited without writing the screenshot')
    return { dom, visibleText, screenshot: decodePng(readFileSync(png)) }
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 })
  }
}

const WRAPPER = (width: number, height: number) => `<!doctype html>
<html><body>
<iframe id="page" src="report.html" style="width:${width}px;height:${height}px;border:0"></iframe>
<pre id="out"></pre>
<script>
document.getElementById('page').addEventListener('load', function () {
  var doc = this.contentDocument
  var text = doc && doc.body ? doc.body.innerText : ''
  var bytes = new TextEncoder().encode(text)
  var binary = ''
  for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
  document.getElementById('out').textContent = btoa(binary)
})
</script>
</body></html>
`

function runChromium(dir: string, name: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills the renderer and GPU processes with the browser.
    const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${join(dir, `profile-${name}`)}`, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const pid = child.pid
    if (pid !== undefined) running.add(pid)
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => stdout.push(b))
    child.stderr.on('data', (b: Buffer) => stderr.push(b))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (pid !== undefined) killGroup(pid)
    }, timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`could not start ${CHROMIUM}: ${err.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (pid !== undefined) {
        // Helpers the browser left behind (zygote, utility processes) go with it.
        killGroup(pid)
        running.delete(pid)
      }
      const out = Buffer.concat(stdout).toString('utf8')
      if (timedOut)
        return reject(new Error(`Chromium (${name}) did not finish within ${timeoutMs} ms: killed`))
      if (code !== 0) {
        const errors = Buffer.concat(stderr)
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() && !/dbus|Fontconfig|\[: /.test(l))
          .slice(-15)
          .join('\n')
        return reject(new Error(`Chromium (${name}) exited with ${code ?? signal}:\n${errors}`))
      }
      resolve(out)
    })
  })
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** The most frequent colour in a rectangle: a banner's background, not the text drawn on it. */
export function dominantColour(png: Png, x0: number, y0: number, x1: number, y1: number) {
  const counts = new Map<string, number>()
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const { r, g, b } = png.pixel(x, y)
      const key = `${r},${g},${b}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  }
  const [key] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!
  const [r, g, b] = key.split(',').map(Number) as [number, number, number]
  return { r, g, b }
}

/** How many different colours a rectangle holds: a blank or failed render has one or two. */
export function distinctColours(png: Png, x0: number, y0: number, x1: number, y1: number): number {
  const seen = new Set<number>()
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const { r, g, b } = png.pixel(x, y)
      seen.add((r << 16) | (g << 8) | b)
    }
  }
  return seen.size
}

type Rgb = { r: number; g: number; b: number }
export const isReddish = ({ r, g, b }: Rgb) => r >= 120 && r > 2 * g && r > 2 * b
export const isGreenish = ({ r, g, b }: Rgb) => g >= 90 && g > 1.4 * r && g > 1.2 * b
export const isAmber = ({ r, g, b }: Rgb) => r >= 120 && g >= 70 && r > g && g > 2 * b
