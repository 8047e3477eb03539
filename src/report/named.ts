import { getAddress } from 'ethers'
import type { AddressBook } from '../workspace/addressBook.js'
import type { ReportNamedAddress } from './schema.js'

/** An address with the name the reader knows: the address book's, else the address itself. */
export function named(address: string, book: AddressBook): ReportNamedAddress {
  const checksummed = getAddress(address)
  return { address: checksummed, label: book.label(checksummed) }
}
