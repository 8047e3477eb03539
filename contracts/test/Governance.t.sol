// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

import {AllianceGovernor} from "../src/AllianceGovernor.sol";
import {AllianceTimelock} from "../src/AllianceTimelock.sol";
import {AllianceToken} from "../src/AllianceToken.sol";
import {AllianceTreasury} from "../src/AllianceTreasury.sol";
import {DevToken} from "../src/devnet/DevToken.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @dev Deploys the governance stack the way the devnet does (token -> timelock -> governor, governor as the only
///      proposer/canceller, open execution, timelock as treasury admin) and drives proposals through it.
contract GovernanceTest is TestBase {
    event EpochBudgetSet(address indexed token, uint256 budget);

    uint256 internal constant SUPPLY = 100_000_000e18;
    uint256 internal constant MIN_DELAY = 2 days;
    uint48 internal constant VOTING_DELAY = 1; // blocks
    uint32 internal constant VOTING_PERIOD = 50; // blocks
    uint256 internal constant THRESHOLD = 1_000e18;
    uint256 internal constant QUORUM_PERCENT = 4;

    AllianceToken internal token;
    AllianceTimelock internal timelock;
    AllianceGovernor internal governor;
    AllianceTreasury internal treasury;
    DevToken internal usd;

    address internal deployer = makeAddr("deployer");
    address internal whale = makeAddr("whale");
    address internal minnow = makeAddr("minnow");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        vm.roll(100);
        vm.warp(1_700_000_000);
        vm.startPrank(deployer);
        token = new AllianceToken(whale, SUPPLY);
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1); // address(0): anyone may execute ready operations
        timelock = new AllianceTimelock(MIN_DELAY, none, anyone, deployer);
        governor = new AllianceGovernor(token, timelock, VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM_PERCENT);
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        // Hand the timelock to governance: the deployer keeps no power.
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer);

        treasury = new AllianceTreasury(address(timelock), 30 days);
        usd = new DevToken("Alliance USD", "aUSD", 6, address(treasury), 1_000_000e6);
        vm.stopPrank();

        vm.prank(whale);
        token.transfer(minnow, 10e18); // below the proposal threshold
        vm.prank(whale);
        token.delegate(whale);
        vm.roll(block.number + 1); // voting power is read at past blocks
    }

    // ------------------------------------------------------------------ wiring

    function test_timelock_roleWiring() public view {
        vm.assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)), "governor proposes");
        vm.assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)), "governor cancels");
        vm.assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)), "open execution");
        vm.assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)), "self-administered");
        vm.assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), deployer), "deployer renounced");
        vm.assertFalse(timelock.hasRole(timelock.PROPOSER_ROLE(), deployer), "deployer cannot propose");
        vm.assertEq(timelock.getMinDelay(), MIN_DELAY, "min delay");
        vm.assertEq(governor.timelock(), address(timelock), "governor timelock");
        vm.assertTrue(treasury.hasRole(treasury.DEFAULT_ADMIN_ROLE(), address(timelock)), "timelock owns treasury");
    }

    function test_timelock_constructorGrantsGivenRoles() public {
        address[] memory proposers = new address[](1);
        proposers[0] = whale;
        address[] memory executors = new address[](1);
        executors[0] = minnow;
        AllianceTimelock t = new AllianceTimelock(1 hours, proposers, executors, address(0));
        vm.assertTrue(t.hasRole(t.PROPOSER_ROLE(), whale), "proposer");
        vm.assertTrue(t.hasRole(t.CANCELLER_ROLE(), whale), "proposers can cancel");
        vm.assertTrue(t.hasRole(t.EXECUTOR_ROLE(), minnow), "executor");
        vm.assertFalse(t.hasRole(t.EXECUTOR_ROLE(), address(0)), "execution not open");
        vm.assertFalse(t.hasRole(t.DEFAULT_ADMIN_ROLE(), address(this)), "no external admin");
        vm.assertEq(t.getMinDelay(), 1 hours, "delay");
    }

    function test_timelock_refusesDirectUse() public {
        bytes memory call = abi.encodeCall(AllianceTreasury.setEpochBudget, (address(usd), 1));
        bytes32 proposerRole = timelock.PROPOSER_ROLE();
        bytes32 cancellerRole = timelock.CANCELLER_ROLE();
        bytes32 adminRole = timelock.DEFAULT_ADMIN_ROLE();

        expectUnauthorized(whale, proposerRole);
        vm.prank(whale);
        timelock.schedule(address(treasury), 0, call, bytes32(0), bytes32(0), MIN_DELAY);

        expectUnauthorized(deployer, cancellerRole);
        vm.prank(deployer);
        timelock.cancel(bytes32(0));

        expectUnauthorized(deployer, adminRole);
        vm.prank(deployer);
        timelock.grantRole(proposerRole, deployer);

        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, stranger));
        vm.prank(stranger);
        timelock.updateDelay(0);
    }

    function test_treasuryAdmin_refusesEveryoneButTimelock() public {
        bytes32 adminRole = treasury.DEFAULT_ADMIN_ROLE();
        address[3] memory callers = [deployer, whale, address(governor)];
        for (uint256 i = 0; i < callers.length; ++i) {
            expectUnauthorized(callers[i], adminRole);
            vm.prank(callers[i]);
            treasury.setEpochBudget(address(usd), 1);
        }
    }

    // ------------------------------------------------------------------ governor

    function test_governor_settings() public view {
        vm.assertEq(governor.name(), "AllianceGovernor", "name");
        vm.assertEq(address(governor.token()), address(token), "token");
        vm.assertEq(governor.votingDelay(), VOTING_DELAY, "voting delay");
        vm.assertEq(governor.votingPeriod(), VOTING_PERIOD, "voting period");
        vm.assertEq(governor.proposalThreshold(), THRESHOLD, "threshold");
        vm.assertEq(governor.quorumNumerator(), QUORUM_PERCENT, "quorum numerator");
        vm.assertEq(governor.quorum(block.number - 1), (SUPPLY * QUORUM_PERCENT) / 100, "quorum");
        vm.assertEq(governor.CLOCK_MODE(), "mode=blocknumber&from=default", "block clock");
        vm.assertEq(governor.COUNTING_MODE(), "support=bravo&quorum=for,abstain", "counting");
        vm.assertTrue(governor.proposalNeedsQueuing(0), "timelocked");
    }

    function test_governor_settingsOnlyViaGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, whale));
        vm.prank(whale);
        governor.setVotingDelay(10);

        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, whale));
        vm.prank(whale);
        governor.updateQuorumNumerator(50);
    }

    function test_governor_proposalThreshold() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _budgetProposal(1);
        vm.prank(minnow);
        token.delegate(minnow);
        vm.roll(block.number + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, minnow, 10e18, THRESHOLD)
        );
        vm.prank(minnow);
        governor.propose(targets, values, calldatas, "too small");
    }

    /// @dev The full lifecycle: propose -> vote -> queue -> wait -> execute, ending in a treasury admin call made
    ///      by the timelock.
    function test_governor_roundTripSetsTreasuryBudget() public {
        uint256 newBudget = 25_000e6;
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _budgetProposal(newBudget);
        string memory description = "Set the aUSD epoch budget to 25k";
        bytes32 descriptionHash = keccak256(bytes(description));

        vm.prank(whale);
        uint256 proposalId = governor.propose(targets, values, calldatas, description);
        vm.assertEq(uint256(governor.state(proposalId)), uint256(IGovernor.ProposalState.Pending), "pending");

        vm.roll(block.number + VOTING_DELAY + 1);
        vm.assertEq(uint256(governor.state(proposalId)), uint256(IGovernor.ProposalState.Active), "active");
        vm.prank(whale);
        governor.castVote(proposalId, 1); // For
        vm.prank(minnow);
        governor.castVote(proposalId, 0); // Against, with no delegated votes

        vm.roll(block.number + VOTING_PERIOD);
        vm.assertEq(uint256(governor.state(proposalId)), uint256(IGovernor.ProposalState.Succeeded), "succeeded");

        // Executing before queueing or before the delay has passed is refused.
        vm.expectRevert();
        governor.execute(targets, values, calldatas, descriptionHash);

        governor.queue(targets, values, calldatas, descriptionHash);
        vm.assertEq(uint256(governor.state(proposalId)), uint256(IGovernor.ProposalState.Queued), "queued");
        vm.assertEq(governor.proposalEta(proposalId), block.timestamp + MIN_DELAY, "eta");

        vm.warp(block.timestamp + MIN_DELAY - 1);
        vm.expectRevert();
        governor.execute(targets, values, calldatas, descriptionHash);

        vm.warp(block.timestamp + 1);
        vm.expectEmit(address(treasury));
        emit EpochBudgetSet(address(usd), newBudget);
        vm.prank(stranger); // execution is open once the timelock delay has passed
        governor.execute(targets, values, calldatas, descriptionHash);

        vm.assertEq(uint256(governor.state(proposalId)), uint256(IGovernor.ProposalState.Executed), "executed");
        vm.assertEq(treasury.epochBudget(address(usd)), newBudget, "budget set by governance");
    }

    function test_governor_defeatedWithoutQuorum() public {
        // The whale keeps only 1% of the supply delegated; quorum is 4%.
        vm.startPrank(whale);
        token.transfer(stranger, SUPPLY - 1_000_000e18 - 10e18);
        vm.stopPrank();
        vm.roll(block.number + 1);

        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _budgetProposal(1);
        vm.prank(whale);
        uint256 proposalId = governor.propose(targets, values, calldatas, "low turnout");
        vm.roll(block.number + VOTING_DELAY + 1);
        vm.prank(whale);
        governor.castVote(proposalId, 1);
        vm.roll(block.number + VOTING_PERIOD);
        vm.assertEq(uint256(governor.state(proposalId)), uint256(IGovernor.ProposalState.Defeated), "defeated");
    }

    function test_governor_codeFitsSizeLimit() public view {
        // EIP-170: 24_576 bytes of runtime code.
        vm.assertLt(address(governor).code.length, 24_576, "governor runtime size");
    }

    function _budgetProposal(uint256 budget)
        internal
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas)
    {
        targets = new address[](1);
        targets[0] = address(treasury);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = abi.encodeCall(AllianceTreasury.setEpochBudget, (address(usd), budget));
    }
}
