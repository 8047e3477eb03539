import type { CheckFinding, RiskCheck } from './types.js'

/** What cannot be decoded cannot be reviewed; a selector matched without the target's ABI is only a guess. */
export const unknownFunctionCheck: RiskCheck = {
  id: 'unknown-function',
  name: "Every call decodes with its target's known ABI",
  async run({ calls }) {
    return calls.flatMap((c, i): CheckFinding[] => {
      if (c.data === '0x') return []
      if (!c.functionName) {
        return [
          {
            severity: 'warning',
            call: i + 1,
            message: `call ${i + 1}: ${c.warning ?? `unknown selector ${c.data.slice(0, 10)}`}`,
          },
        ]
      }
      if (c.source === 'selector') {
        return [
          {
            severity: 'info',
            call: i + 1,
            message: `call ${i + 1} decoded as ${c.signature} by selector only: the target has no known ABI`,
          },
        ]
      }
      return []
    })
  },
}
