// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

/// @title TimestampVotesToken
/// @notice ERC-5805 voting token whose ERC-6372 clock is the block timestamp. A governor reads its clock from
///         its token, so an AllianceGovernor built on this token counts delays, periods and snapshots in seconds.
///         Deployed only by tests, to exercise the timestamp-clock code paths next to the devnet's block clock.
/// @dev Not meant for production: fixed supply minted at construction, no access control.
contract TimestampVotesToken is ERC20, ERC20Permit, ERC20Votes {
    /// @param holder Receives the entire supply.
    /// @param supply Amount minted, in base units (18 decimals).
    constructor(address holder, uint256 supply) ERC20("Timestamp Votes", "TVOTE") ERC20Permit("Timestamp Votes") {
        _mint(holder, supply);
    }

    /// @notice The current timepoint: seconds since the epoch.
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372 description of {clock}.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
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
