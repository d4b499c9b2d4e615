#include "cyberex/model.hpp"

#include <doctest/doctest.h>

TEST_SUITE("model")
{
  TEST_CASE("enum names round-trip")
  {
    using namespace cyberex;
    CHECK(std::string(to_string(NodeKind::switch_)) == "switch");
    CHECK(node_kind_from_string("switch") == NodeKind::switch_);
    CHECK(node_kind_from_string("engineering_workstation") == NodeKind::engineering_workstation);
    CHECK_FALSE(node_kind_from_string("Switch").has_value());
    CHECK(action_type_from_string("manual_operations") == ActionType::manual_operations);
    CHECK(std::string(to_string(StepEffect::exfiltrate)) == "exfiltrate");
    CHECK(team_role_from_string("white_cell") == TeamRole::white_cell);
    CHECK_FALSE(access_from_string("root").has_value());
  }
}
