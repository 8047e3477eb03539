// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AllianceToken} from "../src/AllianceToken.sol";
import {DevToken} from "../src/devnet/DevToken.sol";
import {TestBase} from "./utils/TestBase.sol";

contract AllianceTokenTest is TestBase {
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    AllianceToken internal token;
    uint256 internal holderKey = uint256(keccak256("holder"));
    address internal holder = vm.addr(holderKey);
    address internal spender = makeAddr("spender");
    address internal delegatee = makeAddr("delegatee");

    function setUp() public {
        vm.roll(10);
        token = new AllianceToken(holder, 1_000_000e18);
    }

    function test_metadataAndSupply() public view {
        vm.assertEq(token.name(), "Alliance", "name");
        vm.assertEq(token.symbol(), "ALLY", "symbol");
        vm.assertEq(uint256(token.decimals()), 18, "decimals");
        vm.assertEq(token.totalSupply(), 1_000_000e18, "supply");
        vm.assertEq(token.balanceOf(holder), 1_000_000e18, "holder");
        vm.assertEq(token.CLOCK_MODE(), "mode=blocknumber&from=default", "block clock");
        vm.assertEq(uint256(token.clock()), block.number, "clock");
    }

    function test_votesFollowDelegationAndTransfers() public {
        vm.assertEq(token.getVotes(holder), 0, "no votes before delegating");
        vm.prank(holder);
        token.delegate(delegatee);
        vm.assertEq(token.getVotes(delegatee), 1_000_000e18, "delegated");

        vm.roll(block.number + 1);
        vm.prank(holder);
        token.transfer(spender, 400_000e18);
        vm.assertEq(token.getVotes(delegatee), 600_000e18, "moves with transfers");
        vm.assertEq(token.getPastVotes(delegatee, block.number - 1), 1_000_000e18, "checkpointed");
        vm.assertEq(token.getPastTotalSupply(block.number - 1), 1_000_000e18, "past supply");
    }

    function test_permit() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, holder, spender, 5e18, 0, deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(holderKey, digest);

        token.permit(holder, spender, 5e18, deadline, v, r, s);
        vm.assertEq(token.allowance(holder, spender), 5e18, "allowance");
        vm.assertEq(token.nonces(holder), 1, "nonce used");

        // A replayed signature no longer matches the nonce.
        vm.expectRevert();
        token.permit(holder, spender, 5e18, deadline, v, r, s);
    }

    function test_constructor_rejectsZeroHolder() public {
        vm.expectRevert();
        new AllianceToken(address(0), 1);
    }
}

contract DevTokenTest is TestBase {
    function test_decimalsAndSupply() public {
        address holder = makeAddr("holder");
        DevToken usd = new DevToken("Alliance USD", "aUSD", 6, holder, 1_000e6);
        DevToken play = new DevToken("Play", "PLAY", 18, holder, 1e24);
        vm.assertEq(uint256(usd.decimals()), 6, "aUSD decimals");
        vm.assertEq(usd.symbol(), "aUSD", "symbol");
        vm.assertEq(usd.balanceOf(holder), 1_000e6, "minted");
        vm.assertEq(uint256(play.decimals()), 18, "PLAY decimals");
        vm.assertEq(play.totalSupply(), 1e24, "supply");
    }
}
