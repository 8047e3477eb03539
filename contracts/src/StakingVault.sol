// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title StakingVault
/// @notice Stake `stakingToken`, earn `rewardToken` streamed at a fixed rate and shared pro rata among stakers
///         (Synthetix StakingRewards accounting). The two tokens may be the same.
/// @dev Principal protection: stakers' principal (`totalStaked` of the staking token) is never used to pay rewards
///      and can never be taken by the guardian. Reward payouts are capped by the reward tokens the vault actually
///      holds beyond principal; any shortfall stays owed to the staker (see `rewards`) and is paid once the vault is
///      refunded. Staking is pausable; withdrawing and claiming are not, so stakers can always leave.
///      Fee-on-transfer and rebasing tokens are not supported.
contract StakingVault is AccessControl, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Role allowed to start or change the reward stream.
    bytes32 public constant RATE_SETTER_ROLE = keccak256("RATE_SETTER_ROLE");
    /// @notice Role allowed to pause staking and to evacuate non-principal funds.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @dev Fixed-point scale of `rewardPerToken`.
    uint256 private constant PRECISION = 1e18;

    /// @notice Token users stake.
    IERC20 public immutable stakingToken;
    /// @notice Token rewards are paid in.
    IERC20 public immutable rewardToken;

    /// @notice Reward token base units streamed per second while the period runs.
    uint256 public rewardRate;
    /// @notice Timestamp at which the current reward stream ends.
    uint256 public periodFinish;
    /// @notice Last time `rewardPerTokenStored` was brought up to date.
    uint256 public lastUpdateTime;
    /// @notice Accumulated rewards per staked token (scaled by 1e18) as of `lastUpdateTime`.
    uint256 public rewardPerTokenStored;
    /// @notice Sum of all stakers' balances (the principal the vault owes).
    uint256 public totalStaked;
    /// @notice Upper bound on rewards accrued to stakers but not yet paid. It counts the full stream emitted while
    ///         someone was staked; per-staker rounding means stakers can claim slightly less, never more, so the
    ///         reservation is conservative.
    uint256 public unpaidRewards;

    /// @notice `rewardPerToken` value already credited to each staker.
    mapping(address account => uint256) public userRewardPerTokenPaid;
    /// @notice Rewards credited to each staker but not yet paid.
    mapping(address account => uint256) public rewards;
    mapping(address account => uint256) private _balances;

    /// @notice Emitted when `user` stakes `amount`.
    event Staked(address indexed user, uint256 amount);
    /// @notice Emitted when `user` withdraws `amount` of principal.
    event Withdrawn(address indexed user, uint256 amount);
    /// @notice Emitted when `user` is paid `reward`.
    event RewardPaid(address indexed user, uint256 reward);
    /// @notice Emitted when the reward stream is (re)configured.
    event RewardRateSet(uint256 rate, uint256 duration, uint256 periodFinish);
    /// @notice Emitted when an emergency withdrawal of the reward token stops the running stream early.
    event RewardPeriodEnded(uint256 periodFinish);
    /// @notice Emitted when a guardian evacuates `amount` of `token`.
    event EmergencyWithdrawal(address indexed token, address indexed to, uint256 amount);

    /// @notice An amount of zero was given.
    error ZeroAmount();
    /// @notice An address argument was the zero address.
    error ZeroAddress();
    /// @notice A reward duration of zero was given.
    error ZeroDuration();
    /// @notice A withdrawal exceeds the caller's stake.
    error InsufficientStake(uint256 requested, uint256 staked);
    /// @notice The vault does not hold enough free reward tokens to fund `rate * duration`.
    error InsufficientRewardBalance(uint256 required, uint256 available);
    /// @notice An emergency withdrawal found nothing the guardian may take.
    error NothingToWithdraw(address token);

    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants roles, unpauses).
    /// @param stakingToken_ Token users stake.
    /// @param rewardToken_ Token rewards are paid in (may equal `stakingToken_`).
    constructor(address admin, IERC20 stakingToken_, IERC20 rewardToken_) {
        if (admin == address(0) || address(stakingToken_) == address(0) || address(rewardToken_) == address(0)) {
            revert ZeroAddress();
        }
        stakingToken = stakingToken_;
        rewardToken = rewardToken_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @dev Settles rewards accrued since the last update, globally and for `account` (skipped for address(0)).
    modifier updateReward(address account) {
        _updateReward(account);
        _;
    }

    // ------------------------------------------------------------------ stakers

    /// @notice Stakes `amount` of the staking token (requires prior approval).
    /// @param amount Staking token base units (non-zero).
    function stake(uint256 amount) external nonReentrant whenNotPaused updateReward(msg.sender) {
        if (amount == 0) revert ZeroAmount();
        totalStaked += amount;
        _balances[msg.sender] += amount;
        stakingToken.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(msg.sender, amount);
    }

    /// @notice Withdraws `amount` of the caller's principal. Works while paused.
    /// @param amount Staking token base units (non-zero, at most the caller's stake).
    function withdraw(uint256 amount) external nonReentrant updateReward(msg.sender) {
        _withdraw(amount);
    }

    /// @notice Pays the caller's accrued rewards, as far as the vault's free reward balance allows. Works while
    ///         paused.
    function getReward() external nonReentrant updateReward(msg.sender) {
        _payReward();
    }

    /// @notice Withdraws the caller's whole stake and claims rewards in one call. Works while paused.
    function exit() external nonReentrant updateReward(msg.sender) {
        uint256 staked = _balances[msg.sender];
        if (staked > 0) _withdraw(staked);
        _payReward();
    }

    // ------------------------------------------------------------------ privileged

    /// @notice Starts a new reward stream of `rate` units per second for `duration` seconds, replacing whatever
    ///         remains of the current one.
    /// @dev The vault must already hold `rate * duration` reward tokens beyond stakers' principal and beyond
    ///      rewards accrued but unpaid. Rewards streamed while nobody is staked are not accrued to anyone; they
    ///      stay in the vault and count as free balance for the next stream.
    /// @param rate Reward token base units per second (zero stops rewards).
    /// @param duration Stream length in seconds (non-zero).
    function setRewardRate(uint256 rate, uint256 duration)
        external
        onlyRole(RATE_SETTER_ROLE)
        updateReward(address(0))
    {
        if (duration == 0) revert ZeroDuration();
        uint256 required = rate * duration;
        uint256 available = freeRewardBalance();
        if (required > available) revert InsufficientRewardBalance(required, available);

        rewardRate = rate;
        lastUpdateTime = block.timestamp;
        periodFinish = block.timestamp + duration;
        emit RewardRateSet(rate, duration, periodFinish);
    }

    /// @notice Stops new stakes. Withdrawals and claims keep working.
    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    /// @notice Re-enables staking.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @notice Sends everything of `token` the vault holds except stakers' principal to `to`.
    /// @dev Taking the reward token also ends the running stream at the current time, so no further unfunded
    ///      rewards accrue; rewards accrued so far stay owed to stakers.
    /// @param token Any ERC-20 held by the vault.
    /// @param to Recipient (must not be the zero address).
    function emergencyWithdraw(address token, address to)
        external
        onlyRole(GUARDIAN_ROLE)
        nonReentrant
        updateReward(address(0))
    {
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = IERC20(token).balanceOf(address(this));
        if (token == address(stakingToken)) amount -= totalStaked;
        if (amount == 0) revert NothingToWithdraw(token);

        if (token == address(rewardToken) && periodFinish > block.timestamp) {
            periodFinish = block.timestamp;
            emit RewardPeriodEnded(block.timestamp);
        }
        IERC20(token).safeTransfer(to, amount);
        emit EmergencyWithdrawal(token, to, amount);
    }

    // ------------------------------------------------------------------ views

    /// @notice Principal staked by `account`.
    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    /// @notice The stream's effective "now": the current time, capped at `periodFinish`.
    function lastTimeRewardApplicable() public view returns (uint256) {
        return block.timestamp < periodFinish ? block.timestamp : periodFinish;
    }

    /// @notice Accumulated rewards per staked token, scaled by 1e18.
    function rewardPerToken() public view returns (uint256) {
        if (totalStaked == 0) return rewardPerTokenStored;
        return rewardPerTokenStored + (_pendingEmission() * PRECISION) / totalStaked;
    }

    /// @notice Rewards `account` has accrued and not been paid.
    function earned(address account) public view returns (uint256) {
        return
            rewards[account] + (_balances[account] * (rewardPerToken() - userRewardPerTokenPaid[account])) / PRECISION;
    }

    /// @notice Reward tokens held beyond principal and beyond accrued-but-unpaid rewards: what a new stream may
    ///         use. Saturates at zero when the vault is underfunded (e.g. after an emergency withdrawal).
    function freeRewardBalance() public view returns (uint256) {
        uint256 reserved = _rewardReserve() + unpaidRewards + (totalStaked == 0 ? 0 : _pendingEmission());
        uint256 balance = rewardToken.balanceOf(address(this));
        return balance > reserved ? balance - reserved : 0;
    }

    // ------------------------------------------------------------------ internals

    function _updateReward(address account) private {
        if (totalStaked != 0) {
            uint256 emission = _pendingEmission();
            rewardPerTokenStored += (emission * PRECISION) / totalStaked;
            unpaidRewards += emission;
        }
        lastUpdateTime = lastTimeRewardApplicable();
        if (account != address(0)) {
            rewards[account] = earned(account);
            userRewardPerTokenPaid[account] = rewardPerTokenStored;
        }
    }

    /// @dev Rewards streamed since `lastUpdateTime` and not yet folded into `rewardPerTokenStored`.
    function _pendingEmission() private view returns (uint256) {
        uint256 applicable = lastTimeRewardApplicable();
        // `lastUpdateTime` can exceed `periodFinish` when the stream ended before the last update.
        return applicable > lastUpdateTime ? (applicable - lastUpdateTime) * rewardRate : 0;
    }

    /// @dev Part of the reward-token balance that is stakers' principal (only when both tokens are the same).
    function _rewardReserve() private view returns (uint256) {
        return address(rewardToken) == address(stakingToken) ? totalStaked : 0;
    }

    function _withdraw(uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        uint256 staked = _balances[msg.sender];
        if (amount > staked) revert InsufficientStake(amount, staked);
        _balances[msg.sender] = staked - amount;
        totalStaked -= amount;
        stakingToken.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @dev Pays as much of the caller's reward as the free balance (excluding principal) covers; the rest stays
    ///      owed. Never reverts for lack of funds, so `exit` can always return principal.
    function _payReward() private {
        uint256 owed = rewards[msg.sender];
        if (owed == 0) return;
        uint256 balance = rewardToken.balanceOf(address(this));
        uint256 reserve = _rewardReserve();
        uint256 available = balance > reserve ? balance - reserve : 0;
        uint256 paid = owed < available ? owed : available;
        if (paid == 0) return;

        rewards[msg.sender] = owed - paid;
        unpaidRewards -= paid;
        rewardToken.safeTransfer(msg.sender, paid);
        emit RewardPaid(msg.sender, paid);
    }
}
