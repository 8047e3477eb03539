// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {StakingVault} from "../src/StakingVault.sol";
import {DevToken} from "../src/devnet/DevToken.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @dev Runs every vault test twice: with distinct staking/reward tokens and with one token for both (the devnet
///      stakes ALLY and pays ALLY), where principal and rewards share a single balance.
abstract contract StakingVaultTestBase is TestBase {
    event Staked(address indexed user, uint256 amount);
    event Withdrawn(address indexed user, uint256 amount);
    event RewardPaid(address indexed user, uint256 reward);
    event RewardRateSet(uint256 rate, uint256 duration, uint256 periodFinish);
    event RewardPeriodEnded(uint256 periodFinish);
    event EmergencyWithdrawal(address indexed token, address indexed to, uint256 amount);
    event Paused(address account);
    event Unpaused(address account);

    uint256 internal constant FUNDING = 1_000_000e18;

    StakingVault internal vault;
    DevToken internal stakeToken;
    DevToken internal rewardToken;

    address internal admin = makeAddr("admin");
    address internal rateSetter = makeAddr("rateSetter");
    address internal guardian = makeAddr("guardian");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal stranger = makeAddr("stranger");

    function _sameToken() internal pure virtual returns (bool);

    function setUp() public {
        vm.warp(1_700_000_000);
        stakeToken = new DevToken("Alliance", "ALLY", 18, address(this), 1e30);
        rewardToken = _sameToken() ? stakeToken : new DevToken("Play", "PLAY", 18, address(this), 1e30);
        vault = new StakingVault(admin, stakeToken, rewardToken);

        vm.startPrank(admin);
        vault.grantRole(vault.RATE_SETTER_ROLE(), rateSetter);
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian);
        vm.stopPrank();

        stakeToken.transfer(alice, 1_000e18);
        stakeToken.transfer(bob, 1_000e18);
        vm.prank(alice);
        stakeToken.approve(address(vault), type(uint256).max);
        vm.prank(bob);
        stakeToken.approve(address(vault), type(uint256).max);
    }

    // ------------------------------------------------------------------ construction

    function test_constructor() public {
        vm.assertEq(address(vault.stakingToken()), address(stakeToken), "staking token");
        vm.assertEq(address(vault.rewardToken()), address(rewardToken), "reward token");
        vm.assertEq(vault.RATE_SETTER_ROLE(), keccak256("RATE_SETTER_ROLE"), "rate setter role id");
        vm.assertEq(vault.GUARDIAN_ROLE(), keccak256("GUARDIAN_ROLE"), "guardian role id");
        vm.assertTrue(vault.hasRole(vault.DEFAULT_ADMIN_ROLE(), admin), "admin");
        vm.expectRevert(StakingVault.ZeroAddress.selector);
        new StakingVault(address(0), stakeToken, rewardToken);
        vm.expectRevert(StakingVault.ZeroAddress.selector);
        new StakingVault(admin, IERC20(address(0)), rewardToken);
    }

    // ------------------------------------------------------------------ staking

    function test_stakeAndWithdraw() public {
        vm.expectEmit(address(vault));
        emit Staked(alice, 100e18);
        vm.prank(alice);
        vault.stake(100e18);
        vm.assertEq(vault.balanceOf(alice), 100e18, "staked");
        vm.assertEq(vault.totalStaked(), 100e18, "total");

        vm.expectEmit(address(vault));
        emit Withdrawn(alice, 40e18);
        vm.prank(alice);
        vault.withdraw(40e18);
        vm.assertEq(vault.balanceOf(alice), 60e18, "left");
        vm.assertEq(stakeToken.balanceOf(alice), 940e18, "returned");
    }

    function test_stakeAndWithdraw_validation() public {
        vm.startPrank(alice);
        vm.expectRevert(StakingVault.ZeroAmount.selector);
        vault.stake(0);
        vault.stake(10e18);
        vm.expectRevert(StakingVault.ZeroAmount.selector);
        vault.withdraw(0);
        vm.expectRevert(abi.encodeWithSelector(StakingVault.InsufficientStake.selector, 11e18, 10e18));
        vault.withdraw(11e18);
        vm.stopPrank();
    }

    function test_rewards_singleStakerGetsWholeStream() public {
        _stake(alice, 100e18);
        _startStream(1e18, 1_000);

        vm.warp(block.timestamp + 400);
        vm.assertEq(vault.earned(alice), 400e18, "accrues linearly");
        vm.warp(block.timestamp + 10_000);
        vm.assertEq(vault.earned(alice), 1_000e18, "capped at period end");

        uint256 before = rewardToken.balanceOf(alice);
        vm.expectEmit(address(vault));
        emit RewardPaid(alice, 1_000e18);
        vm.prank(alice);
        vault.getReward();
        vm.assertEq(rewardToken.balanceOf(alice) - before, 1_000e18, "paid");
        vm.assertEq(vault.earned(alice), 0, "nothing left");
        vm.assertEq(vault.unpaidRewards(), 0, "no reserve left");
    }

    function test_rewards_splitProRata() public {
        _stake(alice, 100e18);
        _startStream(1e18, 1_000);
        vm.warp(block.timestamp + 100); // alice alone: 100
        _stake(bob, 300e18);
        vm.warp(block.timestamp + 400); // 1:3 split of 400
        vm.assertApproxEqAbs(vault.earned(alice), 200e18, 1e6, "alice");
        vm.assertApproxEqAbs(vault.earned(bob), 300e18, 1e6, "bob");
    }

    function test_rewards_notAccruedWhileNobodyStakes() public {
        _startStream(1e18, 1_000);
        vm.warp(block.timestamp + 500);
        _stake(alice, 100e18);
        vm.warp(block.timestamp + 1_000);
        vm.assertEq(vault.earned(alice), 500e18, "only the second half");
        // The unstreamed half is free again for a new stream.
        vm.assertEq(vault.freeRewardBalance(), FUNDING - 500e18, "free balance");
    }

    function test_exit() public {
        _stake(alice, 100e18);
        _startStream(1e18, 100);
        vm.warp(block.timestamp + 100);
        uint256 rewardBefore = rewardToken.balanceOf(alice);
        uint256 stakeBefore = stakeToken.balanceOf(alice);

        vm.expectEmit(address(vault));
        emit Withdrawn(alice, 100e18);
        vm.expectEmit(address(vault));
        emit RewardPaid(alice, 100e18);
        vm.prank(alice);
        vault.exit();

        vm.assertEq(vault.balanceOf(alice), 0, "no stake");
        if (_sameToken()) {
            vm.assertEq(stakeToken.balanceOf(alice) - stakeBefore, 200e18, "principal + reward");
        } else {
            vm.assertEq(stakeToken.balanceOf(alice) - stakeBefore, 100e18, "principal");
            vm.assertEq(rewardToken.balanceOf(alice) - rewardBefore, 100e18, "reward");
        }
    }

    // ------------------------------------------------------------------ setRewardRate

    function test_setRewardRate_byRateSetter() public {
        rewardToken.transfer(address(vault), 1_000e18);
        vm.expectEmit(address(vault));
        emit RewardRateSet(1e18, 1_000, block.timestamp + 1_000);
        vm.prank(rateSetter);
        vault.setRewardRate(1e18, 1_000);
        vm.assertEq(vault.rewardRate(), 1e18, "rate");
        vm.assertEq(vault.periodFinish(), block.timestamp + 1_000, "finish");
        vm.assertEq(vault.lastUpdateTime(), block.timestamp, "updated");
    }

    function test_setRewardRate_refusesOthers() public {
        rewardToken.transfer(address(vault), 1_000e18);
        bytes32 role = vault.RATE_SETTER_ROLE();
        address[3] memory callers = [stranger, admin, guardian];
        for (uint256 i = 0; i < callers.length; ++i) {
            expectUnauthorized(callers[i], role);
            vm.prank(callers[i]);
            vault.setRewardRate(1, 1);
        }
    }

    function test_setRewardRate_validation() public {
        vm.expectRevert(StakingVault.ZeroDuration.selector);
        vm.prank(rateSetter);
        vault.setRewardRate(1, 0);

        // Principal never counts as reward funding, even when both tokens are the same.
        _stake(alice, 500e18);
        rewardToken.transfer(address(vault), 100e18);
        vm.expectRevert(abi.encodeWithSelector(StakingVault.InsufficientRewardBalance.selector, 101e18, 100e18));
        vm.prank(rateSetter);
        vault.setRewardRate(1e18, 101);

        vm.prank(rateSetter);
        vault.setRewardRate(1e18, 100);
    }

    function test_setRewardRate_reservesEarnedButUnpaid() public {
        _stake(alice, 100e18);
        _startStream(1e18, 1_000); // vault funded with FUNDING
        vm.warp(block.timestamp + 1_000); // alice earned 1_000e18, unpaid

        uint256 free = FUNDING - 1_000e18;
        vm.assertEq(vault.freeRewardBalance(), free, "earned rewards are reserved");
        vm.expectRevert(abi.encodeWithSelector(StakingVault.InsufficientRewardBalance.selector, free + 1, free));
        vm.prank(rateSetter);
        vault.setRewardRate(free + 1, 1);

        vm.prank(rateSetter);
        vault.setRewardRate(free, 1);
        vm.warp(block.timestamp + 1);
        vm.prank(alice);
        vault.getReward();
        vm.assertEq(vault.earned(alice), 0, "everything paid");
        vm.assertEq(vault.totalStaked(), 100e18, "principal intact");
        vm.assertGe(stakeToken.balanceOf(address(vault)), 100e18, "principal backed");
    }

    function test_setRewardRate_replacesRunningStream() public {
        _stake(alice, 100e18);
        _startStream(1e18, 1_000);
        vm.warp(block.timestamp + 500);
        vm.prank(rateSetter);
        vault.setRewardRate(2e18, 100);
        vm.warp(block.timestamp + 1_000);
        vm.assertEq(vault.earned(alice), 500e18 + 200e18, "old half + new stream");
    }

    // ------------------------------------------------------------------ pause

    function test_pause_blocksStakingOnly() public {
        _stake(alice, 100e18);
        _startStream(1e18, 100);
        vm.warp(block.timestamp + 50);

        vm.expectEmit(address(vault));
        emit Paused(guardian);
        vm.prank(guardian);
        vault.pause();

        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(bob);
        vault.stake(1e18);

        // Stakers can always leave.
        vm.startPrank(alice);
        vault.withdraw(10e18);
        vault.getReward();
        vault.exit();
        vm.stopPrank();
        vm.assertEq(vault.balanceOf(alice), 0, "left while paused");

        vm.expectEmit(address(vault));
        emit Unpaused(admin);
        vm.prank(admin);
        vault.unpause();
        _stake(bob, 1e18);
    }

    function test_pause_refusesOthers() public {
        bytes32 guardianRole = vault.GUARDIAN_ROLE();
        bytes32 adminRole = vault.DEFAULT_ADMIN_ROLE();
        address[3] memory callers = [stranger, admin, rateSetter];
        for (uint256 i = 0; i < callers.length; ++i) {
            expectUnauthorized(callers[i], guardianRole);
            vm.prank(callers[i]);
            vault.pause();
        }
        vm.prank(guardian);
        vault.pause();
        address[2] memory unpausers = [stranger, guardian];
        for (uint256 i = 0; i < unpausers.length; ++i) {
            expectUnauthorized(unpausers[i], adminRole);
            vm.prank(unpausers[i]);
            vault.unpause();
        }
    }

    // ------------------------------------------------------------------ emergencyWithdraw

    function test_emergencyWithdraw_neverTakesPrincipal() public {
        _stake(alice, 100e18);
        _stake(bob, 50e18);
        _startStream(1e18, 1_000);
        vm.warp(block.timestamp + 100);

        uint256 free = rewardToken.balanceOf(address(vault)) - (_sameToken() ? 150e18 : 0);
        vm.expectEmit(address(vault));
        emit RewardPeriodEnded(block.timestamp);
        vm.expectEmit(address(vault));
        emit EmergencyWithdrawal(address(rewardToken), guardian, free);
        vm.prank(guardian);
        vault.emergencyWithdraw(address(rewardToken), guardian);
        vm.assertEq(vault.periodFinish(), block.timestamp, "stream stopped");

        if (!_sameToken()) {
            vm.expectRevert(abi.encodeWithSelector(StakingVault.NothingToWithdraw.selector, address(stakeToken)));
            vm.prank(guardian);
            vault.emergencyWithdraw(address(stakeToken), guardian);
        }
        vm.assertEq(stakeToken.balanceOf(address(vault)), 150e18, "principal untouched");

        // Rewards stop accruing, earned ones stay owed, and everyone gets their principal back.
        uint256 owed = vault.earned(alice);
        vm.warp(block.timestamp + 500);
        vm.assertEq(vault.earned(alice), owed, "no accrual after the drain");
        uint256 before = stakeToken.balanceOf(alice);
        vm.prank(alice);
        vault.exit();
        vm.assertEq(stakeToken.balanceOf(alice) - before, 100e18, "principal only; rewards unfunded");
        vm.assertEq(vault.rewards(alice), owed, "reward still owed");

        // Once refunded, the owed reward is paid.
        rewardToken.transfer(address(vault), owed);
        vm.prank(alice);
        vault.getReward();
        vm.assertEq(vault.rewards(alice), 0, "paid after refund");
    }

    function test_emergencyWithdraw_strayToken() public {
        DevToken stray = new DevToken("Stray", "STR", 18, address(vault), 5e18);
        vm.expectEmit(address(vault));
        emit EmergencyWithdrawal(address(stray), guardian, 5e18);
        vm.prank(guardian);
        vault.emergencyWithdraw(address(stray), guardian);
        vm.assertEq(stray.balanceOf(guardian), 5e18, "recovered");
    }

    function test_emergencyWithdraw_refusesOthersAndZeroRecipient() public {
        rewardToken.transfer(address(vault), 1e18);
        bytes32 role = vault.GUARDIAN_ROLE();
        address[3] memory callers = [stranger, admin, rateSetter];
        for (uint256 i = 0; i < callers.length; ++i) {
            expectUnauthorized(callers[i], role);
            vm.prank(callers[i]);
            vault.emergencyWithdraw(address(rewardToken), callers[i]);
        }
        vm.expectRevert(StakingVault.ZeroAddress.selector);
        vm.prank(guardian);
        vault.emergencyWithdraw(address(rewardToken), address(0));
    }

    // ------------------------------------------------------------------ fuzz

    /// @dev Random stake/withdraw sequences of two stakers: balances, totals and token flows always agree.
    function testFuzz_stakeWithdrawSequence(uint256[8] memory amounts, uint8 ops) public {
        _startStream(1e15, 30 days);
        address[2] memory users = [alice, bob];
        uint256[2] memory staked;
        for (uint256 i = 0; i < amounts.length; ++i) {
            uint256 u = i % 2;
            vm.warp(block.timestamp + bound(amounts[i], 0, 1 days));
            uint256 before = stakeToken.balanceOf(users[u]);
            // Stake when told to or when there is nothing to withdraw; withdraw when the wallet is empty.
            bool isStake = ((ops >> i) & 1 == 1 || staked[u] == 0) && before > 0;
            if (isStake) {
                uint256 amount = bound(amounts[i], 1, before);
                _stake(users[u], amount);
                staked[u] += amount;
                vm.assertEq(before - stakeToken.balanceOf(users[u]), amount, "stake pulled");
            } else {
                uint256 amount = bound(amounts[i], 1, staked[u]);
                vm.prank(users[u]);
                vault.withdraw(amount);
                staked[u] -= amount;
                vm.assertEq(stakeToken.balanceOf(users[u]) - before, amount, "withdraw returned exactly");
            }
            vm.assertEq(vault.balanceOf(users[u]), staked[u], "user balance");
            vm.assertEq(vault.totalStaked(), staked[0] + staked[1], "total");
            vm.assertGe(stakeToken.balanceOf(address(vault)), vault.totalStaked(), "principal backed");
        }
        // Rewards accrued never exceed what the stream emitted.
        vm.assertLe(vault.earned(alice) + vault.earned(bob), vault.unpaidRewards() + _pending(), "earned <= emitted");
    }

    /// @dev Whatever the rate and timing, total rewards never exceed rate * elapsed and are never paid from
    ///      principal.
    function testFuzz_rewardsBoundedByStream(uint256 rate, uint256 duration, uint256 a, uint256 b, uint256 t) public {
        duration = bound(duration, 1, 365 days);
        rate = bound(rate, 0, FUNDING / duration);
        a = bound(a, 1, 1_000e18);
        b = bound(b, 1, 1_000e18);
        t = bound(t, 0, 2 * 365 days);

        _stake(alice, a);
        _stake(bob, b);
        _startStream(rate, duration);
        vm.warp(block.timestamp + t);

        uint256 elapsed = t < duration ? t : duration;
        uint256 total = vault.earned(alice) + vault.earned(bob);
        vm.assertLe(total, rate * elapsed, "no more than emitted");
        // Flooring rewardPerToken loses < 1 unit of 1e-18 per staked token, plus 1 wei per staker.
        vm.assertApproxEqAbs(total, rate * elapsed, 3 + (a + b) / 1e18, "no less than emitted, minus dust");

        vm.prank(alice);
        vault.exit();
        vm.prank(bob);
        vault.exit();
        vm.assertEq(vault.totalStaked(), 0, "all out");
        vm.assertEq(vault.balanceOf(alice) + vault.balanceOf(bob), 0, "no balances");
    }

    // ------------------------------------------------------------------ helpers

    function _stake(address user, uint256 amount) internal {
        vm.prank(user);
        vault.stake(amount);
    }

    /// @dev Funds the vault with FUNDING reward tokens and starts a stream.
    function _startStream(uint256 rate, uint256 duration) internal {
        rewardToken.transfer(address(vault), FUNDING);
        vm.prank(rateSetter);
        vault.setRewardRate(rate, duration);
    }

    function _pending() internal view returns (uint256) {
        if (vault.totalStaked() == 0) return 0;
        uint256 applicable = block.timestamp < vault.periodFinish() ? block.timestamp : vault.periodFinish();
        return applicable > vault.lastUpdateTime() ? (applicable - vault.lastUpdateTime()) * vault.rewardRate() : 0;
    }
}

contract StakingVaultDistinctTokensTest is StakingVaultTestBase {
    function _sameToken() internal pure override returns (bool) {
        return false;
    }
}

contract StakingVaultSameTokenTest is StakingVaultTestBase {
    function _sameToken() internal pure override returns (bool) {
        return true;
    }
}
