/* Names of the model's enum values as they are written in scenario files. One table per enum serves both
 * directions, so a name can never be spelt one way when written and another when read. */
#include "cyberex/model.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace cyberex {
namespace {

template <typename E, std::size_t N>
using Names = std::array<std::pair<E, const char*>, N>;

template <typename E, std::size_t N>
const char* name_of(const Names<E, N>& names, E value)
{
  for (const auto& [v, n] : names)
    if (v == value)
      return n;
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const Names<E, N>& names, const std::string& s)
{
  for (const auto& [v, n] : names)
    if (s == n)
      return v;
  return std::nullopt;
}

constexpr Names<NodeKind, 24> node_kinds{{{NodeKind::workstation, "workstation"},
                                          {NodeKind::server, "server"},
                                          {NodeKind::domain_controller, "domain_controller"},
                                          {NodeKind::mail_server, "mail_server"},
                                          {NodeKind::web_server, "web_server"},
                                          {NodeKind::dns_server, "dns_server"},
                                          {NodeKind::file_server, "file_server"},
                                          {NodeKind::database, "database"},
                                          {NodeKind::firewall, "firewall"},
                                          {NodeKind::router, "router"},
                                          {NodeKind::switch_, "switch"},
                                          {NodeKind::vpn_gateway, "vpn_gateway"},
                                          {NodeKind::plc, "plc"},
                                          {NodeKind::rtu, "rtu"},
                                          {NodeKind::hmi, "hmi"},
                                          {NodeKind::historian, "historian"},
                                          {NodeKind::engineering_workstation, "engineering_workstation"},
                                          {NodeKind::scada_server, "scada_server"},
                                          {NodeKind::generation_unit, "generation_unit"},
                                          {NodeKind::substation, "substation"},
                                          {NodeKind::pumping_station, "pumping_station"},
                                          {NodeKind::sensor_node, "sensor"},
                                          {NodeKind::internet, "internet"},
                                          {NodeKind::attacker, "attacker"}}};

constexpr Names<TeamRole, 4> team_roles{{{TeamRole::player, "player"},
                                         {TeamRole::white_cell, "white_cell"},
                                         {TeamRole::evaluator, "evaluator"},
                                         {TeamRole::observer, "observer"}}};

constexpr Names<Criticality, 4> criticalities{{{Criticality::low, "low"},
                                               {Criticality::medium, "medium"},
                                               {Criticality::high, "high"},
                                               {Criticality::critical, "critical"}}};

constexpr Names<Access, 4> accesses{
    {{Access::none, "none"}, {Access::user, "user"}, {Access::admin, "admin"}, {Access::system, "system"}}};

constexpr Names<StepEffect, 14> step_effects{{{StepEffect::compromise, "compromise"},
                                              {StepEffect::escalate, "escalate"},
                                              {StepEffect::credential, "credential"},
                                              {StepEffect::discover, "discover"},
                                              {StepEffect::persist, "persist"},
                                              {StepEffect::exfiltrate, "exfiltrate"},
                                              {StepEffect::manipulate, "manipulate"},
                                              {StepEffect::trip, "trip"},
                                              {StepEffect::shutdown, "shutdown"},
                                              {StepEffect::encrypt, "encrypt"},
                                              {StepEffect::deface, "deface"},
                                              {StepEffect::publish, "publish"},
                                              {StepEffect::destroy_backup, "destroy_backup"},
                                              {StepEffect::none, "none"}}};

constexpr Names<InjectType, 4> inject_types{{{InjectType::inject, "inject"},
                                             {InjectType::information, "information"},
                                             {InjectType::facilitation, "facilitation"},
                                             {InjectType::contingency, "contingency"}}};

constexpr Names<ActionType, 17> action_types{{{ActionType::isolate, "isolate"},
                                              {ActionType::reconnect, "reconnect"},
                                              {ActionType::block, "block"},
                                              {ActionType::patch, "patch"},
                                              {ActionType::reset_credentials, "reset_credentials"},
                                              {ActionType::restore, "restore"},
                                              {ActionType::manual_operations, "manual_operations"},
                                              {ActionType::shutdown_service, "shutdown_service"},
                                              {ActionType::restore_service, "restore_service"},
                                              {ActionType::share, "share"},
                                              {ActionType::report, "report"},
                                              {ActionType::communicate, "communicate"},
                                              {ActionType::public_statement, "public_statement"},
                                              {ActionType::close_breaker, "close_breaker"},
                                              {ActionType::refuel, "refuel"},
                                              {ActionType::filter_ddos, "filter_ddos"},
                                              {ActionType::stop_filtering, "stop_filtering"}}};

constexpr Names<Indicator::Type, 8> indicator_types{{{Indicator::Type::hash, "hash"},
                                                     {Indicator::Type::domain, "domain"},
                                                     {Indicator::Type::ip, "ip"},
                                                     {Indicator::Type::url, "url"},
                                                     {Indicator::Type::email, "email"},
                                                     {Indicator::Type::file, "file"},
                                                     {Indicator::Type::registry, "registry"},
                                                     {Indicator::Type::other, "other"}}};

} // namespace

const char* to_string(NodeKind k)
{
  return name_of(node_kinds, k);
}
const char* to_string(TeamRole r)
{
  return name_of(team_roles, r);
}
const char* to_string(Criticality c)
{
  return name_of(criticalities, c);
}
const char* to_string(Access a)
{
  return name_of(accesses, a);
}
const char* to_string(StepEffect e)
{
  return name_of(step_effects, e);
}
const char* to_string(InjectType t)
{
  return name_of(inject_types, t);
}
const char* to_string(ActionType t)
{
  return name_of(action_types, t);
}
const char* to_string(Indicator::Type t)
{
  return name_of(indicator_types, t);
}
std::optional<NodeKind> node_kind_from_string(const std::string& s)
{
  return value_of(node_kinds, s);
}
std::optional<TeamRole> team_role_from_string(const std::string& s)
{
  return value_of(team_roles, s);
}
std::optional<Criticality> criticality_from_string(const std::string& s)
{
  return value_of(criticalities, s);
}
std::optional<Access> access_from_string(const std::string& s)
{
  return value_of(accesses, s);
}
std::optional<StepEffect> step_effect_from_string(const std::string& s)
{
  return value_of(step_effects, s);
}
std::optional<InjectType> inject_type_from_string(const std::string& s)
{
  return value_of(inject_types, s);
}
std::optional<ActionType> action_type_from_string(const std::string& s)
{
  return value_of(action_types, s);
}
std::optional<Indicator::Type> indicator_type_from_string(const std::string& s)
{
  return value_of(indicator_types, s);
}

std::string exfiltrated_label(const Scenario& sc)
{
  std::vector<std::string> names;
  bool unnamed = false;
  for (const auto& c : sc.campaigns)
    for (const auto& st : c.steps)
      if (st.effect == StepEffect::exfiltrate) {
        if (st.data.empty())
          unnamed = true;
        else if (std::find(names.begin(), names.end(), st.data) == names.end())
          names.push_back(st.data);
      }
  if (unnamed || names.empty())
    names.push_back("data");
  std::string label;
  for (const auto& n : names)
    label += (label.empty() ? "" : ", ") + n;
  return label + " exfiltrated";
}

} // namespace cyberex
