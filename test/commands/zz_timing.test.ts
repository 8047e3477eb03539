import { it } from 'vitest'
import { runCli } from '/work/main/test/support/cli.js'
import { startTestDevnet } from '/work/main/test/support/devnet.js'
it('times', async () => {
  const d = await startTestDevnet()
  try {
    const cli = (a: string[]) => runCli(a, { cwd: d.dir })
    for (const args of [['governor', 'list', '--json'], ['governor', 'status', '12345', '--json'], ['governor','status','0xzz','--json'], ['governor', 'list', '--json']]) {
      const t = Date.now(); const r = await cli(args); console.log(args.join(' '), Date.now() - t, r.code, r.stdout.slice(0,200))
    }
    const t = Date.now()
    const r = await runCli(['governor', 'status', '12345', '--json'], { cwd: d.dir, env: { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/gt/prof' } })
    console.log('prof', Date.now() - t)
  } finally { await d.stop() }
}, 60000)
