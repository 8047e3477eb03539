// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title RecordingGuard
/// @notice A Safe transaction guard (Safe 1.3.0–1.4.1 `Guard` interface) that allows everything and
///         counts what it saw. Deployed only by tests, to show that a simulation leaves a guard in place
///         and runs it, and to stand for "a guard was set" in risk-check scenarios.
/// @dev Not meant for production: it guards nothing.
contract RecordingGuard {
    /// @notice Transactions checked before and after execution.
    uint256 public checkedBefore;
    uint256 public checkedAfter;

    /// @dev Safe's `Enum.Operation` is a uint8 in the ABI, so the selector is the Guard interface's.
    function checkTransaction(
        address,
        uint256,
        bytes memory,
        uint8,
        uint256,
        uint256,
        uint256,
        address,
        address payable,
        bytes memory,
        address
    ) external {
        checkedBefore += 1;
    }

    function checkAfterExecution(bytes32, bool) external {
        checkedAfter += 1;
    }

    /// @notice Safe 1.4.1's `setGuard` requires ERC-165 support for the Guard interface.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == (this.checkTransaction.selector ^ this.checkAfterExecution.selector)
            || interfaceId == 0x01ffc9a7;
    }
}
