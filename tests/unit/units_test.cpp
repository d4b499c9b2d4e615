#include "cyberex/exercise_time.hpp"
#include "scenario/units.hpp"

#include <doctest/doctest.h>

using namespace cyberex::units;

TEST_SUITE("units")
{
  TEST_CASE("typed times: one reader for replay --at, gui-shot --time, the GUI's fields and the CLI's --until")
  {
    using cyberex::parse_exercise_time;
    CHECK(parse_exercise_time("5h20m") == 19200.0); // 5 x 3600 + 20 x 60
    CHECK(parse_exercise_time("90m") == 5400.0);
    CHECK(parse_exercise_time("3600") == 3600.0); // plain seconds
    CHECK(parse_exercise_time("90.5") == 90.5);
    CHECK(parse_exercise_time("5:20") == 19200.0);    // h:mm
    CHECK(parse_exercise_time("01:02:03") == 3723.0); // 3600 + 120 + 3
    CHECK(parse_exercise_time(" 1H 30M ") == 5400.0); // case and spaces next to a unit
    CHECK(parse_exercise_time("5 h") == 18000.0);
    CHECK(parse_exercise_time("1d2h") == 93600.0);
    CHECK(parse_exercise_time("H+5 M+20") == 19200.0); // an inject time
    CHECK(parse_exercise_time("0") == 0.0);
    for (const char* bad : {"", "  ", "5h20", "5x", "-1", "-1h", "1e3", "1 2h", "5m later", "soon", "5:60", "1:2:3:4",
                            ":30", "5.", ".5"}) {
      INFO(bad);
      CHECK_FALSE(parse_exercise_time(bad));
    }
    CHECK(cyberex::exercise_time_forms() ==
          R"(a time from the start such as "5h20m", "90m", "3600" (seconds) or "5:20")");
  }

  TEST_CASE("a time past the end of a journal: the end, and a note; before it: itself, no note")
  {
    // a 9 h journal asked at 10 h shows 9 h (32,400 s) and says so
    const auto past = cyberex::time_in_journal(36000, 32400);
    CHECK(past.time == 32400.0);
    CHECK(past.note == "10h00m00s is past the end of the journal (9h00m00s): showing 9h00m00s");
    const auto inside = cyberex::time_in_journal(19200, 32400);
    CHECK(inside.time == 19200.0);
    CHECK(inside.note.empty());
    const auto end = cyberex::time_in_journal(32400, 32400);
    CHECK(end.time == 32400.0);
    CHECK(end.note.empty());
    CHECK(cyberex::format_hms(5 * 3600 + 20 * 60 + 0.4) == "5h20m00s");
  }

  TEST_CASE("durations")
  {
    CHECK(parse_duration("90s") == 90.0);
    CHECK(parse_duration("500ms") == 0.5);
    CHECK(parse_duration("2h30m") == 9000.0);
    CHECK(parse_duration("1d") == 86400.0);
    CHECK(parse_duration("0.5h") == 1800.0);
    CHECK(parse_duration("1d2h") == 93600.0);
    CHECK(parse_duration("1h0m30s") == 3630.0);
    CHECK(parse_duration("0s") == 0.0);
    CHECK(parse_duration("0.1ms") == 1e-4); // correctly rounded: the same double as the literal
    CHECK(parse_duration("1m30s500ms") == 90.5);
    CHECK_FALSE(parse_duration("2 hours"));
    CHECK_FALSE(parse_duration("90"));
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("30m2h")); // units must decrease
    CHECK_FALSE(parse_duration("1h1h"));
    CHECK_FALSE(parse_duration("-1h"));
    CHECK_FALSE(parse_duration("1e3s"));
    CHECK_FALSE(parse_duration(".5h"));
    CHECK_FALSE(parse_duration("5.h"));
    CHECK_FALSE(parse_duration("1H"));
    CHECK_FALSE(parse_duration("1h "));
    CHECK_FALSE(parse_duration(" 1h"));
    CHECK_FALSE(parse_duration("1 h"));
  }

  TEST_CASE("bandwidth in bits per second becomes bytes per second")
  {
    CHECK(parse_bandwidth("100Mbps") == 12.5e6);
    CHECK(parse_bandwidth("10Gbps") == 1.25e9);
    CHECK(parse_bandwidth("1kbps") == 125.0);
    CHECK(parse_bandwidth("1Tbps") == 1.25e11);
    CHECK(parse_bandwidth("8bps") == 1.0);
    CHECK(parse_bandwidth("2.5Gbps") == 312.5e6);
    CHECK_FALSE(parse_bandwidth("100 Mbps"));
    CHECK_FALSE(parse_bandwidth("100MB"));
    CHECK_FALSE(parse_bandwidth("100mbps"));
    CHECK_FALSE(parse_bandwidth("100"));
  }

  TEST_CASE("data sizes, decimal and binary")
  {
    CHECK(parse_data("500MB") == 500e6);
    CHECK(parse_data("2GB") == 2e9);
    CHECK(parse_data("1kB") == 1000.0);
    CHECK(parse_data("1KiB") == 1024.0);
    CHECK(parse_data("1MiB") == 1048576.0);
    CHECK(parse_data("1GiB") == 1073741824.0);
    CHECK(parse_data("12B") == 12.0);
    CHECK(parse_data("1TB") == 1e12);
    CHECK_FALSE(parse_data("1KB"));
    CHECK_FALSE(parse_data("1kb"));
    CHECK_FALSE(parse_data("1Mbps"));
  }

  TEST_CASE("power and frequency")
  {
    CHECK(parse_power("200MW") == 200.0);
    CHECK(parse_power("500kW") == 0.5);
    CHECK(parse_power("1GW") == 1000.0);
    CHECK(parse_power("750W") == 0.00075);
    CHECK_FALSE(parse_power("200mw"));
    CHECK_FALSE(parse_power("200MWh"));
    CHECK(parse_frequency("50Hz") == 50.0);
    CHECK(parse_frequency("60Hz") == 60.0);
    CHECK_FALSE(parse_frequency("50hz"));
  }

  TEST_CASE("inject times: durations or relative D+ H+ M+ S+")
  {
    CHECK(parse_inject_time("D+1 H+3 M+45") == 86400.0 + 3 * 3600 + 45 * 60);
    CHECK(parse_inject_time("H+0 M+15") == 900.0);
    CHECK(parse_inject_time("M+0") == 0.0);
    CHECK(parse_inject_time("S+30") == 30.0);
    CHECK(parse_inject_time("D+2") == 172800.0);
    CHECK(parse_inject_time("H+1 S+5") == 3605.0);
    CHECK(parse_inject_time("15m") == 900.0);
    CHECK(parse_inject_time("2h30m") == 9000.0);
    CHECK_FALSE(parse_inject_time("M+45 H+3")); // fields in order
    CHECK_FALSE(parse_inject_time("H+1 H+2"));
    CHECK_FALSE(parse_inject_time("H+"));
    CHECK_FALSE(parse_inject_time("H+1.5"));
    CHECK_FALSE(parse_inject_time("X+1"));
    CHECK_FALSE(parse_inject_time("H+1,M+2"));
    CHECK_FALSE(parse_inject_time("H+1 "));
    CHECK_FALSE(parse_inject_time("+1"));
  }

  TEST_CASE("error messages name the expected forms")
  {
    CHECK(error_message(Quantity::duration, "\"2 hours\"") ==
          R"(expected a duration such as "90s", "15m", "2h30m"; got "2 hours")");
    CHECK(error_message(Quantity::bandwidth, "\"1G\"") ==
          R"(expected a bandwidth in bits per second such as "100Mbps", "10Gbps"; got "1G")");
    CHECK(error_message(Quantity::data, "5") == R"(expected a data size such as "500MB", "2GB", "64KiB"; got 5)");
    CHECK(error_message(Quantity::power, "\"5\"") == R"(expected a power such as "200MW", "500kW", "1GW"; got "5")");
    CHECK(error_message(Quantity::inject_time, "\"noon\"") ==
          R"(expected a time such as "15m", "2h30m" or "D+1 H+3 M+45"; got "noon")");
  }
}
