// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {StakingVault} from "../../src/StakingVault.sol";
import {DevToken} from "../../src/devnet/DevToken.sol";
import {TestBase} from "../utils/TestBase.sol";
import {VaultHandler} from "./handlers/VaultHandler.sol";

/// @notice Invariants of StakingVault under random staker, rate-setter, guardian and admin activity:
///         principal is fully accounted for and always backed, even after emergency withdrawals and reward payouts,
///         and rewards owed never exceed what was streamed. Runs with distinct tokens and with one token for both.
abstract contract VaultInvariantBase is TestBase {
    StakingVault internal vault;
    VaultHandler internal handler;
    DevToken internal stakeToken;
    DevToken internal rewardToken;

    function _sameToken() internal pure virtual returns (bool);

    function setUp() public {
        vm.warp(1_700_000_000);
        address admin = makeAddr("admin");
        address rateSetter = makeAddr("rateSetter");
        address guardian = makeAddr("guardian");
        address[] memory actors = new address[](3);
        actors[0] = makeAddr("alice");
        actors[1] = makeAddr("bob");
        actors[2] = makeAddr("carol");

        stakeToken = new DevToken("Alliance", "ALLY", 18, address(this), 1e30);
        rewardToken = _sameToken() ? stakeToken : new DevToken("Play", "PLAY", 18, address(this), 1e30);
        vault = new StakingVault(admin, stakeToken, rewardToken);
        handler = new VaultHandler(vault, admin, rateSetter, guardian, actors);

        vm.startPrank(admin);
        vault.grantRole(vault.RATE_SETTER_ROLE(), rateSetter);
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian);
        vm.stopPrank();

        for (uint256 i = 0; i < actors.length; ++i) {
            stakeToken.transfer(actors[i], 1e24);
            vm.prank(actors[i]);
            stakeToken.approve(address(vault), type(uint256).max);
        }
        // The handler funds rewards from whatever reward tokens remain.
        rewardToken.transfer(address(handler), rewardToken.balanceOf(address(this)));

        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = VaultHandler.stake.selector;
        selectors[1] = VaultHandler.withdraw.selector;
        selectors[2] = VaultHandler.getReward.selector;
        selectors[3] = VaultHandler.exit.selector;
        selectors[4] = VaultHandler.fund.selector;
        selectors[5] = VaultHandler.setRewardRate.selector;
        selectors[6] = VaultHandler.togglePause.selector;
        selectors[7] = VaultHandler.emergencyWithdraw.selector;
        selectors[8] = VaultHandler.warp.selector;
        selectors[9] = VaultHandler.setRewardRate.selector; // streams matter most: draw them twice as often
        targetContract(address(handler));
        targetSelector(address(handler), selectors);
    }

    /// @dev totalStaked is exactly the sum of all stakers' balances, and matches the handler's bookkeeping.
    function invariant_totalStakedIsSumOfBalances() public view {
        address[] memory actors = handler.actors();
        uint256 sum;
        for (uint256 i = 0; i < actors.length; ++i) {
            vm.assertEq(vault.balanceOf(actors[i]), handler.ghostStaked(actors[i]), "staker balance");
            sum += vault.balanceOf(actors[i]);
        }
        vm.assertEq(vault.totalStaked(), sum, "totalStaked vs sum of balances");
        vm.assertEq(vault.totalStaked(), handler.ghostTotalStaked(), "totalStaked vs handler");
    }

    /// @dev The vault always holds at least the principal it owes: neither reward payouts nor the guardian can
    ///      touch it.
    function invariant_principalBacked() public view {
        vm.assertGe(stakeToken.balanceOf(address(vault)), vault.totalStaked(), "principal backed");
    }

    /// @dev Rewards owed to stakers never exceed what the stream emitted (the vault's conservative reserve).
    function invariant_earnedWithinEmitted() public view {
        vm.assertLe(handler.sumEarned(), vault.unpaidRewards() + _pendingEmission(), "earned <= emitted");
    }

    /// @dev Until a guardian takes reward tokens, the vault can pay every staker what they earned plus the rest of
    ///      the running stream.
    function invariant_rewardsFunded() public view {
        if (handler.ghostRewardsDrained()) return;
        uint256 rest =
            block.timestamp < vault.periodFinish() ? (vault.periodFinish() - block.timestamp) * vault.rewardRate() : 0;
        vm.assertGe(handler.rewardHeadroom(), handler.sumEarned() + rest, "rewards funded");
    }

    /// @dev Every handler-observed outcome followed the vault's rules (see VaultHandler).
    function invariant_noRuleViolations() public view {
        vm.assertEq(handler.ghostViolations(), 0, "rule violated");
    }

    function _pendingEmission() internal view returns (uint256) {
        if (vault.totalStaked() == 0) return 0;
        uint256 applicable = vault.lastTimeRewardApplicable();
        uint256 last = vault.lastUpdateTime();
        return applicable > last ? (applicable - last) * vault.rewardRate() : 0;
    }
}

contract VaultInvariantDistinctTokensTest is VaultInvariantBase {
    function _sameToken() internal pure override returns (bool) {
        return false;
    }
}

contract VaultInvariantSameTokenTest is VaultInvariantBase {
    function _sameToken() internal pure override returns (bool) {
        return true;
    }
}
