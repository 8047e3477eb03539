// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title AllianceTimelock
/// @notice Executor of governance decisions: proposals that pass the AllianceGovernor wait `minDelay` seconds here
///         before they can run, giving members time to react. Holds the admin roles of alliance contracts.
/// @dev A named subclass so that deployments and artifacts have a stable, project-specific contract name.
contract AllianceTimelock is TimelockController {
    /// @param minDelay Initial minimum delay in seconds for scheduled operations.
    /// @param proposers Accounts granted PROPOSER_ROLE and CANCELLER_ROLE (normally just the governor).
    /// @param executors Accounts granted EXECUTOR_ROLE; include address(0) to let anyone execute ready operations.
    /// @param admin Optional extra DEFAULT_ADMIN_ROLE holder for initial setup; address(0) for none.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
