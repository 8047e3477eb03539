// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {AllianceRegistry} from "./AllianceRegistry.sol";

/// @title FeeSplitter
/// @notice Collects alliance fees (ERC-20s or native ETH) and lets anyone split the collected balance among the
///         member treasuries listed in the AllianceRegistry, pro rata to their weights in basis points.
/// @dev Each member gets `balance * weightBps / 10_000`, rounded down. Because the registry caps the sum of weights
///      at 10_000 bps, the payouts never exceed the balance; unassigned weight and rounding dust stay here for the
///      next distribution. `token == address(0)` denotes native ETH.
contract FeeSplitter is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @dev Basis-point denominator; equals AllianceRegistry.MAX_BPS, the cap on the registry's total weight.
    uint256 private constant BPS = 10_000;

    /// @notice Source of members and weights.
    AllianceRegistry public registry;

    /// @notice Emitted once per distribution; `total` is the amount actually paid out (sum of the FeePaid amounts).
    event FeesDistributed(address indexed token, uint256 total, uint256 memberCount);
    /// @notice Emitted for every member paid a non-zero share.
    event FeePaid(address indexed token, address indexed treasury, uint256 amount);
    /// @notice Emitted when the admin points the splitter at another registry.
    event RegistryChanged(address oldRegistry, address newRegistry);

    /// @notice An address argument was the zero address.
    error ZeroAddress();
    /// @notice The registry has no members to pay.
    error NoMembers();
    /// @notice The splitter holds none of `token`.
    error NothingToDistribute(address token);
    /// @notice Sending native ETH to `to` failed.
    error NativeTransferFailed(address to, uint256 amount);

    /// @param admin Receives DEFAULT_ADMIN_ROLE (may change the registry).
    /// @param registry_ Registry whose members receive the fees.
    constructor(address admin, AllianceRegistry registry_) {
        if (admin == address(0) || address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Accepts native ETH fees.
    receive() external payable {}

    /// @notice Splits the splitter's whole balance of `token` among the registry members by weight.
    /// @dev Permissionless: the split is fully determined by on-chain state, so who triggers it does not matter.
    /// @param token ERC-20 address, or address(0) for native ETH.
    function distribute(address token) external nonReentrant {
        AllianceRegistry.Member[] memory members = registry.getMembers();
        if (members.length == 0) revert NoMembers();
        uint256 balance = token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this));
        if (balance == 0) revert NothingToDistribute(token);

        uint256 total;
        for (uint256 i = 0; i < members.length; ++i) {
            uint256 share = (balance * members[i].weightBps) / BPS;
            if (share == 0) continue;
            total += share;
            _send(token, members[i].treasury, share);
            emit FeePaid(token, members[i].treasury, share);
        }
        emit FeesDistributed(token, total, members.length);
    }

    /// @notice Points the splitter at another registry.
    /// @param newRegistry The new registry (non-zero).
    function setRegistry(AllianceRegistry newRegistry) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(newRegistry) == address(0)) revert ZeroAddress();
        address oldRegistry = address(registry);
        registry = newRegistry;
        emit RegistryChanged(oldRegistry, address(newRegistry));
    }

    function _send(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert NativeTransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}
