// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllianceTreasury} from "../../../src/AllianceTreasury.sol";
import {TestBase} from "../../utils/TestBase.sol";

/// @notice Drives an AllianceTreasury with random budget changes, allocations (including over-budget attempts) and
///         time jumps, and records ghost state the invariants compare against.
/// @dev The handler holds ALLOCATOR_ROLE itself and pranks the admin for budget changes. It never reverts
///      (invariant runs use fail_on_revert): expected failures are caught and classified.
contract TreasuryHandler is TestBase {
    struct Key {
        address token;
        uint256 epoch;
    }

    /// @dev Per-epoch budgets stay far below the treasury's balances, so allocations only fail on the budget.
    uint256 internal constant MAX_BUDGET = 1e24;

    AllianceTreasury public immutable treasury;
    address public immutable admin;
    address[] internal _tokens;
    address[] internal _recipients;

    /// @notice Sum of successful allocations per token and epoch, as the handler observed them.
    mapping(address token => mapping(uint256 epoch => uint256)) public ghostAllocated;
    /// @notice Treasury balance decrease caused by allocate calls, per token and epoch.
    mapping(address token => mapping(uint256 epoch => uint256)) public ghostOutflow;
    /// @notice Highest budget in force at any allocation of the epoch: spending can never go above it.
    mapping(address token => mapping(uint256 epoch => uint256)) public ghostMaxBudget;
    /// @notice Sum of successful allocations per token over all epochs.
    mapping(address token => uint256) public ghostTotalAllocated;
    mapping(address token => mapping(uint256 epoch => bool)) internal _seen;
    Key[] internal _keys;

    /// @notice Calls whose outcome contradicted the budget rule (accepted over budget, or refused within it).
    uint256 public ghostViolations;
    /// @notice Over-budget attempts that were correctly refused, to show the revert path is exercised.
    uint256 public ghostRejected;
    uint256 public ghostAllocations;

    constructor(AllianceTreasury treasury_, address admin_, address[] memory tokens_, address[] memory recipients_) {
        treasury = treasury_;
        admin = admin_;
        _tokens = tokens_;
        _recipients = recipients_;
    }

    // ------------------------------------------------------------------ actions

    function setBudget(uint256 tokenSeed, uint256 budget) external {
        address token = _token(tokenSeed);
        budget = bound(budget, 0, MAX_BUDGET);
        vm.prank(admin);
        treasury.setEpochBudget(token, budget);
    }

    /// @dev Requests up to twice the remaining budget, so roughly half the calls must be refused.
    function allocate(uint256 tokenSeed, uint256 recipientSeed, uint256 amount) external {
        address token = _token(tokenSeed);
        address to = _recipients[recipientSeed % _recipients.length];
        uint256 epoch = treasury.currentEpoch();
        uint256 budget = treasury.epochBudget(token);
        uint256 spent = treasury.spentInEpoch(token, epoch);
        uint256 remaining = budget > spent ? budget - spent : 0;
        amount = bound(amount, 1, 2 * remaining + 1);
        _track(token, epoch, budget);

        uint256 balanceBefore = _balanceOf(token, address(treasury));
        try treasury.allocate(token, to, amount, "invariant") {
            ghostAllocations++;
            if (amount > remaining) ghostViolations++;
            ghostAllocated[token][epoch] += amount;
            ghostTotalAllocated[token] += amount;
            ghostOutflow[token][epoch] += balanceBefore - _balanceOf(token, address(treasury));
        } catch (bytes memory reason) {
            bytes memory expected =
                abi.encodeWithSelector(AllianceTreasury.BudgetExceeded.selector, token, epoch, amount, remaining);
            if (amount <= remaining || keccak256(reason) != keccak256(expected)) ghostViolations++;
            else ghostRejected++;
        }
    }

    function warp(uint256 secondsForward) external {
        vm.warp(block.timestamp + bound(secondsForward, 0, 2 * treasury.epochDuration()));
    }

    // ------------------------------------------------------------------ views for the invariants

    function keyCount() external view returns (uint256) {
        return _keys.length;
    }

    function keyAt(uint256 i) external view returns (address token, uint256 epoch) {
        return (_keys[i].token, _keys[i].epoch);
    }

    function tokens() external view returns (address[] memory) {
        return _tokens;
    }

    function _track(address token, uint256 epoch, uint256 budget) internal {
        if (!_seen[token][epoch]) {
            _seen[token][epoch] = true;
            _keys.push(Key(token, epoch));
        }
        if (budget > ghostMaxBudget[token][epoch]) ghostMaxBudget[token][epoch] = budget;
    }

    function _token(uint256 seed) internal view returns (address) {
        return _tokens[seed % _tokens.length];
    }

    function _balanceOf(address token, address account) internal view returns (uint256) {
        return token == address(0) ? account.balance : IERC20(token).balanceOf(account);
    }
}
