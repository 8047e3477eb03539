// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllianceTreasury} from "../../src/AllianceTreasury.sol";
import {DevToken} from "../../src/devnet/DevToken.sol";
import {TestBase} from "../utils/TestBase.sol";
import {TreasuryHandler} from "./handlers/TreasuryHandler.sol";

/// @notice Invariant: in every epoch and for every token (two ERC-20s with different decimals and native ETH), the
///         treasury pays out through `allocate` no more than that epoch's budget, and its books match the actual
///         outflow.
contract TreasuryInvariantTest is TestBase {
    uint256 internal constant FUNDS = 1e30;

    AllianceTreasury internal treasury;
    TreasuryHandler internal handler;
    address[] internal tokens;
    mapping(address token => uint256) internal initialBalance;

    function setUp() public {
        address admin = makeAddr("admin");
        treasury = new AllianceTreasury(admin, 1 days);
        tokens.push(address(new DevToken("Alliance USD", "aUSD", 6, address(treasury), FUNDS)));
        tokens.push(address(new DevToken("Play", "PLAY", 18, address(treasury), FUNDS)));
        tokens.push(address(0)); // native ETH
        vm.deal(address(treasury), FUNDS);

        address[] memory recipients = new address[](3);
        recipients[0] = makeAddr("grantee1");
        recipients[1] = makeAddr("grantee2");
        recipients[2] = makeAddr("grantee3");
        handler = new TreasuryHandler(treasury, admin, tokens, recipients);

        bytes32 role = treasury.ALLOCATOR_ROLE();
        vm.prank(admin);
        treasury.grantRole(role, address(handler));

        for (uint256 i = 0; i < tokens.length; ++i) {
            initialBalance[tokens[i]] = _balance(tokens[i]);
        }

        bytes4[] memory selectors = new bytes4[](3);
        selectors[0] = TreasuryHandler.setBudget.selector;
        selectors[1] = TreasuryHandler.allocate.selector;
        selectors[2] = TreasuryHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(address(handler), selectors);
    }

    /// @dev Spending per (token, epoch) never exceeds the highest budget in force during that epoch.
    function invariant_spendingWithinEpochBudget() public view {
        uint256 n = handler.keyCount();
        for (uint256 i = 0; i < n; ++i) {
            (address token, uint256 epoch) = handler.keyAt(i);
            vm.assertLe(treasury.spentInEpoch(token, epoch), handler.ghostMaxBudget(token, epoch), "over budget");
        }
    }

    /// @dev The treasury's books equal what the handler allocated and what actually left the treasury.
    function invariant_booksMatchOutflow() public view {
        uint256 n = handler.keyCount();
        for (uint256 i = 0; i < n; ++i) {
            (address token, uint256 epoch) = handler.keyAt(i);
            uint256 spent = treasury.spentInEpoch(token, epoch);
            vm.assertEq(spent, handler.ghostAllocated(token, epoch), "books vs allocations");
            vm.assertEq(spent, handler.ghostOutflow(token, epoch), "books vs balance change");
        }
        for (uint256 i = 0; i < tokens.length; ++i) {
            vm.assertEq(
                initialBalance[tokens[i]] - _balance(tokens[i]), handler.ghostTotalAllocated(tokens[i]), "total outflow"
            );
        }
    }

    /// @dev Every allocate call was accepted exactly when it fit the remaining budget.
    function invariant_budgetRuleEnforced() public view {
        vm.assertEq(handler.ghostViolations(), 0, "budget rule violated");
    }

    function _balance(address token) internal view returns (uint256) {
        return token == address(0) ? address(treasury).balance : IERC20(token).balanceOf(address(treasury));
    }
}
