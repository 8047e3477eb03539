// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {StakingVault} from "../../../src/StakingVault.sol";
import {TestBase} from "../../utils/TestBase.sol";

/// @notice Drives a StakingVault with random stakes, withdrawals, claims, exits, reward top-ups, reward streams,
///         pauses, guardian emergency withdrawals and time jumps, on behalf of a few stakers.
/// @dev Never reverts (invariant runs use fail_on_revert): expected failures are caught, and any outcome that
///      contradicts the vault's rules increments `ghostViolations`. The handler holds the spare token supply used to
///      fund rewards.
contract VaultHandler is TestBase {
    StakingVault public immutable vault;
    IERC20 public immutable stakingToken;
    IERC20 public immutable rewardToken;
    address public immutable admin;
    address public immutable rateSetter;
    address public immutable guardian;
    address[] internal _actors;

    /// @notice Principal each actor should have in the vault, per the handler's own bookkeeping.
    mapping(address actor => uint256) public ghostStaked;
    uint256 public ghostTotalStaked;
    /// @notice Set once a guardian took reward tokens; from then on the vault may owe more rewards than it holds.
    bool public ghostRewardsDrained;
    uint256 public ghostViolations;

    constructor(StakingVault vault_, address admin_, address rateSetter_, address guardian_, address[] memory actors_) {
        vault = vault_;
        stakingToken = vault_.stakingToken();
        rewardToken = vault_.rewardToken();
        admin = admin_;
        rateSetter = rateSetter_;
        guardian = guardian_;
        _actors = actors_;
    }

    // ------------------------------------------------------------------ staker actions

    function stake(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        uint256 wallet = stakingToken.balanceOf(actor);
        if (wallet == 0) return;
        amount = bound(amount, 1, wallet);
        bool paused = vault.paused();

        vm.prank(actor);
        try vault.stake(amount) {
            if (paused) ghostViolations++;
            if (wallet - stakingToken.balanceOf(actor) != amount) ghostViolations++;
            ghostStaked[actor] += amount;
            ghostTotalStaked += amount;
        } catch (bytes memory reason) {
            if (!paused || bytes4(reason) != Pausable.EnforcedPause.selector) ghostViolations++;
        }
    }

    function withdraw(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        uint256 staked = ghostStaked[actor];
        if (staked == 0) return;
        amount = bound(amount, 1, staked);
        uint256 wallet = stakingToken.balanceOf(actor);

        vm.prank(actor);
        try vault.withdraw(amount) {
            // Withdrawals return exactly the principal asked for, paused or not.
            if (stakingToken.balanceOf(actor) - wallet != amount) ghostViolations++;
            ghostStaked[actor] = staked - amount;
            ghostTotalStaked -= amount;
        } catch {
            ghostViolations++;
        }
    }

    function getReward(uint256 actorSeed) external {
        address actor = _actor(actorSeed);
        uint256 earned = vault.earned(actor);
        uint256 wallet = rewardToken.balanceOf(actor);

        vm.prank(actor);
        try vault.getReward() {
            // Paid at most what was earned; whatever was not paid is still owed.
            uint256 paid = rewardToken.balanceOf(actor) - wallet;
            if (paid > earned || vault.earned(actor) != earned - paid) ghostViolations++;
        } catch {
            ghostViolations++;
        }
    }

    function exit(uint256 actorSeed) external {
        address actor = _actor(actorSeed);
        uint256 staked = ghostStaked[actor];
        uint256 earned = vault.earned(actor);
        uint256 stakingWallet = stakingToken.balanceOf(actor);
        uint256 rewardWallet = rewardToken.balanceOf(actor);

        vm.prank(actor);
        try vault.exit() {
            uint256 stakingGain = stakingToken.balanceOf(actor) - stakingWallet;
            uint256 rewardGain = rewardToken.balanceOf(actor) - rewardWallet;
            if (address(stakingToken) == address(rewardToken)) {
                // One token: the gain is principal plus at most the earned reward.
                if (stakingGain < staked || stakingGain - staked > earned) ghostViolations++;
            } else if (stakingGain != staked || rewardGain > earned) {
                ghostViolations++;
            }
            if (vault.balanceOf(actor) != 0) ghostViolations++;
            ghostStaked[actor] = 0;
            ghostTotalStaked -= staked;
        } catch {
            ghostViolations++;
        }
    }

    // ------------------------------------------------------------------ privileged and external actions

    /// @dev Anyone can top the vault up with reward tokens.
    function fund(uint256 amount) external {
        amount = bound(amount, 0, rewardToken.balanceOf(address(this)) / 16);
        rewardToken.transfer(address(vault), amount);
    }

    /// @dev Asks for up to ~110% of the free reward balance, so some calls must be refused.
    function setRewardRate(uint256 rate, uint256 duration) external {
        duration = bound(duration, 1, 30 days);
        rate = bound(rate, 0, (vault.freeRewardBalance() * 11) / 10 / duration + 1);
        uint256 required = rate * duration;

        vm.prank(rateSetter);
        try vault.setRewardRate(rate, duration) {
            // A funded stream must be fully covered on top of everything already owed to stakers.
            if (required > 0 && _rewardHeadroom() < _sumEarned() + required) ghostViolations++;
        } catch (bytes memory reason) {
            if (bytes4(reason) != StakingVault.InsufficientRewardBalance.selector) ghostViolations++;
        }
    }

    function togglePause() external {
        if (vault.paused()) {
            vm.prank(admin);
            vault.unpause();
        } else {
            vm.prank(guardian);
            vault.pause();
        }
    }

    /// @dev Acts on one call in four only: a drain ends reward solvency for the rest of the run, so letting it
    ///      happen on every selector draw would leave the solvency invariant almost never checked.
    function emergencyWithdraw(uint256 seed) external {
        if (seed % 4 != 0) return;
        IERC20 token = (seed / 4) % 2 == 0 ? rewardToken : stakingToken;
        uint256 balance = token.balanceOf(address(vault));
        uint256 expected = balance - (token == stakingToken ? ghostTotalStaked : 0);
        uint256 guardianBefore = token.balanceOf(guardian);

        vm.prank(guardian);
        try vault.emergencyWithdraw(address(token), guardian) {
            if (expected == 0 || token.balanceOf(guardian) - guardianBefore != expected) ghostViolations++;
            if (token == rewardToken) ghostRewardsDrained = true;
        } catch (bytes memory reason) {
            bytes memory nothing = abi.encodeWithSelector(StakingVault.NothingToWithdraw.selector, address(token));
            if (expected != 0 || keccak256(reason) != keccak256(nothing)) ghostViolations++;
        }
    }

    function warp(uint256 secondsForward) external {
        vm.warp(block.timestamp + bound(secondsForward, 0, 3 days));
    }

    // ------------------------------------------------------------------ views for the invariants

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    /// @notice Sum of `earned` over all actors.
    function sumEarned() external view returns (uint256) {
        return _sumEarned();
    }

    /// @notice Reward tokens held beyond stakers' principal.
    function rewardHeadroom() external view returns (uint256) {
        return _rewardHeadroom();
    }

    function _sumEarned() internal view returns (uint256 sum) {
        for (uint256 i = 0; i < _actors.length; ++i) {
            sum += vault.earned(_actors[i]);
        }
    }

    function _rewardHeadroom() internal view returns (uint256) {
        uint256 balance = rewardToken.balanceOf(address(vault));
        uint256 principal = address(rewardToken) == address(stakingToken) ? ghostTotalStaked : 0;
        return balance > principal ? balance - principal : 0;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }
}
