import { Interface } from 'ethers'

/**
 * ERC-20 and ERC-721 functions and events, in one place: encoding transfers, decoding calls to tokens,
 * reading balances. ERC-20 and ERC-721 share `Transfer(address,address,uint256)`; the indexed third
 * topic tells them apart.
 */
export const tokenAbi = new Interface([
  'function transfer(address to, uint256 amount) returns (bool)',
  'function approve(address spender, uint256 amount) returns (bool)',
  'function transferFrom(address from, address to, uint256 amount) returns (bool)',
  'function safeTransferFrom(address from, address to, uint256 tokenId)',
  'function setApprovalForAll(address operator, bool approved)',
  'function increaseAllowance(address spender, uint256 addedValue) returns (bool)',
  'function balanceOf(address owner) view returns (uint256)',
  'function decimals() view returns (uint8)',
  'function symbol() view returns (string)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
])
