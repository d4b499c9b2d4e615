/* doctest assertions inside a forked child: the child's counts die with it, so a CHECK that failed there would pass
 * unseen. main.cpp counts failed assertions in every process; in_child compares the count before and after the
 * child's body and exits with CHILD_ASSERT_FAILED when it grew (the assertion's own message is on the child's
 * output); the parent then returns a "CHILD..." text that no expected value equals. */
#pragma once

namespace cyberex::test {

/// Assertions (CHECK, REQUIRE, ...) that failed in this process so far.
int failed_assertions();
/// The exit status of a child in which an assertion failed.
constexpr int CHILD_ASSERT_FAILED = 3;

} // namespace cyberex::test
