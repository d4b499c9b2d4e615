#include "cyberex/graphml.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

using namespace cyberex;

namespace {

Topology spec_for(const std::string& id)
{
  Topology t;
  t.id = id;
  t.site = id + "-site";
  return t;
}

// "line:col: severity: [code] message" without the file name (temporary paths differ between machines).
std::string brief(const Diagnostic& d)
{
  const char* sev = d.severity == Diagnostic::Severity::error     ? "error"
                    : d.severity == Diagnostic::Severity::warning ? "warning"
                                                                  : "note";
  return std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + sev + ": [" + d.code + "] " + d.message;
}

// One line per diagnostic, so that doctest prints a readable difference.
std::string briefs(const Diagnostics& diags)
{
  std::string out;
  for (const auto& d : diags.items())
    out += brief(d) + "\n";
  return out;
}

std::string lines(const std::vector<std::string>& v)
{
  std::string out;
  for (const auto& l : v)
    out += l + "\n";
  return out;
}

std::string write_temp(const std::string& name, const std::string& content)
{
  auto path = std::filesystem::temp_directory_path() / ("cyberex_graphml_test_" + name + ".graphml");
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

struct Imported {
  std::optional<ImportedTopology> topo;
  Diagnostics diags;
};

Imported import_text(const std::string& name, const std::string& content)
{
  Imported r;
  r.topo = import_graphml(write_temp(name, content), spec_for("t"), r.diags);
  return r;
}

const Node* find_node(const ImportedTopology& t, const std::string& id)
{
  for (const auto& n : t.nodes)
    if (n.id == id)
      return &n;
  return nullptr;
}

const Link* find_link(const ImportedTopology& t, const std::string& id)
{
  for (const auto& l : t.links)
    if (l.id == id)
      return &l;
  return nullptr;
}

const std::string KEYS = R"(<?xml version="1.0" encoding="utf-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.name="label" attr.type="string" for="node" id="d0" />
  <key attr.name="Latitude" attr.type="double" for="node" id="d1" />
  <key attr.name="Longitude" attr.type="double" for="node" id="d2" />
  <key attr.name="LinkSpeedRaw" attr.type="double" for="edge" id="d3" />
)";

} // namespace

TEST_SUITE("graphml")
{
  TEST_CASE("every Topology Zoo file imports with the right counts")
  {
    // Counts verified independently with Python's xml.etree (nodes, edges of the graph; no file has self-loops).
    struct Expected {
      const char* file;
      std::size_t nodes;
      std::size_t links;
      std::size_t located; // nodes with both Latitude and Longitude
    };
    const Expected expected[] = {
        {"Abilene", 11, 14, 11},       {"Arnes", 34, 47, 34},      {"Belnet2010", 22, 32, 19},
        {"Cesnet201006", 52, 63, 45},  {"Dfn", 58, 87, 51},        {"Esnet", 68, 92, 17},
        {"Funet", 26, 31, 24},         {"Garr201201", 61, 89, 48}, {"Geant2012", 40, 61, 37},
        {"Grnet", 37, 47, 34},         {"Heanet", 7, 13, 7},       {"Internet2", 20, 26, 0},
        {"Janetbackbone", 29, 45, 28}, {"Nordu2010", 18, 17, 7},   {"Rediris", 19, 32, 19},
        {"Renater2010", 43, 56, 37},   {"Surfnet", 50, 73, 50},    {"Switch", 74, 92, 47},
    };
    std::size_t files_on_disk = 0;
    for (const auto& entry : std::filesystem::directory_iterator("scenarios/topologies"))
      files_on_disk += entry.path().extension() == ".graphml" ? 1 : 0;
    CHECK(files_on_disk == std::size(expected));
    for (const auto& e : expected) {
      CAPTURE(std::string(e.file));
      Diagnostics diags;
      auto topo = import_graphml(std::string("scenarios/topologies/") + e.file + ".graphml", spec_for("z"), diags);
      REQUIRE(topo.has_value());
      for (const auto& d : diags.items())
        CHECK(d.severity == Diagnostic::Severity::note); // duplicate labels only
      CHECK(topo->nodes.size() == e.nodes);
      CHECK(topo->links.size() == e.links);
      std::set<std::string> ids;
      std::size_t located = 0;
      for (const auto& n : topo->nodes) {
        ids.insert(n.id);
        located += n.location ? 1 : 0;
        CHECK(n.kind == NodeKind::router);
        CHECK(n.site == "z-site");
        CHECK(n.imported_from == "z");
      }
      CHECK(ids.size() == e.nodes);
      CHECK(located == e.located);
      std::set<std::string> link_ids;
      for (const auto& l : topo->links) {
        link_ids.insert(l.id);
        CHECK(ids.count(l.a) == 1);
        CHECK(ids.count(l.b) == 1);
        CHECK(topo->nodes[static_cast<std::size_t>(l.a_index)].id == l.a);
        CHECK(topo->nodes[static_cast<std::size_t>(l.b_index)].id == l.b);
        CHECK(l.bandwidth > 0);
        CHECK(l.latency >= 0);
      }
      CHECK(link_ids.size() == e.links);
    }
  }

  TEST_CASE("coordinates, great-circle latency and link speed")
  {
    Diagnostics diags;
    Topology spec = spec_for("abilene");
    spec.default_bandwidth = 1e9;
    auto abilene = import_graphml("scenarios/topologies/Abilene.graphml", spec, diags);
    REQUIRE(abilene.has_value());
    const Node* ny = find_node(*abilene, "abilene:New York");
    REQUIRE(ny != nullptr);
    REQUIRE(ny->location.has_value());
    CHECK(ny->location->lat == doctest::Approx(40.71427).epsilon(1e-12));
    CHECK(ny->location->lon == doctest::Approx(-74.00597).epsilon(1e-12));
    CHECK(ny->name == "New York");
    // New York (40.71427, -74.00597) to Chicago (41.85003, -87.65005): haversine on R = 6371 km gives 1145.837 km,
    // i.e. 5.729186 ms at 2e8 m/s (computed in Python).
    const Link* ny_chi = find_link(*abilene, "abilene:New York--Chicago");
    REQUIRE(ny_chi != nullptr);
    CHECK(ny_chi->latency == doctest::Approx(0.00572918594).epsilon(1e-8));
    CHECK(ny_chi->bandwidth == 1e9); // no LinkSpeedRaw in Abilene

    Topology geant_spec = spec_for("geant");
    geant_spec.prefix = "eu";
    auto geant = import_graphml("scenarios/topologies/Geant2012.graphml", geant_spec, diags);
    REQUIRE(geant.has_value());
    const Link* nl_uk = find_link(*geant, "eu:NL--UK");
    REQUIRE(nl_uk != nullptr);
    CHECK(nl_uk->bandwidth == 2.5e9 / 8);
    CHECK(nl_uk->imported_from == "geant");
    const Link* nl_be = find_link(*geant, "eu:NL--BE");
    REQUIRE(nl_be != nullptr);
    CHECK(nl_be->bandwidth == 1.25e9); // the topology's default
    const Link* pl_ua = find_link(*geant, "eu:PL--UA");
    REQUIRE(pl_ua != nullptr);
    CHECK(pl_ua->latency == 5e-3); // UA has no coordinates: the topology's default
    CHECK(pl_ua->bandwidth == 1e9 / 8);

    // A quarter of a great circle: pi/2 * 6371 km = 10007.543 km, 50.0377 ms.
    CHECK(great_circle_latency({0, 0}, {0, 90}) == doctest::Approx(0.0500377).epsilon(1e-6));
    CHECK(great_circle_latency({10, 20}, {10, 20}) == 0);
    CHECK(great_circle_latency({90, 0}, {-90, 0}) == doctest::Approx(0.1000754).epsilon(1e-6));
  }

  TEST_CASE("duplicate labels, Topology Zoo junctions and parallel edges")
  {
    Diagnostics diags;
    auto dfn = import_graphml("scenarios/topologies/Dfn.graphml", spec_for("dfn"), diags);
    REQUIRE(dfn.has_value());
    CHECK(find_node(*dfn, "dfn:DeCix") != nullptr);
    CHECK(find_node(*dfn, "dfn:DeCix (2)") != nullptr);
    CHECK(find_node(*dfn, "dfn:Telekom (2)") != nullptr);
    CHECK(find_node(*dfn, "dfn:DeCix (3)") == nullptr);
    REQUIRE(diags.items().size() == 2);
    CHECK(diags.items()[0].severity == Diagnostic::Severity::note);
    CHECK(diags.items()[0].code == "graphml.duplicate-label");

    Diagnostics d2;
    auto i2 = import_graphml("scenarios/topologies/Internet2.graphml", spec_for("internet2"), d2);
    REQUIRE(i2.has_value());
    CHECK(d2.items().empty());
    CHECK(find_node(*i2, "internet2:hyperedge-10") != nullptr);
    CHECK(find_node(*i2, "internet2:hyperedge-12") != nullptr);

    auto r = import_text("parallel", KEYS + R"(  <graph edgedefault="undirected">
    <node id="a"><data key="d0">A</data></node>
    <node id="b"><data key="d0">B</data></node>
    <node id="c"><data key="d0">A</data></node>
    <node id="d"><data key="d0">A (2)</data></node>
    <edge source="a" target="b"><data key="d3">1e10</data></edge>
    <edge source="a" target="b" />
    <edge source="b" target="b" />
    <edge source="c" target="d" />
  </graph>
</graphml>
)");
    REQUIRE(r.topo.has_value());
    REQUIRE(r.topo->nodes.size() == 4);
    // The second "A" cannot become "A (2)": a later node is labelled so; it becomes "A (3)".
    CHECK(r.topo->nodes[2].id == "t:A (3)");
    CHECK(r.topo->nodes[3].id == "t:A (2)");
    REQUIRE(r.topo->links.size() == 3);
    CHECK(r.topo->links[0].id == "t:A--B");
    CHECK(r.topo->links[0].bandwidth == 1.25e9);
    CHECK(r.topo->links[1].id == "t:A--B#2");
    CHECK(r.topo->links[2].id == "t:A (3)--A (2)");
    CHECK(briefs(r.diags) ==
          lines({
              "10:5: note: [graphml.duplicate-label] label 'A' is used by several nodes; node 'c' is "
              "imported as 'A (3)'",
              "14:5: note: [graphml.self-loop] edge from node 'b' to itself is skipped",
          }));
  }

  TEST_CASE("entities, comments, CDATA and defaults")
  {
    auto r = import_text("entities", R"(<?xml version="1.0"?>
<!-- a comment with <node id="x"/> inside -->
<graphml>
  <key attr.name="label" for="node" id="l"><default>Nowhere</default></key>
  <key attr.name="Latitude" for="node" id="la"/>
  <key attr.name="Longitude" for="node" id="lo"/>
  <graph edgedefault='directed'>
    <node id="n&amp;1"><data key="l">AT&amp;T &lt;core&gt; &#233;&#x41;&quot;&apos;</data></node>
    <node id="n2"><data key="l"><![CDATA[R&D <lab>]]></data><data key="la"> 48.5 </data><data key="lo">+2.25</data></node>
    <node id="n3"/>
    <edge source="n&amp;1" target="n2"/>
  </graph>
</graphml>)");
    REQUIRE(r.topo.has_value());
    CHECK(r.diags.items().empty());
    REQUIRE(r.topo->nodes.size() == 3);
    CHECK(r.topo->nodes[0].id == "t:AT&T <core> \xC3\xA9"
                                 "A\"'");
    CHECK(r.topo->nodes[1].id == "t:R&D <lab>");
    REQUIRE(r.topo->nodes[1].location.has_value());
    CHECK(r.topo->nodes[1].location->lat == 48.5);
    CHECK(r.topo->nodes[1].location->lon == 2.25);
    CHECK(r.topo->nodes[2].id == "t:Nowhere");
    CHECK(r.topo->links.size() == 1);
  }

  TEST_CASE("broken files give exact, located diagnostics")
  {
    struct Case {
      const char* name;
      std::string text;
      std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        {"unknown-node",
         KEYS + R"(  <graph edgedefault="undirected">
    <node id="0"><data key="d0">Paris</data></node>
    <edge source="0" target="7" />
  </graph>
</graphml>)",
         {"9:5: error: [graphml.unknown-node] edge refers to the unknown node '7'"}},
        {"missing-label",
         KEYS + R"(  <graph edgedefault="undirected">
    <node id="0"><data key="d0">Paris</data></node>
    <node id="1"><data key="d1">1.5</data></node>
    <node id="2"><data key="d0">  </data></node>
    <edge source="0" target="1" />
  </graph>
</graphml>)",
         {"9:5: error: [graphml.missing-label] node '1' has no label (a data with key attr.name=\"label\"); imported "
          "nodes are named by label",
          "10:5: error: [graphml.missing-label] node '2' has no label (a data with key attr.name=\"label\"); imported "
          "nodes are named by label"}},
        {"no-nodes",
         KEYS + "  <graph edgedefault=\"undirected\">\n  </graph>\n</graphml>\n",
         {"7:3: error: [graphml.no-nodes] the graph has no nodes"}},
        {"no-graph", KEYS + "</graphml>\n", {"2:1: error: [graphml.no-graph] no <graph> element in the file"}},
        {"truncated",
         KEYS + "  <graph edgedefault=\"undirected\">\n    <node id=\"0\"><data key=\"d0\">Par",
         {"8:36: error: [graphml.syntax] unexpected end of file: element <data> is not closed"}},
        {"truncated-tag",
         KEYS + "  <graph edgedefault=\"undirected\">\n    <node id=\"0",
         {"8:11: error: [graphml.syntax] unterminated value of the attribute 'id'"}},
        {"mismatched",
         KEYS + "  <graph>\n    <node id=\"0\"></edge>\n  </graph>\n</graphml>\n",
         {"8:18: error: [graphml.syntax] end tag </edge> does not match the open element <node>"}},
        {"bad-entity",
         KEYS + "  <graph>\n    <node id=\"0\"><data key=\"d0\">AT&T</data></node>\n",
         {"8:35: error: [graphml.syntax] '&' must start an entity reference such as &amp; (write '&amp;' for a "
          "literal '&')"}},
        {"unknown-entity",
         KEYS + "  <graph>\n    <node id=\"0\"><data key=\"d0\">&nbsp;</data></node>\n",
         {"8:33: error: [graphml.syntax] unknown entity '&nbsp;' (only &amp; &lt; &gt; &quot; &apos; and numeric "
          "references are supported)"}},
        {"binary",
         std::string("<graphml>\n  \x01\x02\x03", 15),
         {"2:3: error: [graphml.syntax] character U+0001 is not allowed in XML"}},
        {"latin1",
         "<graphml>\n <graph><node id=\"Z\xFCrich\"/></graph></graphml>",
         {"2:20: error: [graphml.syntax] invalid UTF-8 byte 0xFC (the file must be UTF-8 text)"}},
        {"empty", "", {"1:1: error: [graphml.syntax] no root element: the file is empty or has no XML element"}},
        {"not-graphml",
         "<?xml version=\"1.0\"?>\n<html><body/></html>",
         {"2:1: error: [graphml.not-graphml] the root element is <html>, expected <graphml>"}},
        {"doctype",
         "<!DOCTYPE graphml [<!ENTITY a \"aaaa\">]>\n<graphml/>",
         {"1:1: error: [graphml.syntax] DOCTYPE declarations are not supported in GraphML files"}},
        {"two-roots",
         "<graphml><graph><node id=\"a\"/></graph></graphml>\n<graphml/>",
         {"2:1: error: [graphml.syntax] content after the end of the root element"}},
        {"duplicates",
         KEYS + R"(  <key attr.name="x" for="node" id="d0" />
  <graph>
    <node id="0"><data key="d0">A</data></node>
    <node id="0"><data key="d0">B</data></node>
    <node id="1"><data key="d9">C</data><data key="d0">C</data></node>
    <node id="2"><data key="d1">north</data><data key="d2">200</data><data key="d0">D</data></node>
  </graph>
</graphml>)",
         {"7:33: error: [graphml.duplicate-key] key 'd0' is declared twice",
          "11:18: error: [graphml.unknown-key] data refers to the undeclared key 'd9'",
          "10:5: error: [graphml.duplicate-node] node id '0' is used twice",
          "12:18: warning: [graphml.bad-value] Latitude is 'north', expected a latitude in [-90, 90]; ignored",
          "12:45: warning: [graphml.bad-value] Longitude is '200', expected a longitude in [-180, 180]; ignored"}},
        {"missing-attributes",
         KEYS + R"(  <key for="node" />
  <graph edgedefault="sideways">
    <node><data key="d0">A</data></node>
    <node id="a"><data>A</data></node>
    <edge source="a" />
  </graph>
</graphml>)",
         {"7:3: error: [graphml.missing-attribute] <key> without an 'id' attribute",
          "8:10: error: [graphml.bad-value] edgedefault is 'sideways', expected 'directed' or 'undirected'",
          "9:5: error: [graphml.missing-attribute] <node> without an 'id' attribute",
          "10:18: error: [graphml.missing-attribute] <data> without a 'key' attribute",
          "11:5: error: [graphml.missing-attribute] <edge> without a 'target' attribute",
          "10:5: error: [graphml.missing-label] node 'a' has no label (a data with key attr.name=\"label\"); imported "
          "nodes are named by label"}},
    };
    for (const auto& c : cases) {
      CAPTURE(std::string(c.name));
      auto r = import_text(c.name, c.text);
      CHECK_FALSE(r.topo.has_value());
      CHECK(briefs(r.diags) == lines(c.expected));
      for (const auto& d : r.diags.items())
        CHECK(d.file == write_temp(c.name, c.text));
    }
  }

  TEST_CASE("hostile XML: entity bombs, external entities, deep nesting, truncation")
  {
    // Expat reads the file; the DOCTYPE is refused as soon as expat has read its name, before any declaration of
    // its internal subset, so no entity is ever declared, expanded or fetched.
    std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE graphml [\n  <!ENTITY lol0 \"lol\">\n";
    for (int i = 1; i < 10; ++i) {
      laughs += "  <!ENTITY lol" + std::to_string(i) + " \"";
      for (int k = 0; k < 10; ++k)
        laughs += "&lol" + std::to_string(i - 1) + ";";
      laughs += "\">\n";
    }
    laughs += "]>\n<graphml><graph><node id=\"a\"><data key=\"l\">&lol9;</data></node></graph></graphml>\n";
    const std::string doctype = "error: [graphml.syntax] DOCTYPE declarations are not supported in GraphML files";
    const std::string truncated_utf8 = "<graphml><graph><node id=\"Z\xC3"; // the 28th byte starts a 2-byte sequence
    std::string deep_ok = "<graphml><graph>";                              // 256 levels deep: the limit, accepted
    for (int i = 0; i < 254; ++i)
      deep_ok += "<x>";
    for (int i = 0; i < 254; ++i)
      deep_ok += "</x>";
    deep_ok += "</graph></graphml>";
    std::string deep = "<graphml>\n<graph>"; // 257 levels: the 255th <x> starts at column 8 + 254 * 3
    for (int i = 0; i < 300; ++i)
      deep += "<x>";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {laughs, "2:1: " + doctype},
        {"<!DOCTYPE graphml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
         "<graphml><graph><node id=\"&xxe;\"/></graph></graphml>",
         "1:1: " + doctype},
        {"<?xml version=\"1.0\"?>\n<!DOCTYPE graphml SYSTEM \"http://graphml.graphdrawing.org/dtds/graphml.dtd\">\n"
         "<graphml/>",
         "2:1: " + doctype},
        {"<!DOCTYPE graphml [<!ENTITY % pe SYSTEM \"http://example.org/evil.dtd\"> %pe;]><graphml/>",
         "1:1: " + doctype},
        {"<graphml><graph><node id=\"a&amp;&#65;&xxe;\"/></graph></graphml>",
         "1:38: error: [graphml.syntax] unknown entity '&xxe;' (only &amp; &lt; &gt; &quot; &apos; and numeric "
         "references are supported)"},
        {deep_ok, "1:10: error: [graphml.no-nodes] the graph has no nodes"},
        {deep, "2:770: error: [graphml.syntax] elements nested deeper than 256 levels"},
        {"<graphml><graph><node id=\"a\"><data key=\"d0\"><![CDATA[Par",
         "1:45: error: [graphml.syntax] unterminated CDATA section: '<![CDATA[' without ']]>'"},
        {"<graphml><!-- the backbone", "1:10: error: [graphml.syntax] unterminated comment: '<!--' without '-->'"},
        {"<graphml><?yed version",
         "1:10: error: [graphml.syntax] unterminated processing instruction: '<?' without '?>'"},
        {"<graphml><graph></gra", "1:17: error: [graphml.syntax] unexpected end of file inside the end tag </gra>"},
        {"<graphml><graph><node id=\"a\"/",
         "1:17: error: [graphml.syntax] unexpected end of file inside the tag <node>"},
        {"<graphml><graph>&am", "1:17: error: [graphml.syntax] '&' must start an entity reference such as &amp; "
                                "(write '&amp;' for a literal '&')"},
        {truncated_utf8, "1:28: error: [graphml.syntax] truncated UTF-8 sequence at the end of the file"},
        {"<graphml>\n<graph>\n", "3:1: error: [graphml.syntax] unexpected end of file: element <graph> is not closed"},
        {"<graphml", "1:1: error: [graphml.syntax] unexpected end of file inside the tag <graphml>"},
        {"<graphml><graph/><", "1:18: error: [graphml.syntax] unexpected end of file after '<'"},
        {"  \n ", "2:2: error: [graphml.syntax] no root element: the file is empty or has no XML element"},
    };
    for (const auto& [text, expected] : cases) {
      CAPTURE(text.substr(0, 80));
      Diagnostics diags;
      CHECK_FALSE(import_graphml_text("x.graphml", text, spec_for("t"), diags).has_value());
      CHECK(briefs(diags) == expected + "\n");
    }
  }

  TEST_CASE("expat's errors become messages that say what was expected")
  {
    // Columns count characters from 1 (expat counts bytes from 0); each position is that of the character named.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"<graphml><graph id=\"a\" id=\"b\"/></graphml>", "1:24: duplicate attribute 'id' in the tag <graph>"},
        {"<graphml><graph id=\"a<b\"/></graphml>",
         "1:22: '<' is not allowed in the value of the attribute 'id' (write '&lt;')"},
        {"<graphml><graph id=a/></graphml>", "1:20: expected a quoted value for the attribute 'id', found 'a'"},
        {"<graphml><graph id \"a\"/></graphml>", "1:20: expected '=' after the attribute name 'id', found '\"'"},
        {"<graphml><graph id=\"a\"edgedefault=\"directed\"/></graphml>",
         "1:23: expected whitespace before the attribute in the tag <graph>"},
        {"<graphml><graph / ></graphml>", "1:18: expected '>' after '/' in the tag <graph>, found a space"},
        {"<graphml>< graph/></graphml>", "1:11: expected an element name after '<', found a space"},
        {"<graphml><1graph/></graphml>", "1:11: expected an element name after '<', found '1'"},
        {"<graphml><gr!aph/></graphml>", "1:13: not well-formed XML: unexpected '!'"},
        {"<graphml><!ELEMENT x></graphml>", "1:10: unsupported markup '<!ELEMENT'"},
        {"<graphml>a]]>b</graphml>", "1:11: ']]>' is not allowed in text"},
        {"<graphml>&#0;</graphml>", "1:10: character reference '&#0;' is not an allowed XML character"},
        {"<graphml>&#xZZ;</graphml>", "1:10: bad character reference '&#xZZ;'"},
        {"</graphml>", "1:1: end tag </graphml> without a matching start tag"},
        {"  hello<graphml/>", "1:3: text before the root element: expected '<'"},
        {"<![CDATA[x]]><graphml/>", "1:1: CDATA section outside the root element"},
        {"<graphml/>&amp;", "1:11: content after the end of the root element"},
        {"<graphml/></graphml>", "1:11: content after the end of the root element"},
        {"\n<?xml version=\"1.0\"?><graphml/>",
         "2:1: the XML declaration '<?xml ...?>' is only allowed at the very start of the file"},
        {"<?xml version=1.0?><graphml/>", "1:15: malformed XML declaration: expected <?xml version=\"1.0\" ...?>"},
        {"<graphml>\xC0\xAF</graphml>", "1:10: overlong UTF-8 sequence starting with byte 0xC0"},
        {"<graphml>\xED\xA0\x80</graphml>", "1:10: character U+D800 is not allowed in XML"},
        {"<graphml>\xEF\xBF\xBE</graphml>", "1:10: character U+FFFE is not allowed in XML"},
        {"<graphml>\xE2\x28\xA1</graphml>",
         "1:10: invalid UTF-8 sequence starting with byte 0xE2 (the file must be UTF-8 text)"},
        {std::string("<graphml>\0</graphml>", 20), "1:10: character U+0000 is not allowed in XML"},
        // the declared encoding is ignored: GraphML files are UTF-8 (é in Latin-1 is the byte 0xE9)
        {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<graphml>Z\xE9rich</graphml>",
         "2:11: invalid UTF-8 sequence starting with byte 0xE9 (the file must be UTF-8 text)"},
        {std::string("\xFF\xFE<\0g\0/\0>\0", 10),
         "1:1: the file is UTF-16 text (it starts with a UTF-16 byte order mark); GraphML files must be UTF-8"},
    };
    for (const auto& [text, expected] : cases) {
      CAPTURE(text);
      Diagnostics diags;
      CHECK_FALSE(import_graphml_text("x.graphml", text, spec_for("t"), diags).has_value());
      CHECK(briefs(diags) == expected.substr(0, expected.find(' ')) + " error: [graphml.syntax]" +
                                 expected.substr(expected.find(' ')) + "\n");
    }
  }

  TEST_CASE("fixture files in tests/scenario/graphml")
  {
    Diagnostics diags;
    auto small = import_graphml("tests/scenario/graphml/small.graphml", spec_for("eu"), diags);
    REQUIRE(small.has_value());
    CHECK(diags.items().empty());
    REQUIRE(small->nodes.size() == 3);
    CHECK(small->nodes[2].id == "eu:Geneva");
    CHECK_FALSE(small->nodes[2].location.has_value());
    REQUIRE(small->links.size() == 3);
    // Paris (48.85341, 2.3488) to London (51.50853, -0.12574): 343.771 km, 1.718854 ms (Python haversine).
    CHECK(small->links[0].id == "eu:Paris--London");
    CHECK(small->links[0].latency == doctest::Approx(0.00171885443).epsilon(1e-8));
    CHECK(small->links[0].bandwidth == 1.25e9);
    CHECK(small->links[1].id == "eu:London--Geneva");
    CHECK(small->links[1].latency == 5e-3);

    const std::pair<const char*, const char*> broken[] = {
        {"truncated", "10:1: error: [graphml.syntax] unexpected end of file: element <data> is not closed\n"},
        {"unknown-node", "13:5: error: [graphml.unknown-node] edge refers to the unknown node '7'\n"},
        {"missing-label", "11:5: error: [graphml.missing-label] node '2' has no label (a data with key "
                          "attr.name=\"label\"); imported nodes are named by label\n"},
        {"no-nodes", "8:3: error: [graphml.no-nodes] the graph has no nodes\n"},
        {"binary", "1:1: error: [graphml.syntax] invalid UTF-8 byte 0x89 (the file must be UTF-8 text)\n"},
    };
    for (const auto& [name, expected] : broken) {
      CAPTURE(std::string(name));
      Diagnostics d;
      std::string path = std::string("tests/scenario/graphml/") + name + ".graphml";
      CHECK_FALSE(import_graphml(path, spec_for("eu"), d).has_value());
      CHECK(briefs(d) == expected);
      REQUIRE(!d.items().empty());
      CHECK(d.items()[0].file == path);
    }
  }

  TEST_CASE("unreadable and oversized files")
  {
    Diagnostics diags;
    CHECK_FALSE(import_graphml("scenarios/topologies/missing.graphml", spec_for("x"), diags).has_value());
    CHECK(briefs(diags) == lines({"0:0: error: [graphml.unreadable] cannot open the GraphML file"}));

    Diagnostics d2;
    CHECK_FALSE(import_graphml("scenarios/topologies", spec_for("x"), d2).has_value());
    REQUIRE(d2.items().size() == 1);
    CHECK(d2.items()[0].code == "graphml.unreadable");

    // 65 MiB of nodes: rejected by size before parsing.
    auto path = std::filesystem::temp_directory_path() / "cyberex_graphml_test_huge.graphml";
    {
      std::ofstream out(path, std::ios::binary);
      std::string chunk(1 << 20, ' ');
      for (int i = 0; i < 65; ++i)
        out << chunk;
    }
    Diagnostics d3;
    CHECK_FALSE(import_graphml(path.string(), spec_for("x"), d3).has_value());
    CHECK(briefs(d3) == lines({"0:0: error: [graphml.too-large] the file is 68157440 bytes; "
                               "GraphML files are limited to 67108864 bytes"}));
    std::filesystem::remove(path);
  }

  TEST_CASE("deep nesting and many nodes do not crash")
  {
    std::string deep = "<graphml><graph>";
    for (int i = 0; i < 100000; ++i)
      deep += "<x>";
    auto r = import_text("deep", deep);
    CHECK(briefs(r.diags) == lines({"1:779: error: [graphml.syntax] elements nested deeper than "
                                    "256 levels"}));

    std::string big = KEYS + "<graph>\n";
    for (int i = 0; i < 20000; ++i)
      big +=
          "<node id=\"" + std::to_string(i) + "\"><data key=\"d0\">n" + std::to_string(i % 1000) + "</data></node>\n";
    for (int i = 1; i < 20000; ++i)
      big += "<edge source=\"" + std::to_string(i - 1) + "\" target=\"" + std::to_string(i) + "\"/>\n";
    big += "</graph></graphml>\n";
    auto r2 = import_text("big", big);
    REQUIRE(r2.topo.has_value());
    CHECK(r2.topo->nodes.size() == 20000);
    CHECK(r2.topo->links.size() == 19999);
    CHECK(r2.topo->nodes[19999].id == "t:n999 (20)");
  }
}
