// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AllianceTreasury} from "../src/AllianceTreasury.sol";
import {DevToken} from "../src/devnet/DevToken.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @dev Refuses native ETH, to exercise the treasury's failed-transfer path.
contract EthRejecter {
    receive() external payable {
        revert("no ETH");
    }
}

contract AllianceTreasuryTest is TestBase {
    event EpochBudgetSet(address indexed token, uint256 budget);
    event Allocated(address indexed token, address indexed to, uint256 amount, uint256 indexed epoch, string memo);
    event EmergencyWithdrawal(address indexed token, address indexed to, uint256 amount);

    uint64 internal constant EPOCH = 7 days;
    uint256 internal constant SUPPLY = 1_000_000e6;
    address internal constant ETH = address(0);

    AllianceTreasury internal treasury;
    DevToken internal usd;

    address internal admin = makeAddr("admin");
    address internal allocator = makeAddr("allocator");
    address internal guardian = makeAddr("guardian");
    address internal stranger = makeAddr("stranger");
    address internal grantee = makeAddr("grantee");

    function setUp() public {
        vm.warp(1_700_000_000);
        treasury = new AllianceTreasury(admin, EPOCH);
        usd = new DevToken("Alliance USD", "aUSD", 6, address(treasury), SUPPLY);
        vm.deal(address(treasury), 100 ether);

        vm.startPrank(admin);
        treasury.grantRole(treasury.ALLOCATOR_ROLE(), allocator);
        treasury.grantRole(treasury.GUARDIAN_ROLE(), guardian);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ construction

    function test_constructor_setsRolesAndEpochs() public view {
        vm.assertEq(treasury.ALLOCATOR_ROLE(), keccak256("ALLOCATOR_ROLE"), "allocator role id");
        vm.assertEq(treasury.GUARDIAN_ROLE(), keccak256("GUARDIAN_ROLE"), "guardian role id");
        vm.assertTrue(treasury.hasRole(treasury.DEFAULT_ADMIN_ROLE(), admin), "admin role");
        vm.assertEq(treasury.epochDuration(), EPOCH, "epoch duration");
        vm.assertEq(treasury.startTime(), 1_700_000_000, "start time");
        vm.assertEq(treasury.currentEpoch(), 0, "epoch 0");
    }

    function test_constructor_rejectsZeroAdmin() public {
        vm.expectRevert(AllianceTreasury.ZeroAddress.selector);
        new AllianceTreasury(address(0), EPOCH);
    }

    function test_constructor_rejectsZeroEpoch() public {
        vm.expectRevert(AllianceTreasury.ZeroEpochDuration.selector);
        new AllianceTreasury(admin, 0);
    }

    function test_receive_acceptsEth() public {
        vm.deal(stranger, 1 ether);
        vm.prank(stranger);
        (bool ok,) = address(treasury).call{value: 1 ether}("");
        vm.assertTrue(ok, "ETH accepted");
        vm.assertEq(address(treasury).balance, 101 ether, "balance");
    }

    // ------------------------------------------------------------------ setEpochBudget

    function test_setEpochBudget_byAdmin() public {
        vm.expectEmit(address(treasury));
        emit EpochBudgetSet(address(usd), 5_000e6);
        vm.prank(admin);
        treasury.setEpochBudget(address(usd), 5_000e6);
        vm.assertEq(treasury.epochBudget(address(usd)), 5_000e6, "budget");
        vm.assertEq(treasury.remainingBudget(address(usd)), 5_000e6, "remaining");
    }

    function test_setEpochBudget_refusesOthers() public {
        bytes32 role = treasury.DEFAULT_ADMIN_ROLE();
        address[3] memory callers = [stranger, allocator, guardian];
        for (uint256 i = 0; i < callers.length; ++i) {
            expectUnauthorized(callers[i], role);
            vm.prank(callers[i]);
            treasury.setEpochBudget(address(usd), 1);
        }
    }

    // ------------------------------------------------------------------ allocate

    function test_allocate_erc20() public {
        _setBudget(address(usd), 1_000e6);

        vm.expectEmit(address(treasury));
        emit Allocated(address(usd), grantee, 400e6, 0, "grant #1");
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 400e6, "grant #1");

        vm.assertEq(usd.balanceOf(grantee), 400e6, "grantee paid");
        vm.assertEq(usd.balanceOf(address(treasury)), SUPPLY - 400e6, "treasury debited");
        vm.assertEq(treasury.spentInEpoch(address(usd), 0), 400e6, "spent");
        vm.assertEq(treasury.remainingBudget(address(usd)), 600e6, "remaining");
    }

    function test_allocate_native() public {
        _setBudget(ETH, 10 ether);

        vm.expectEmit(address(treasury));
        emit Allocated(ETH, grantee, 3 ether, 0, "eth grant");
        vm.prank(allocator);
        treasury.allocate(ETH, grantee, 3 ether, "eth grant");

        vm.assertEq(grantee.balance, 3 ether, "grantee paid");
        vm.assertEq(treasury.spentInEpoch(ETH, 0), 3 ether, "spent");
    }

    function test_allocate_refusesOthers() public {
        _setBudget(address(usd), 1_000e6);
        bytes32 role = treasury.ALLOCATOR_ROLE();
        address[3] memory callers = [stranger, admin, guardian];
        for (uint256 i = 0; i < callers.length; ++i) {
            expectUnauthorized(callers[i], role);
            vm.prank(callers[i]);
            treasury.allocate(address(usd), grantee, 1, "");
        }
    }

    function test_allocate_revertsAboveBudget() public {
        _setBudget(address(usd), 1_000e6);
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 700e6, "");

        vm.expectRevert(
            abi.encodeWithSelector(AllianceTreasury.BudgetExceeded.selector, address(usd), 0, 300e6 + 1, 300e6)
        );
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 300e6 + 1, "");

        // Spending exactly the remainder is allowed.
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 300e6, "");
        vm.assertEq(treasury.remainingBudget(address(usd)), 0, "exhausted");
    }

    function test_allocate_revertsWithoutBudget() public {
        vm.expectRevert(abi.encodeWithSelector(AllianceTreasury.BudgetExceeded.selector, ETH, 0, 1, 0));
        vm.prank(allocator);
        treasury.allocate(ETH, grantee, 1, "");
    }

    function test_allocate_revertsOnZeroRecipientOrAmount() public {
        _setBudget(address(usd), 1_000e6);
        vm.startPrank(allocator);
        vm.expectRevert(AllianceTreasury.ZeroAddress.selector);
        treasury.allocate(address(usd), address(0), 1, "");
        vm.expectRevert(AllianceTreasury.ZeroAmount.selector);
        treasury.allocate(address(usd), grantee, 0, "");
        vm.stopPrank();
    }

    function test_allocate_revertsWhenEthRefused() public {
        _setBudget(ETH, 10 ether);
        address rejecter = address(new EthRejecter());
        vm.expectRevert(abi.encodeWithSelector(AllianceTreasury.NativeTransferFailed.selector, rejecter, 1 ether));
        vm.prank(allocator);
        treasury.allocate(ETH, rejecter, 1 ether, "");
    }

    function test_allocate_budgetResetsEachEpoch() public {
        _setBudget(address(usd), 1_000e6);
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 1_000e6, "");

        // One second before the epoch ends nothing is left; at the boundary the budget is fresh.
        vm.warp(block.timestamp + EPOCH - 1);
        vm.assertEq(treasury.remainingBudget(address(usd)), 0, "still epoch 0");
        vm.warp(block.timestamp + 1);
        vm.assertEq(treasury.currentEpoch(), 1, "epoch 1");
        vm.assertEq(treasury.remainingBudget(address(usd)), 1_000e6, "fresh budget");

        vm.expectEmit(address(treasury));
        emit Allocated(address(usd), grantee, 1_000e6, 1, "");
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 1_000e6, "");
        vm.assertEq(treasury.spentInEpoch(address(usd), 0), 1_000e6, "epoch 0 unchanged");
        vm.assertEq(treasury.spentInEpoch(address(usd), 1), 1_000e6, "epoch 1 spent");
    }

    function test_allocate_budgetLoweredBelowSpent() public {
        _setBudget(address(usd), 1_000e6);
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 800e6, "");
        _setBudget(address(usd), 500e6);

        vm.assertEq(treasury.remainingBudget(address(usd)), 0, "saturates at zero");
        vm.expectRevert(abi.encodeWithSelector(AllianceTreasury.BudgetExceeded.selector, address(usd), 0, 1, 0));
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 1, "");
    }

    function test_allocate_budgetsArePerToken() public {
        _setBudget(address(usd), 1_000e6);
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, 1_000e6, "");
        vm.assertEq(treasury.remainingBudget(ETH), 0, "ETH has its own (zero) budget");
        vm.expectRevert(abi.encodeWithSelector(AllianceTreasury.BudgetExceeded.selector, ETH, 0, 1, 0));
        vm.prank(allocator);
        treasury.allocate(ETH, grantee, 1, "");
    }

    // ------------------------------------------------------------------ emergencyWithdraw

    function test_emergencyWithdraw_erc20IgnoresBudget() public {
        vm.expectEmit(address(treasury));
        emit EmergencyWithdrawal(address(usd), guardian, SUPPLY);
        vm.prank(guardian);
        treasury.emergencyWithdraw(address(usd), guardian);
        vm.assertEq(usd.balanceOf(guardian), SUPPLY, "whole balance moved");
        vm.assertEq(usd.balanceOf(address(treasury)), 0, "treasury empty");
        vm.assertEq(treasury.spentInEpoch(address(usd), 0), 0, "not booked as spending");
    }

    function test_emergencyWithdraw_native() public {
        vm.expectEmit(address(treasury));
        emit EmergencyWithdrawal(ETH, guardian, 100 ether);
        vm.prank(guardian);
        treasury.emergencyWithdraw(ETH, guardian);
        vm.assertEq(guardian.balance, 100 ether, "whole balance moved");
    }

    function test_emergencyWithdraw_refusesOthers() public {
        bytes32 role = treasury.GUARDIAN_ROLE();
        address[3] memory callers = [stranger, admin, allocator];
        for (uint256 i = 0; i < callers.length; ++i) {
            expectUnauthorized(callers[i], role);
            vm.prank(callers[i]);
            treasury.emergencyWithdraw(address(usd), callers[i]);
        }
    }

    function test_emergencyWithdraw_revertsWhenEmptyOrZeroRecipient() public {
        vm.startPrank(guardian);
        vm.expectRevert(AllianceTreasury.ZeroAddress.selector);
        treasury.emergencyWithdraw(address(usd), address(0));
        treasury.emergencyWithdraw(address(usd), guardian);
        vm.expectRevert(abi.encodeWithSelector(AllianceTreasury.NothingToWithdraw.selector, address(usd)));
        treasury.emergencyWithdraw(address(usd), guardian);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ fuzz

    /// @dev Two allocations in one epoch: the second succeeds exactly when the total stays within the budget.
    function testFuzz_allocate_respectsBudget(uint256 budget, uint256 first, uint256 second) public {
        budget = bound(budget, 1, SUPPLY);
        first = bound(first, 1, budget);
        second = bound(second, 1, SUPPLY);
        _setBudget(address(usd), budget);

        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, first, "");

        uint256 remaining = budget - first;
        if (second > remaining) {
            vm.expectRevert(
                abi.encodeWithSelector(AllianceTreasury.BudgetExceeded.selector, address(usd), 0, second, remaining)
            );
        }
        vm.prank(allocator);
        treasury.allocate(address(usd), grantee, second, "");

        uint256 spent = treasury.spentInEpoch(address(usd), 0);
        vm.assertLe(spent, budget, "spent within budget");
        vm.assertEq(usd.balanceOf(grantee), spent, "outflow equals booked spending");
        vm.assertEq(treasury.remainingBudget(address(usd)), budget - spent, "remaining");
    }

    function testFuzz_currentEpoch(uint64 duration, uint256 elapsed) public {
        duration = uint64(bound(duration, 1, 365 days));
        elapsed = bound(elapsed, 0, 100 * 365 days);
        AllianceTreasury t = new AllianceTreasury(admin, duration);
        vm.warp(block.timestamp + elapsed);
        vm.assertEq(t.currentEpoch(), elapsed / duration, "epoch index");
    }

    function _setBudget(address token, uint256 budget) internal {
        vm.prank(admin);
        treasury.setEpochBudget(token, budget);
    }
}
