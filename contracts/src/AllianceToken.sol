// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title AllianceToken (ALLY)
/// @notice Governance token of the alliance: a fixed-supply ERC-20 with EIP-2612 permits and ERC-5805 vote
///         delegation. Voting power uses the default block-number clock, so governor delays and periods are
///         expressed in blocks.
/// @dev There is no mint function after construction: the whole supply exists from day one, which keeps quorum
///      (a fraction of total supply) predictable.
contract AllianceToken is ERC20, ERC20Permit, ERC20Votes {
    /// @param initialHolder Receives the entire supply (must not be the zero address).
    /// @param initialSupply Amount minted, in base units (18 decimals).
    constructor(address initialHolder, uint256 initialSupply) ERC20("Alliance", "ALLY") ERC20Permit("Alliance") {
        _mint(initialHolder, initialSupply);
    }

    /// @dev Both ERC20 and ERC20Votes define `_update`; ERC20Votes must see every balance change to move votes.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    /// @inheritdoc ERC20Permit
    /// @dev Disambiguates ERC20Permit and Nonces, which both declare `nonces`.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
