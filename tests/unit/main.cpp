#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "child_asserts.hpp"

#include <atomic>

namespace {

std::atomic<int> failed{0};

/// Counts failed assertions, so that a forked child can tell its parent that one of its CHECKs failed (the child's
/// doctest counts die with it): see child_asserts.hpp.
struct FailedAssertCounter : doctest::IReporter {
  explicit FailedAssertCounter(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData& a) override
  {
    if (a.m_failed)
      ++failed;
  }
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

} // namespace

REGISTER_LISTENER("failed-assert-counter", 0, FailedAssertCounter);

int cyberex::test::failed_assertions()
{
  return failed.load();
}
