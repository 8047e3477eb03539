// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";

import {AllianceTimelock} from "../src/AllianceTimelock.sol";
import {AllianceToken} from "../src/AllianceToken.sol";
import {SequentialIdGovernor} from "../src/devnet/SequentialIdGovernor.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @dev The sequential-id test fixture, wired like the devnet's governance (governor as the only proposer/canceller,
///      open execution, deployer renounced): ids count 1, 2, …, the hash maps to the id, and a proposal runs its
///      whole lifecycle under its number.
contract SequentialIdGovernorTest is TestBase {
    event ProposalCreated(
        uint256 proposalId,
        address proposer,
        address[] targets,
        uint256[] values,
        string[] signatures,
        bytes[] calldatas,
        uint256 voteStart,
        uint256 voteEnd,
        string description
    );
    event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod);

    uint256 internal constant SUPPLY = 1_000_000e18;
    uint256 internal constant MIN_DELAY = 1 hours;
    uint48 internal constant VOTING_DELAY = 1; // blocks
    uint32 internal constant VOTING_PERIOD = 50; // blocks
    uint256 internal constant THRESHOLD = 1_000e18;
    uint256 internal constant QUORUM_PERCENT = 4;

    AllianceToken internal token;
    AllianceTimelock internal timelock;
    SequentialIdGovernor internal governor;

    address internal deployer = makeAddr("deployer");
    address internal whale = makeAddr("whale");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        vm.roll(100);
        vm.warp(1_700_000_000);
        vm.startPrank(deployer);
        token = new AllianceToken(whale, SUPPLY);
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1); // address(0): anyone may execute ready operations
        timelock = new AllianceTimelock(MIN_DELAY, none, anyone, deployer);
        governor = new SequentialIdGovernor(token, timelock, VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM_PERCENT);
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer);
        vm.stopPrank();

        vm.prank(whale);
        token.delegate(whale);
        vm.roll(block.number + 1); // voting power is read at past blocks
    }

    function test_idsAreSequential() public {
        vm.assertEq(governor.latestProposalId(), 0, "none yet");
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _votingPeriodProposal(100);
        string[] memory signatures = new string[](1);
        uint256 voteStart = block.number + VOTING_DELAY;

        vm.expectEmit(address(governor));
        emit ProposalCreated(
            1, whale, targets, values, signatures, calldatas, voteStart, voteStart + VOTING_PERIOD, "first"
        );
        vm.prank(whale);
        uint256 first = governor.propose(targets, values, calldatas, "first");
        vm.assertEq(first, 1, "first id");
        vm.assertEq(governor.latestProposalId(), 1, "latest after first");

        vm.prank(whale);
        uint256 second = governor.propose(targets, values, calldatas, "second");
        vm.assertEq(second, 2, "second id");
        vm.assertEq(governor.latestProposalId(), 2, "latest after second");
        vm.assertEq(governor.proposalProposer(2), whale, "stored under the id");
    }

    function test_hashMapsToId() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _votingPeriodProposal(100);
        bytes32 firstHash = keccak256(bytes("first"));
        bytes32 secondHash = keccak256(bytes("second"));
        uint256 hash1 = uint256(keccak256(abi.encode(targets, values, calldatas, firstHash)));

        // Before proposing: the hash is computable, the id does not exist yet.
        vm.assertEq(governor.hashProposal(targets, values, calldatas, firstHash), hash1, "hashProposal is the hash");
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorNonexistentProposal.selector, 0));
        governor.getProposalId(targets, values, calldatas, firstHash);

        vm.startPrank(whale);
        governor.propose(targets, values, calldatas, "first");
        governor.propose(targets, values, calldatas, "second");
        vm.stopPrank();

        vm.assertEq(governor.getProposalId(targets, values, calldatas, firstHash), 1, "first hash -> 1");
        vm.assertEq(governor.getProposalId(targets, values, calldatas, secondHash), 2, "second hash -> 2");
        vm.assertEq(governor.hashProposal(targets, values, calldatas, firstHash), hash1, "hash unchanged");
        vm.assertTrue(hash1 != 1, "hash is not the id");

        // The hash is not a proposal id.
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorNonexistentProposal.selector, hash1));
        governor.state(hash1);

        // Proposing the same actions and description again reuses the id and is refused as existing.
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector, 1, IGovernor.ProposalState.Pending, bytes32(0)
            )
        );
        vm.prank(whale);
        governor.propose(targets, values, calldatas, "first");
        vm.assertEq(governor.latestProposalId(), 2, "no id consumed");
    }

    /// @dev propose -> vote -> queue -> wait -> execute, the governor changing its own voting period through the
    ///      timelock; every read and vote uses the sequential id.
    function test_lifecycleById() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _votingPeriodProposal(100);
        string memory description = "Longer votes";
        bytes32 descriptionHash = keccak256(bytes(description));

        vm.prank(whale);
        uint256 id = governor.propose(targets, values, calldatas, description);
        vm.assertEq(id, 1, "id");
        vm.assertEq(uint256(governor.state(1)), uint256(IGovernor.ProposalState.Pending), "pending");

        vm.roll(block.number + VOTING_DELAY + 1);
        vm.assertEq(uint256(governor.state(1)), uint256(IGovernor.ProposalState.Active), "active");
        vm.prank(whale);
        governor.castVote(1, 1); // For
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(1);
        vm.assertEq(forVotes, SUPPLY, "for");
        vm.assertEq(against + abstain, 0, "no other votes");

        vm.roll(block.number + VOTING_PERIOD);
        vm.assertEq(uint256(governor.state(1)), uint256(IGovernor.ProposalState.Succeeded), "succeeded");

        vm.assertEq(governor.queue(targets, values, calldatas, descriptionHash), 1, "queue returns the id");
        vm.assertEq(uint256(governor.state(1)), uint256(IGovernor.ProposalState.Queued), "queued");
        vm.assertEq(governor.proposalEta(1), block.timestamp + MIN_DELAY, "eta");

        vm.warp(block.timestamp + MIN_DELAY);
        vm.expectEmit(address(governor));
        emit VotingPeriodSet(VOTING_PERIOD, 100);
        vm.prank(stranger); // execution is open once the timelock delay has passed
        vm.assertEq(governor.execute(targets, values, calldatas, descriptionHash), 1, "execute returns the id");

        vm.assertEq(uint256(governor.state(1)), uint256(IGovernor.ProposalState.Executed), "executed");
        vm.assertEq(governor.votingPeriod(), 100, "changed by governance");
    }

    function test_codeFitsSizeLimit() public view {
        // EIP-170: 24_576 bytes of runtime code.
        vm.assertLt(address(governor).code.length, 24_576, "governor runtime size");
    }

    function _votingPeriodProposal(uint32 period)
        internal
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas)
    {
        targets = new address[](1);
        targets[0] = address(governor);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = abi.encodeCall(GovernorSettings.setVotingPeriod, (period));
    }
}
