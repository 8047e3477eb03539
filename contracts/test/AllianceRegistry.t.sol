// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AllianceRegistry} from "../src/AllianceRegistry.sol";
import {TestBase} from "./utils/TestBase.sol";

contract AllianceRegistryTest is TestBase {
    event MemberAdmitted(address indexed treasury, address indexed token, string name, uint16 weightBps);
    event MemberRemoved(address indexed treasury);
    event MemberWeightChanged(address indexed treasury, uint16 oldWeightBps, uint16 newWeightBps);

    AllianceRegistry internal registry;

    address internal admin = makeAddr("admin");
    address internal registrar = makeAddr("registrar");
    address internal stranger = makeAddr("stranger");

    address internal tokenA = makeAddr("tokenA");
    address internal treasuryA = makeAddr("treasuryA");
    address internal tokenB = makeAddr("tokenB");
    address internal treasuryB = makeAddr("treasuryB");
    address internal tokenC = makeAddr("tokenC");
    address internal treasuryC = makeAddr("treasuryC");

    function setUp() public {
        registry = new AllianceRegistry(admin);
        bytes32 role = registry.REGISTRAR_ROLE();
        vm.prank(admin);
        registry.grantRole(role, registrar);
    }

    function test_constructor() public {
        vm.assertEq(registry.REGISTRAR_ROLE(), keccak256("REGISTRAR_ROLE"), "role id");
        vm.assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin), "admin");
        vm.assertFalse(registry.hasRole(registry.REGISTRAR_ROLE(), admin), "admin is not registrar by default");
        vm.assertEq(registry.memberCount(), 0, "empty");
        vm.expectRevert(AllianceRegistry.ZeroAddress.selector);
        new AllianceRegistry(address(0));
    }

    // ------------------------------------------------------------------ admitMember

    function test_admitMember_byRegistrar() public {
        vm.expectEmit(address(registry));
        emit MemberAdmitted(treasuryA, tokenA, "Alpha DAO", 4_000);
        vm.prank(registrar);
        registry.admitMember("Alpha DAO", tokenA, treasuryA, 4_000);

        vm.assertTrue(registry.isMember(treasuryA), "is member");
        vm.assertEq(registry.memberCount(), 1, "count");
        vm.assertEq(registry.totalWeightBps(), 4_000, "total weight");
        AllianceRegistry.Member memory m = registry.getMember(treasuryA);
        vm.assertEq(m.name, "Alpha DAO", "name");
        vm.assertEq(m.token, tokenA, "token");
        vm.assertEq(m.treasury, treasuryA, "treasury");
        vm.assertEq(uint256(m.weightBps), 4_000, "weight");
    }

    function test_admitMember_refusesOthers() public {
        bytes32 role = registry.REGISTRAR_ROLE();
        address[2] memory callers = [stranger, admin];
        for (uint256 i = 0; i < callers.length; ++i) {
            expectUnauthorized(callers[i], role);
            vm.prank(callers[i]);
            registry.admitMember("Alpha DAO", tokenA, treasuryA, 1);
        }
    }

    function test_admitMember_validation() public {
        vm.startPrank(registrar);
        vm.expectRevert(AllianceRegistry.EmptyName.selector);
        registry.admitMember("", tokenA, treasuryA, 1);
        vm.expectRevert(AllianceRegistry.ZeroAddress.selector);
        registry.admitMember("A", address(0), treasuryA, 1);
        vm.expectRevert(AllianceRegistry.ZeroAddress.selector);
        registry.admitMember("A", tokenA, address(0), 1);
        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.WeightTooHigh.selector, uint16(10_001)));
        registry.admitMember("A", tokenA, treasuryA, 10_001);

        registry.admitMember("A", tokenA, treasuryA, 6_000);
        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.AlreadyMember.selector, treasuryA));
        registry.admitMember("A again", tokenB, treasuryA, 1);
        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.TotalWeightExceeded.selector, uint256(10_001)));
        registry.admitMember("B", tokenB, treasuryB, 4_001);
        // Exactly 100% is fine, and zero-weight members are allowed.
        registry.admitMember("B", tokenB, treasuryB, 4_000);
        registry.admitMember("C", tokenC, treasuryC, 0);
        vm.stopPrank();
        vm.assertEq(registry.totalWeightBps(), 10_000, "full");
    }

    function test_admitMember_capsMemberCount() public {
        uint256 max = registry.MAX_MEMBERS();
        vm.startPrank(registrar);
        for (uint256 i = 1; i <= max; ++i) {
            registry.admitMember("m", address(uint160(i)), address(uint160(0x1000 + i)), 0);
        }
        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.TooManyMembers.selector, max));
        registry.admitMember("one too many", tokenA, treasuryA, 0);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ removeMember

    function test_removeMember_byRegistrar() public {
        _admitThree();

        vm.expectEmit(address(registry));
        emit MemberRemoved(treasuryA);
        vm.prank(registrar);
        registry.removeMember(treasuryA);

        vm.assertFalse(registry.isMember(treasuryA), "removed");
        vm.assertEq(registry.memberCount(), 2, "count");
        vm.assertEq(registry.totalWeightBps(), 3_000 + 2_000, "weight released");
        // Swap-and-pop: the last member moved into the freed slot and is still addressable.
        AllianceRegistry.Member[] memory members = registry.getMembers();
        vm.assertEq(members[0].treasury, treasuryC, "last moved to slot 0");
        vm.assertEq(members[1].treasury, treasuryB, "slot 1 unchanged");
        vm.assertEq(registry.getMember(treasuryC).name, "Gamma", "moved member lookup");

        // The freed weight and key can be reused.
        vm.prank(registrar);
        registry.admitMember("Alpha 2", tokenA, treasuryA, 5_000);
        vm.assertEq(registry.totalWeightBps(), 10_000, "refilled");
    }

    function test_removeMember_last() public {
        _admitThree();
        vm.startPrank(registrar);
        registry.removeMember(treasuryC);
        registry.removeMember(treasuryB);
        registry.removeMember(treasuryA);
        vm.stopPrank();
        vm.assertEq(registry.memberCount(), 0, "empty");
        vm.assertEq(registry.totalWeightBps(), 0, "no weight");
    }

    function test_removeMember_refusesOthersAndUnknown() public {
        _admitThree();
        bytes32 role = registry.REGISTRAR_ROLE();
        expectUnauthorized(stranger, role);
        vm.prank(stranger);
        registry.removeMember(treasuryA);

        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.NotMember.selector, stranger));
        vm.prank(registrar);
        registry.removeMember(stranger);
    }

    // ------------------------------------------------------------------ setMemberWeight

    function test_setMemberWeight_byRegistrar() public {
        _admitThree();
        vm.expectEmit(address(registry));
        emit MemberWeightChanged(treasuryB, 3_000, 1_000);
        vm.prank(registrar);
        registry.setMemberWeight(treasuryB, 1_000);
        vm.assertEq(uint256(registry.getMember(treasuryB).weightBps), 1_000, "weight");
        vm.assertEq(registry.totalWeightBps(), 5_000 + 1_000 + 2_000, "total");
    }

    function test_setMemberWeight_validation() public {
        _admitThree(); // 5000 + 3000 + 2000
        vm.startPrank(registrar);
        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.TotalWeightExceeded.selector, uint256(10_001)));
        registry.setMemberWeight(treasuryB, 3_001);
        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.WeightTooHigh.selector, uint16(10_001)));
        registry.setMemberWeight(treasuryB, 10_001);
        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.NotMember.selector, stranger));
        registry.setMemberWeight(stranger, 1);
        vm.stopPrank();

        bytes32 role = registry.REGISTRAR_ROLE();
        expectUnauthorized(admin, role);
        vm.prank(admin);
        registry.setMemberWeight(treasuryB, 1);
    }

    function test_getMember_unknownReverts() public {
        vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.NotMember.selector, treasuryA));
        registry.getMember(treasuryA);
    }

    // ------------------------------------------------------------------ fuzz

    /// @dev Admits members with arbitrary weights: each admission succeeds exactly when it keeps the total within
    ///      10_000 bps, and the stored total always equals the sum of the stored weights.
    function testFuzz_admit_totalWeightNeverExceedsMax(uint16[12] memory weights) public {
        uint256 expectedTotal;
        vm.startPrank(registrar);
        for (uint256 i = 0; i < weights.length; ++i) {
            // Bias towards valid weights while still hitting the per-member cap now and then.
            uint16 w = uint16(bound(weights[i], 0, 10_001));
            address treasury = address(uint160(0x1000 + i));
            if (w > 10_000) {
                vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.WeightTooHigh.selector, w));
            } else if (expectedTotal + w > 10_000) {
                vm.expectRevert(
                    abi.encodeWithSelector(AllianceRegistry.TotalWeightExceeded.selector, expectedTotal + w)
                );
            } else {
                expectedTotal += w;
            }
            registry.admitMember("m", address(uint160(i + 1)), treasury, w);
        }
        vm.stopPrank();
        _assertTotalMatchesMembers(expectedTotal);
    }

    /// @dev Random weight changes and removals keep the running total consistent and capped.
    function testFuzz_reweightAndRemove(uint16[6] memory newWeights, uint8 removeMask) public {
        _admitThree();
        address[3] memory treasuries = [treasuryA, treasuryB, treasuryC];
        vm.startPrank(registrar);
        for (uint256 i = 0; i < newWeights.length; ++i) {
            address treasury = treasuries[i % 3];
            uint16 w = uint16(bound(newWeights[i], 0, 10_000));
            uint256 others = registry.totalWeightBps() - registry.getMember(treasury).weightBps;
            if (others + w > 10_000) {
                vm.expectRevert(abi.encodeWithSelector(AllianceRegistry.TotalWeightExceeded.selector, others + w));
            }
            registry.setMemberWeight(treasury, w);
        }
        for (uint256 i = 0; i < 3; ++i) {
            if (removeMask & (1 << i) != 0) registry.removeMember(treasuries[i]);
        }
        vm.stopPrank();

        uint256 sum;
        AllianceRegistry.Member[] memory members = registry.getMembers();
        for (uint256 i = 0; i < members.length; ++i) {
            sum += members[i].weightBps;
        }
        _assertTotalMatchesMembers(sum);
    }

    function _assertTotalMatchesMembers(uint256 expectedTotal) internal view {
        AllianceRegistry.Member[] memory members = registry.getMembers();
        uint256 sum;
        for (uint256 i = 0; i < members.length; ++i) {
            sum += members[i].weightBps;
            vm.assertTrue(registry.isMember(members[i].treasury), "listed member is member");
        }
        vm.assertEq(members.length, registry.memberCount(), "count");
        vm.assertEq(sum, expectedTotal, "sum of weights");
        vm.assertEq(registry.totalWeightBps(), expectedTotal, "stored total");
        vm.assertLe(expectedTotal, registry.MAX_BPS(), "capped");
    }

    function _admitThree() internal {
        vm.startPrank(registrar);
        registry.admitMember("Alpha", tokenA, treasuryA, 5_000);
        registry.admitMember("Beta", tokenB, treasuryB, 3_000);
        registry.admitMember("Gamma", tokenC, treasuryC, 2_000);
        vm.stopPrank();
    }
}
