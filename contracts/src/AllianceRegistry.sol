// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title AllianceRegistry
/// @notice On-chain list of the communities in the alliance: each member has a name, its community token, its
///         treasury (the member's key) and a weight in basis points used to split shared fees.
/// @dev The sum of all weights never exceeds 10_000 bps, so weight-based splits can never pay out more than 100%.
contract AllianceRegistry is AccessControl {
    /// @notice Role allowed to admit and remove members and change weights.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice 100% in basis points: the cap for a single weight and for the sum of all weights.
    uint16 public constant MAX_BPS = 10_000;
    /// @notice Maximum number of members, so that iterating over them (e.g. in FeeSplitter) has bounded gas.
    uint256 public constant MAX_MEMBERS = 64;

    /// @notice A member community. `treasury` is its unique key; `weightBps` its share of fees in basis points.
    struct Member {
        string name;
        address token;
        address treasury;
        uint16 weightBps;
    }

    /// @dev Members in admission order (order changes on removal: the last member takes the removed slot).
    Member[] private _members;
    /// @dev Treasury => position in `_members` plus one; zero means "not a member".
    mapping(address treasury => uint256 indexPlusOne) private _positions;

    /// @notice Sum of the weights of all current members, in basis points.
    uint256 public totalWeightBps;

    /// @notice Emitted when a community joins.
    event MemberAdmitted(address indexed treasury, address indexed token, string name, uint16 weightBps);
    /// @notice Emitted when a community leaves.
    event MemberRemoved(address indexed treasury);
    /// @notice Emitted when a member's weight changes.
    event MemberWeightChanged(address indexed treasury, uint16 oldWeightBps, uint16 newWeightBps);

    /// @notice `treasury` is already registered.
    error AlreadyMember(address treasury);
    /// @notice `treasury` is not registered.
    error NotMember(address treasury);
    /// @notice A member name must not be empty.
    error EmptyName();
    /// @notice An address argument was the zero address.
    error ZeroAddress();
    /// @notice A single weight above MAX_BPS was given.
    error WeightTooHigh(uint16 weightBps);
    /// @notice The change would take the sum of weights to `total`, above MAX_BPS.
    error TotalWeightExceeded(uint256 total);
    /// @notice The registry already holds MAX_MEMBERS members.
    error TooManyMembers(uint256 max);

    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants REGISTRAR_ROLE).
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Adds a member community.
    /// @param name Human-readable name (non-empty).
    /// @param token The community's token (non-zero).
    /// @param treasury The community's treasury; identifies the member (non-zero, not yet registered).
    /// @param weightBps Share of alliance fees in basis points; the sum over all members must stay <= MAX_BPS.
    function admitMember(string calldata name, address token, address treasury, uint16 weightBps)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        if (bytes(name).length == 0) revert EmptyName();
        if (token == address(0) || treasury == address(0)) revert ZeroAddress();
        if (_positions[treasury] != 0) revert AlreadyMember(treasury);
        if (_members.length >= MAX_MEMBERS) revert TooManyMembers(MAX_MEMBERS);
        _updateTotalWeight(totalWeightBps + weightBps, weightBps);

        _members.push(Member({name: name, token: token, treasury: treasury, weightBps: weightBps}));
        _positions[treasury] = _members.length;
        emit MemberAdmitted(treasury, token, name, weightBps);
    }

    /// @notice Removes a member community; its weight is released for others.
    /// @param treasury The member's treasury address.
    function removeMember(address treasury) external onlyRole(REGISTRAR_ROLE) {
        uint256 position = _positions[treasury];
        if (position == 0) revert NotMember(treasury);

        totalWeightBps -= _members[position - 1].weightBps;
        // Swap-and-pop keeps removal O(1); member order is not meaningful.
        uint256 last = _members.length;
        if (position != last) {
            Member storage moved = _members[last - 1];
            _members[position - 1] = moved;
            _positions[moved.treasury] = position;
        }
        _members.pop();
        delete _positions[treasury];
        emit MemberRemoved(treasury);
    }

    /// @notice Changes a member's weight.
    /// @param treasury The member's treasury address.
    /// @param weightBps New weight in basis points; the sum over all members must stay <= MAX_BPS.
    function setMemberWeight(address treasury, uint16 weightBps) external onlyRole(REGISTRAR_ROLE) {
        uint256 position = _positions[treasury];
        if (position == 0) revert NotMember(treasury);

        Member storage member = _members[position - 1];
        uint16 oldWeightBps = member.weightBps;
        _updateTotalWeight(totalWeightBps - oldWeightBps + weightBps, weightBps);
        member.weightBps = weightBps;
        emit MemberWeightChanged(treasury, oldWeightBps, weightBps);
    }

    /// @notice All current members.
    function getMembers() external view returns (Member[] memory) {
        return _members;
    }

    /// @notice The member registered under `treasury`; reverts with NotMember if there is none.
    function getMember(address treasury) external view returns (Member memory) {
        uint256 position = _positions[treasury];
        if (position == 0) revert NotMember(treasury);
        return _members[position - 1];
    }

    /// @notice Number of current members.
    function memberCount() external view returns (uint256) {
        return _members.length;
    }

    /// @notice Whether `treasury` identifies a current member.
    function isMember(address treasury) external view returns (bool) {
        return _positions[treasury] != 0;
    }

    /// @dev Validates a single weight and the resulting total before any state is written.
    function _updateTotalWeight(uint256 newTotal, uint16 weightBps) private {
        if (weightBps > MAX_BPS) revert WeightTooHigh(weightBps);
        if (newTotal > MAX_BPS) revert TotalWeightExceeded(newTotal);
        totalWeightBps = newTotal;
    }
}
