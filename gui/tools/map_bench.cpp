/* Frame time of the network map: loads a scenario, lays it out, marks some nodes compromised, isolated, down and
 * degraded, and paints the full view and views being panned, offscreen (QT_QPA_PLATFORM=offscreen).
 *
 *   cyberex-map-bench SCENARIO [--width 1600] [--height 1000] [--frames 40]
 *
 * Prints one Markdown table row per measurement: paint time of MapView::paintEvent (mean, max) in ms. */
#include "map/map_view.hpp"
#include "state/exercise_state_model.hpp"

#include "cyberex/scenario.hpp"

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using cyberex::RecordType;
using cyberex::gui::ExerciseStateModel;
using cyberex::gui::MapView;

namespace {

struct Stats {
  double mean = 0, max = 0;
};

template <typename Step>
Stats frames(MapView& view, int count, Step&& step)
{
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    step(i);
    view.grab(); // a full paintEvent into a pixmap
    ms.push_back(view.lastPaintMs());
  }
  Stats s;
  for (double v : ms) {
    s.mean += v / static_cast<double>(ms.size());
    s.max = std::max(s.max, v);
  }
  return s;
}

} // namespace

int main(int argc, char** argv)
{
  if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: cyberex-map-bench SCENARIO [--width W] [--height H] [--frames N]\n");
    return 2;
  }
  int width = 1600, height = 1000, count = 40;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--width"))
      width = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--height"))
      height = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--frames"))
      count = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "cyberex-map-bench: unknown option '%s'\n", argv[i]);
      return 2;
    }
  }
  QElapsedTimer t;
  t.start();
  auto loaded = cyberex::load_scenario(argv[1]);
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics.items())
      std::fprintf(stderr, "%s\n", d.format().c_str());
    return 1;
  }
  const double loadS = static_cast<double>(t.nsecsElapsed()) / 1e9;
  const auto scenario = std::make_shared<const cyberex::Scenario>(std::move(*loaded.scenario));
  const cyberex::Scenario& s = *scenario;

  ExerciseStateModel model;
  MapView view;
  view.resize(width, height);
  t.restart();
  model.setScenario(scenario);
  view.setModel(&model);
  const double layoutS = static_cast<double>(t.nsecsElapsed()) / 1e9;

  // States on every 50th node (2 %), rotating through compromised, isolated, offline and down, folded by the model.
  t.restart();
  const RecordType types[] = {RecordType::node_compromised, RecordType::node_isolated, RecordType::node_offline,
                              RecordType::node_down};
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < s.nodes.size(); i += 50) {
    const RecordType type = types[(i / 50) % 4];
    ++seq;
    model.applyRecord(cyberex::Record(
        seq, 0, cyberex::RecordKind::event, type, cyberex::Audience{},
        std::string("{\"seq\":") + std::to_string(seq) + ",\"time\":0,\"kind\":\"event\"," + "\"type\":\"" +
            to_string(type) + "\",\"subject\":\"node:" + s.nodes[i].id + "\",\"details\":{\"campaign\":\"bench\"}}"));
  }
  const double applyMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
  t.restart();
  model.nodeConditions(); // what the first frame after those records derives from the fold
  const double conditionsMs = static_cast<double>(t.nsecsElapsed()) / 1e6;

  std::printf("scenario: %s: %zu nodes, %zu links, %zu sites; load %.2f s, setScenario (layout, index) %.2f s, "
              "%zu records folded in %.1f ms, node conditions derived in %.1f ms; view %dx%d\n",
              argv[1], s.nodes.size(), s.links.size(), s.sites.size(), loadS, layoutS, (s.nodes.size() + 49) / 50,
              applyMs, conditionsMs, width, height);
  std::printf("| view | frames | paint mean ms | paint max ms |\n|---|---:|---:|---:|\n");
  auto row = [&](const char* what, Stats st) {
    std::printf("| %s | %d | %.1f | %.1f |\n", what, count, st.mean, st.max);
  };

  view.fitAll();
  row("full view (every node)", frames(view, count, [](int) {}));
  row("full view, panning 20 px per frame", frames(view, count, [&](int) { view.panBy(QPointF(20, 0)); }));
  view.fitAll();
  view.setZoom(view.zoom() * 8);
  row("zoom x8, panning 20 px per frame", frames(view, count, [&](int) { view.panBy(QPointF(20, 10)); }));
  view.fitAll();
  view.setZoom(40); // node discs with names
  view.centerOn(view.nodePosition(QString::fromStdString(s.nodes[s.nodes.size() / 2].id)));
  row("zoom 40 px/unit (discs, labels), panning", frames(view, count, [&](int) { view.panBy(QPointF(15, 5)); }));
  return 0;
}
