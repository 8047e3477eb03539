// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title DevToken
/// @notice Plain fixed-supply ERC-20 with configurable decimals, deployed only by the embedded devnet
///         (e.g. a 6-decimal "aUSD" stablecoin stand-in and an 18-decimal "PLAY" community token).
/// @dev Not meant for production: no permit, no votes, no access control.
contract DevToken is ERC20 {
    uint8 private immutable _decimals;

    /// @param name Token name.
    /// @param symbol Token symbol.
    /// @param decimals_ Number of decimals reported by `decimals()`.
    /// @param holder Receives the entire supply.
    /// @param supply Amount minted, in base units.
    constructor(string memory name, string memory symbol, uint8 decimals_, address holder, uint256 supply)
        ERC20(name, symbol)
    {
        _decimals = decimals_;
        _mint(holder, supply);
    }

    /// @notice Number of decimals used for display; fixed at deployment.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
