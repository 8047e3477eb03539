import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../contracts/artifacts.js'
import { COUNCIL_OWNERS, GRANTS_MULTISIG, PLAY_DAO_TREASURY } from './accounts.js'
import { devnetLayout } from './devnetLayout.js'

export const DEFAULT_DEVNET_PORT = 8545

export const templatesDir = () => join(packageRoot(), 'templates')

/** alliance.yaml for the devnet: the template with every deterministic address filled in. */
export function renderDevnetWorkspace(rpcUrl = `http://127.0.0.1:${DEFAULT_DEVNET_PORT}`): string {
  const layout = devnetLayout()
  const values: Record<string, string> = {
    chainId: String(layout.chainId),
    rpcUrl,
    council: layout.council,
    ...layout.contracts,
    'grants-multisig': GRANTS_MULTISIG,
    'play-dao-treasury': PLAY_DAO_TREASURY,
    alice: COUNCIL_OWNERS[0].address,
    bob: COUNCIL_OWNERS[1].address,
    carol: COUNCIL_OWNERS[2].address,
  }
  const template = readFileSync(join(templatesDir(), 'alliance.yaml'), 'utf8')
  return template.replace(/\{\{([\w-]+)\}\}/g, (_, key: string) => {
    const value = values[key]
    if (value === undefined) throw new Error(`templates/alliance.yaml uses unknown placeholder {{${key}}}`)
    return value
  })
}
