// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AllianceRegistry} from "../src/AllianceRegistry.sol";
import {FeeSplitter} from "../src/FeeSplitter.sol";
import {DevToken} from "../src/devnet/DevToken.sol";
import {TestBase} from "./utils/TestBase.sol";

contract FeeSplitterTest is TestBase {
    event FeesDistributed(address indexed token, uint256 total, uint256 memberCount);
    event FeePaid(address indexed token, address indexed treasury, uint256 amount);
    event RegistryChanged(address oldRegistry, address newRegistry);

    address internal constant ETH = address(0);

    AllianceRegistry internal registry;
    FeeSplitter internal splitter;
    DevToken internal usd;

    address internal admin = makeAddr("admin");
    address internal stranger = makeAddr("stranger");
    address internal treasuryA = makeAddr("treasuryA");
    address internal treasuryB = makeAddr("treasuryB");
    address internal treasuryC = makeAddr("treasuryC");

    function setUp() public {
        registry = new AllianceRegistry(admin);
        splitter = new FeeSplitter(admin, registry);
        usd = new DevToken("Alliance USD", "aUSD", 6, address(this), 1e30);

        bytes32 role = registry.REGISTRAR_ROLE();
        vm.startPrank(admin);
        registry.grantRole(role, admin);
        registry.admitMember("Alpha", makeAddr("tokenA"), treasuryA, 5_000);
        registry.admitMember("Beta", makeAddr("tokenB"), treasuryB, 3_000);
        registry.admitMember("Gamma", makeAddr("tokenC"), treasuryC, 1_500);
        vm.stopPrank();
    }

    function test_constructor() public {
        vm.assertEq(address(splitter.registry()), address(registry), "registry");
        vm.assertTrue(splitter.hasRole(splitter.DEFAULT_ADMIN_ROLE(), admin), "admin");
        vm.expectRevert(FeeSplitter.ZeroAddress.selector);
        new FeeSplitter(address(0), registry);
        vm.expectRevert(FeeSplitter.ZeroAddress.selector);
        new FeeSplitter(admin, AllianceRegistry(address(0)));
    }

    function test_distribute_erc20ByWeight() public {
        usd.transfer(address(splitter), 1_000_001);

        // 95% is assigned; shares round down and the remainder stays for the next round.
        vm.expectEmit(address(splitter));
        emit FeePaid(address(usd), treasuryA, 500_000);
        vm.expectEmit(address(splitter));
        emit FeePaid(address(usd), treasuryB, 300_000);
        vm.expectEmit(address(splitter));
        emit FeePaid(address(usd), treasuryC, 150_000);
        vm.expectEmit(address(splitter));
        emit FeesDistributed(address(usd), 950_000, 3);
        vm.prank(stranger); // permissionless
        splitter.distribute(address(usd));

        vm.assertEq(usd.balanceOf(treasuryA), 500_000, "A");
        vm.assertEq(usd.balanceOf(treasuryB), 300_000, "B");
        vm.assertEq(usd.balanceOf(treasuryC), 150_000, "C");
        vm.assertEq(usd.balanceOf(address(splitter)), 50_001, "remainder stays");
    }

    function test_distribute_native() public {
        vm.deal(stranger, 10 ether);
        vm.prank(stranger);
        (bool ok,) = address(splitter).call{value: 10 ether}("");
        vm.assertTrue(ok, "ETH accepted");

        vm.expectEmit(address(splitter));
        emit FeePaid(ETH, treasuryA, 5 ether);
        vm.expectEmit(address(splitter));
        emit FeePaid(ETH, treasuryB, 3 ether);
        vm.expectEmit(address(splitter));
        emit FeePaid(ETH, treasuryC, 1.5 ether);
        vm.expectEmit(address(splitter));
        emit FeesDistributed(ETH, 9.5 ether, 3);
        splitter.distribute(ETH);

        vm.assertEq(treasuryA.balance, 5 ether, "A");
        vm.assertEq(address(splitter).balance, 0.5 ether, "remainder stays");
    }

    function test_distribute_skipsZeroShares() public {
        usd.transfer(address(splitter), 3); // 5000 bps of 3 = 1, 3000 bps = 0, 1500 bps = 0

        vm.expectEmit(address(splitter));
        emit FeePaid(address(usd), treasuryA, 1);
        vm.expectEmit(address(splitter));
        emit FeesDistributed(address(usd), 1, 3);
        splitter.distribute(address(usd));
        vm.assertEq(usd.balanceOf(treasuryB), 0, "B got nothing");
    }

    function test_distribute_revertsWhenNothingToDo() public {
        vm.expectRevert(abi.encodeWithSelector(FeeSplitter.NothingToDistribute.selector, address(usd)));
        splitter.distribute(address(usd));

        AllianceRegistry empty = new AllianceRegistry(admin);
        vm.prank(admin);
        splitter.setRegistry(empty);
        usd.transfer(address(splitter), 100);
        vm.expectRevert(FeeSplitter.NoMembers.selector);
        splitter.distribute(address(usd));
    }

    function test_setRegistry_byAdmin() public {
        AllianceRegistry next = new AllianceRegistry(admin);
        vm.expectEmit(address(splitter));
        emit RegistryChanged(address(registry), address(next));
        vm.prank(admin);
        splitter.setRegistry(next);
        vm.assertEq(address(splitter.registry()), address(next), "registry changed");
    }

    function test_setRegistry_refusesOthersAndZero() public {
        AllianceRegistry next = new AllianceRegistry(admin);
        bytes32 role = splitter.DEFAULT_ADMIN_ROLE();
        expectUnauthorized(stranger, role);
        vm.prank(stranger);
        splitter.setRegistry(next);

        vm.expectRevert(FeeSplitter.ZeroAddress.selector);
        vm.prank(admin);
        splitter.setRegistry(AllianceRegistry(address(0)));
    }

    /// @dev For any balance and any valid weights, each member gets exactly floor(balance * w / 10_000) and the sum
    ///      paid never exceeds the balance.
    function testFuzz_distribute_neverExceedsBalance(uint256 balance, uint16[5] memory weights) public {
        balance = bound(balance, 1, 1e30);
        AllianceRegistry reg = new AllianceRegistry(admin);
        bytes32 role = reg.REGISTRAR_ROLE();
        vm.startPrank(admin);
        reg.grantRole(role, admin);
        uint256 total;
        for (uint256 i = 0; i < weights.length; ++i) {
            uint16 w = uint16(bound(weights[i], 0, 10_000 - total));
            total += w;
            reg.admitMember("m", address(uint160(i + 1)), address(uint160(0x1000 + i)), w);
        }
        splitter.setRegistry(reg);
        vm.stopPrank();
        usd.transfer(address(splitter), balance);

        splitter.distribute(address(usd));

        uint256 paid;
        for (uint256 i = 0; i < weights.length; ++i) {
            AllianceRegistry.Member memory m = reg.getMember(address(uint160(0x1000 + i)));
            uint256 received = usd.balanceOf(m.treasury);
            vm.assertEq(received, (balance * m.weightBps) / 10_000, "member share");
            paid += received;
        }
        vm.assertLe(paid, balance, "never more than the balance");
        vm.assertEq(usd.balanceOf(address(splitter)), balance - paid, "remainder stays");
        vm.assertLe(paid, (balance * total) / 10_000, "within assigned weight");
    }
}
