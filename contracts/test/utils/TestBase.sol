// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice The forge cheatcodes these tests use. forge implements them natively; this interface only declares them.
/// @dev The npm "forge-std" package (1.1.2) is an old unofficial copy: its Test.sol imports "ds-test/test.sol",
///      which the package does not ship, and its Vm lacks the assertion cheatcodes, `expectEmit()` without flags and
///      the invariant targeting API. Rather than download the real forge-std, the tests use this small base.
interface Vm {
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function deal(address account, uint256 newBalance) external;
    function label(address account, string calldata newLabel) external;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function expectEmit() external;
    function expectEmit(address emitter) external;
    function assertTrue(bool condition, string calldata error) external pure;
    function assertFalse(bool condition, string calldata error) external pure;
    function assertEq(uint256 left, uint256 right, string calldata error) external pure;
    function assertEq(address left, address right, string calldata error) external pure;
    function assertEq(bool left, bool right, string calldata error) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata error) external pure;
    function assertEq(string calldata left, string calldata right, string calldata error) external pure;
    function assertLe(uint256 left, uint256 right, string calldata error) external pure;
    function assertGe(uint256 left, uint256 right, string calldata error) external pure;
    function assertLt(uint256 left, uint256 right, string calldata error) external pure;
    function assertApproxEqAbs(uint256 left, uint256 right, uint256 maxDelta, string calldata error) external pure;
}

/// @notice Minimal replacement for forge-std's Test: cheatcode handle, fuzz-input bounding, labelled addresses and
///         the invariant targeting functions forge looks for (`targetContracts()`, `targetSelectors()`).
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev Same ABI as forge-std's StdInvariant.FuzzSelector, which forge decodes.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    /// @notice Called by forge: contracts whose functions invariant runs call.
    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    /// @notice Called by forge: restricts invariant runs to these selectors of the targeted contracts.
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSelector(address target, bytes4[] memory selectors) internal {
        _targetedSelectors.push(FuzzSelector({addr: target, selectors: selectors}));
    }

    /// @dev Maps `x` into [min, max]. Values already in range are kept as is, so the fuzzer's edge-case dictionary
    ///      (0, max, ...) still reaches the bounds.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        // max - min + 1 cannot overflow here: the full range [0, type(uint256).max] returned above.
        return min + (x % (max - min + 1));
    }

    /// @dev Deterministic address derived from `name`, labelled in traces.
    function makeAddr(string memory name) internal returns (address account) {
        account = vm.addr(uint256(keccak256(bytes(name))));
        vm.label(account, name);
    }

    /// @dev Expects the next call to revert with AccessControl's missing-role error.
    function expectUnauthorized(address account, bytes32 role) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role));
    }
}
