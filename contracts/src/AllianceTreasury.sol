// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title AllianceTreasury
/// @notice Holds a community's ERC-20 tokens and native ETH and pays them out under a per-token budget that resets
///         every epoch. Allocators spend within the budget; the admin sets budgets; guardians can evacuate funds.
/// @dev `token == address(0)` denotes native ETH in every function. Epochs are fixed-length windows counted from
///      deployment: epoch n covers [startTime + n * epochDuration, startTime + (n + 1) * epochDuration).
contract AllianceTreasury is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Role allowed to `allocate` funds within the epoch budget.
    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");
    /// @notice Role allowed to `emergencyWithdraw` whole balances.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Length of one budget epoch, in seconds.
    uint64 public immutable epochDuration;
    /// @notice Timestamp of deployment; epoch 0 starts here.
    uint64 public immutable startTime;

    /// @notice Maximum amount of `token` that may be allocated per epoch.
    mapping(address token => uint256 budget) public epochBudget;
    /// @notice Amount of `token` already allocated during `epoch`.
    mapping(address token => mapping(uint256 epoch => uint256 spent)) public spentInEpoch;

    /// @notice Emitted when the admin changes the per-epoch budget of `token`.
    event EpochBudgetSet(address indexed token, uint256 budget);
    /// @notice Emitted for every allocation; `memo` carries the off-chain reference (proposal, invoice, ...).
    event Allocated(address indexed token, address indexed to, uint256 amount, uint256 indexed epoch, string memo);
    /// @notice Emitted when a guardian evacuates the whole balance of `token`.
    event EmergencyWithdrawal(address indexed token, address indexed to, uint256 amount);

    /// @notice An allocation would take the epoch's spending above the budget.
    error BudgetExceeded(address token, uint256 epoch, uint256 requested, uint256 remaining);
    /// @notice A recipient or admin address was the zero address.
    error ZeroAddress();
    /// @notice An allocation of zero was requested.
    error ZeroAmount();
    /// @notice The constructor was given an epoch duration of zero.
    error ZeroEpochDuration();
    /// @notice An emergency withdrawal found no balance of `token` to move.
    error NothingToWithdraw(address token);
    /// @notice Sending native ETH to `to` failed.
    error NativeTransferFailed(address to, uint256 amount);

    /// @param admin Receives DEFAULT_ADMIN_ROLE (sets budgets, grants ALLOCATOR_ROLE and GUARDIAN_ROLE).
    /// @param epochDuration_ Epoch length in seconds; must be non-zero.
    constructor(address admin, uint64 epochDuration_) {
        if (admin == address(0)) revert ZeroAddress();
        if (epochDuration_ == 0) revert ZeroEpochDuration();
        epochDuration = epochDuration_;
        startTime = uint64(block.timestamp);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Accepts native ETH (e.g. fee distributions or direct funding).
    receive() external payable {}

    /// @notice Sets the per-epoch budget of `token`, effective immediately, including for the current epoch.
    /// @dev Lowering the budget below what was already spent this epoch simply leaves nothing to spend until the
    ///      next epoch; past spending is never rewritten.
    /// @param token ERC-20 address, or address(0) for native ETH.
    /// @param budget Maximum amount allocatable per epoch, in the token's base units.
    function setEpochBudget(address token, uint256 budget) external onlyRole(DEFAULT_ADMIN_ROLE) {
        epochBudget[token] = budget;
        emit EpochBudgetSet(token, budget);
    }

    /// @notice Pays `amount` of `token` to `to`, counting it against the current epoch's budget.
    /// @param token ERC-20 address, or address(0) for native ETH.
    /// @param to Recipient (must not be the zero address).
    /// @param amount Amount in base units (must be non-zero).
    /// @param memo Free-form reference stored only in the event log.
    function allocate(address token, address to, uint256 amount, string calldata memo)
        external
        onlyRole(ALLOCATOR_ROLE)
        nonReentrant
    {
        if (to == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();

        uint256 epoch = currentEpoch();
        uint256 spent = spentInEpoch[token][epoch];
        uint256 remaining = _remaining(epochBudget[token], spent);
        if (amount > remaining) revert BudgetExceeded(token, epoch, amount, remaining);

        // Book the spending before the transfer (checks-effects-interactions).
        spentInEpoch[token][epoch] = spent + amount;
        _send(token, to, amount);
        emit Allocated(token, to, amount, epoch, memo);
    }

    /// @notice Sends the treasury's entire balance of `token` to `to`.
    /// @dev Deliberately not budget-bound: it is the guardian's fast path when the treasury is at risk (e.g. an
    ///      allocator key is compromised), so it must not wait for an epoch to roll over.
    /// @param token ERC-20 address, or address(0) for native ETH.
    /// @param to Recipient (must not be the zero address).
    function emergencyWithdraw(address token, address to) external onlyRole(GUARDIAN_ROLE) nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this));
        if (amount == 0) revert NothingToWithdraw(token);
        _send(token, to, amount);
        emit EmergencyWithdrawal(token, to, amount);
    }

    /// @notice Index of the epoch containing the current block timestamp.
    function currentEpoch() public view returns (uint256) {
        return (block.timestamp - startTime) / epochDuration;
    }

    /// @notice Amount of `token` that can still be allocated in the current epoch.
    function remainingBudget(address token) external view returns (uint256) {
        return _remaining(epochBudget[token], spentInEpoch[token][currentEpoch()]);
    }

    /// @dev Saturates at zero because the budget may have been lowered below what was already spent.
    function _remaining(uint256 budget, uint256 spent) private pure returns (uint256) {
        return budget > spent ? budget - spent : 0;
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
