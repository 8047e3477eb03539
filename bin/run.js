#!/usr/bin/env node
import { execute } from '@oclif/core'

await execute({ dir: import.meta.url })

// A request abandoned after its timeout (a Transaction Service that never answers) keeps its socket, and
// with it the process, alive: once the command is done, nothing else is waited for. The timer is unref'd,
// so a process with nothing left to do exits at once, as before.
setTimeout(() => process.exit(), 200).unref()
