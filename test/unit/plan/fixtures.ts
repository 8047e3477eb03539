/** Action files the plan and sign tests build from: one call, and three calls (so a MultiSend batch). */
export const ONE_CALL = `version: 1
safe: council
description: Grants round 7 payout
actions:
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "12500.5"
    memo: Grants round 7
`

export const THREE_CALLS = `version: 1
safe: council
description: Contributor payments and a grant
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "2500"
  - kind: transfer
    token: ETH
    to: grants-multisig
    amount: "0.25"
  - kind: allocate-treasury
    token: ALLY
    to: play-dao-treasury
    amount: "12500.5"
`
