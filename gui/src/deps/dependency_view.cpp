#include "deps/dependency_view.hpp"

#include "cyberex/exercise_state.hpp"
#include "cyberex/scenario.hpp"
#include "map/map_view.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cyberex::gui {

namespace {

// Layout geometry in world units (1 unit = 1 pixel at zoom 1).
constexpr double GUTTER = 120;   // band labels on the left
constexpr double HEADER = 34;    // column headers on top
constexpr double BOX_W = 290;    // an item
constexpr double BOX_H = 40;     // an item without backups
constexpr double BACKUP_H = 15;  // one backup row under an item's text
constexpr double GAP_X = 120;    // between columns: room for the arrows
constexpr double SUB_GAP = 16;   // between the sub-columns of a tall cell
constexpr double GAP_Y = 12;     // between items of a cell
constexpr double BAND_PAD = 12;  // above and below a band's items
constexpr double MIN_ZOOM = 0.3; // fit never goes below this: pan to see the rest
constexpr double MAX_ZOOM = 4;

// Okabe–Ito: vermillion for the cascade, orange for a backup carrying its dependent.
const QColor CASCADE(0xd5, 0x5e, 0x00);
const QColor BACKUP(0xe6, 0x9f, 0x00);
const QColor EDGE(0x8a, 0x8f, 0x98);
const QColor BACKGROUND(0xfa, 0xfa, 0xfa);

QString sectorOfNode(const Scenario& sc, Index n)
{
  if (n < 0 || static_cast<std::size_t>(n) >= sc.nodes.size())
    return {};
  const Node& node = sc.nodes[n];
  if (node.site_index < 0)
    return {};
  const Site& site = sc.sites[node.site_index];
  if (!site.sector.empty())
    return QString::fromStdString(site.sector);
  if (site.organisation_index >= 0)
    return QString::fromStdString(sc.organisations[site.organisation_index].sector);
  return {};
}

Index lookup(const std::map<std::string, Index>& by, const std::string& id)
{
  auto it = by.find(id);
  return it == by.end() ? NO_INDEX : it->second;
}

/// "4h12m", "35m", "2d 3h": a time left, rounded down to the minute.
QString duration(double seconds)
{
  const auto minutes = static_cast<long long>(std::floor(std::max(0.0, seconds) / 60 + 1e-9));
  if (minutes >= 24 * 60)
    return QStringLiteral("%1d %2h").arg(minutes / (24 * 60)).arg((minutes / 60) % 24);
  if (minutes >= 60)
    return QStringLiteral("%1h%2m").arg(minutes / 60).arg(minutes % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1m").arg(minutes);
}

NodeCondition conditionOf(const QString& state)
{
  NodeCondition c;
  c.down = state == "down";
  c.isolated = state == "isolated";
  c.compromised = state == "compromised";
  c.degraded = state == "degraded";
  return c;
}

struct DfsEdge {
  int edge = 0;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, DfsEdge>;

struct BackEdges : boost::default_dfs_visitor {
  std::set<int>* back;
  template <class E, class G>
  void back_edge(E e, const G& g) const
  {
    back->insert(g[e].edge);
  }
};

} // namespace

int DependencyLayout::indexOf(const QString& ref) const
{
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].ref == ref)
      return static_cast<int>(i);
  return -1;
}

QStringList DependencyLayout::cell(const QString& sector, int layer) const
{
  std::vector<const Item*> in;
  for (const Item& it : items)
    if (it.layer == layer && bands.value(it.band) == sector)
      in.push_back(&it);
  std::sort(in.begin(), in.end(), [](const Item* a, const Item* b) { return a->slot < b->slot; });
  QStringList refs;
  for (const Item* it : in)
    refs << it->ref;
  return refs;
}

DependencyLayout computeDependencyLayout(const Scenario& sc)
{
  DependencyLayout out;
  std::map<QString, int> index;
  auto item = [&](const std::string& ref) {
    const QString r = QString::fromStdString(ref);
    auto it = index.find(r);
    if (it != index.end())
      return it->second;
    DependencyLayout::Item x;
    x.ref = r;
    const auto colon = ref.find(':');
    const std::string kind = colon == std::string::npos ? std::string() : ref.substr(0, colon);
    const std::string id = colon == std::string::npos ? ref : ref.substr(colon + 1);
    x.name = QString::fromStdString(id);
    if (kind == "service") {
      if (Index s = lookup(sc.service_by_id, id); s >= 0) {
        const Service& svc = sc.services[s];
        if (!svc.name.empty())
          x.name = QString::fromStdString(svc.name);
        x.node = QString::fromStdString(svc.node);
        x.sector = svc.sector.empty() ? sectorOfNode(sc, svc.node_index) : QString::fromStdString(svc.sector);
      }
    } else if (kind == "node") {
      x.node = QString::fromStdString(id);
      if (Index n = lookup(sc.node_by_id, id); n >= 0) {
        if (!sc.nodes[n].name.empty())
          x.name = QString::fromStdString(sc.nodes[n].name);
        x.sector = sectorOfNode(sc, n);
      }
    } else if (kind == "grid") {
      x.sector = QStringLiteral("energy");
      if (Index g = lookup(sc.grid_by_id, id); g >= 0 && !sc.grids[g].name.empty())
        x.name = QString::fromStdString(sc.grids[g].name);
    }
    if (x.sector.isEmpty())
      x.sector = QStringLiteral("other");
    out.items.push_back(x);
    const int i = static_cast<int>(out.items.size()) - 1;
    index.emplace(r, i);
    return i;
  };
  for (std::size_t d = 0; d < sc.dependencies.size(); ++d) {
    DependencyLayout::Edge e;
    e.dependent = item(sc.dependencies[d].dependent);
    e.provider = item(sc.dependencies[d].on);
    e.dependency = static_cast<int>(d);
    out.edges.push_back(e);
  }
  const int n = static_cast<int>(out.items.size());
  if (n == 0)
    return out;

  // Cycles: a depth-first search in item order; its back edges are left out (deterministic).
  Graph g(static_cast<std::size_t>(n));
  for (std::size_t e = 0; e < out.edges.size(); ++e)
    boost::add_edge(static_cast<std::size_t>(out.edges[e].provider), static_cast<std::size_t>(out.edges[e].dependent),
                    DfsEdge{static_cast<int>(e)}, g);
  std::set<int> back;
  BackEdges visitor;
  visitor.back = &back;
  boost::depth_first_search(g, boost::visitor(visitor));
  Graph dag(static_cast<std::size_t>(n));
  for (std::size_t e = 0; e < out.edges.size(); ++e) {
    if (back.count(static_cast<int>(e))) {
      out.edges[e].cycle = true;
      out.brokenCycles << QString::fromStdString(sc.dependencies[static_cast<std::size_t>(out.edges[e].dependency)].id);
      continue;
    }
    boost::add_edge(static_cast<std::size_t>(out.edges[e].provider), static_cast<std::size_t>(out.edges[e].dependent),
                    DfsEdge{static_cast<int>(e)}, dag);
  }

  // Longest-path layering: providers first.
  std::vector<std::size_t> reverseTopo;
  boost::topological_sort(dag, std::back_inserter(reverseTopo));
  std::vector<int> layer(static_cast<std::size_t>(n), 0);
  for (auto it = reverseTopo.rbegin(); it != reverseTopo.rend(); ++it)
    for (auto [e, end] = boost::out_edges(*it, dag); e != end; ++e) {
      const std::size_t w = boost::target(*e, dag);
      layer[w] = std::max(layer[w], layer[*it] + 1);
    }
  for (int i = 0; i < n; ++i) {
    out.items[static_cast<std::size_t>(i)].layer = layer[static_cast<std::size_t>(i)];
    out.layers = std::max(out.layers, layer[static_cast<std::size_t>(i)] + 1);
  }

  // Bands: sectors ordered by dependency depth.
  struct Depth {
    int min = 1 << 30;
    double sum = 0;
    int count = 0;
  };
  std::map<QString, Depth> depth;
  for (const auto& x : out.items) {
    Depth& d = depth[x.sector];
    d.min = std::min(d.min, x.layer);
    d.sum += x.layer;
    ++d.count;
  }
  std::vector<QString> sectors;
  for (const auto& [s, d] : depth)
    sectors.push_back(s);
  std::stable_sort(sectors.begin(), sectors.end(), [&](const QString& a, const QString& b) {
    const Depth &x = depth[a], &y = depth[b];
    if (x.min != y.min)
      return x.min < y.min;
    if (x.sum * y.count != y.sum * x.count)
      return x.sum * y.count < y.sum * x.count;
    return a < b;
  });
  for (const QString& s : sectors)
    out.bands << s;
  for (auto& x : out.items)
    x.band = static_cast<int>(out.bands.indexOf(x.sector));

  // Cells in first-mention order, then barycentre sweeps on a global vertical order (band offset + slot).
  std::map<std::pair<int, int>, std::vector<int>> cells; // (band, layer) -> items
  for (int i = 0; i < n; ++i)
    cells[{out.items[static_cast<std::size_t>(i)].band, out.items[static_cast<std::size_t>(i)].layer}].push_back(i);
  std::vector<int> bandOffset(static_cast<std::size_t>(out.bands.size()) + 1, 0);
  for (const auto& [key, members] : cells)
    bandOffset[static_cast<std::size_t>(key.first) + 1] =
        std::max(bandOffset[static_cast<std::size_t>(key.first) + 1], static_cast<int>(members.size()));
  for (std::size_t b = 1; b < bandOffset.size(); ++b)
    bandOffset[b] += bandOffset[b - 1] + 1;
  std::vector<double> pos(static_cast<std::size_t>(n), 0);
  auto place = [&] {
    for (const auto& [key, members] : cells)
      for (std::size_t s = 0; s < members.size(); ++s) {
        out.items[static_cast<std::size_t>(members[s])].slot = static_cast<int>(s);
        pos[static_cast<std::size_t>(members[s])] =
            bandOffset[static_cast<std::size_t>(key.first)] + static_cast<int>(s);
      }
  };
  place();
  auto sweep = [&](int l, bool down) {
    for (auto& [key, members] : cells) {
      if (key.second != l || members.size() < 2)
        continue;
      std::vector<std::pair<double, int>> keyed;
      for (int m : members) {
        double sum = 0;
        int count = 0;
        for (const auto& e : out.edges) {
          if (e.cycle)
            continue;
          if (down && e.dependent == m) {
            sum += pos[static_cast<std::size_t>(e.provider)];
            ++count;
          } else if (!down && e.provider == m) {
            sum += pos[static_cast<std::size_t>(e.dependent)];
            ++count;
          }
        }
        keyed.emplace_back(count ? sum / count : pos[static_cast<std::size_t>(m)], m);
      }
      std::stable_sort(keyed.begin(), keyed.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first - 1e-9; });
      for (std::size_t s = 0; s < keyed.size(); ++s)
        members[s] = keyed[s].second;
      place();
    }
  };
  // Pairs of edges between the same two layers whose ends are in opposite orders; the sweeps keep the best order seen
  // (they can oscillate).
  auto crossings = [&] {
    long count = 0;
    for (std::size_t a = 0; a < out.edges.size(); ++a)
      for (std::size_t b = a + 1; b < out.edges.size(); ++b) {
        const auto &x = out.edges[a], &y = out.edges[b];
        const auto &xp = out.items[static_cast<std::size_t>(x.provider)],
                   &xd = out.items[static_cast<std::size_t>(x.dependent)],
                   &yp = out.items[static_cast<std::size_t>(y.provider)],
                   &yd = out.items[static_cast<std::size_t>(y.dependent)];
        if (x.cycle || y.cycle || xp.layer != yp.layer || xd.layer != yd.layer)
          continue;
        if ((pos[static_cast<std::size_t>(x.provider)] - pos[static_cast<std::size_t>(y.provider)]) *
                (pos[static_cast<std::size_t>(x.dependent)] - pos[static_cast<std::size_t>(y.dependent)]) <
            0)
          ++count;
      }
    return count;
  };
  long best = crossings();
  auto bestCells = cells;
  auto keepBest = [&] {
    if (const long c = crossings(); c < best) {
      best = c;
      bestCells = cells;
    }
  };
  for (int pass = 0; pass < 4; ++pass) {
    for (int l = 1; l < out.layers; ++l)
      sweep(l, true);
    keepBest();
    for (int l = out.layers - 2; l >= 0; --l)
      sweep(l, false);
    keepBest();
  }
  cells = bestCells;
  place();
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

struct DependencyView::Impl {
  ExerciseStateModel* model = nullptr;
  const Scenario* scenario = nullptr;
  DependencyLayout layout;
  std::vector<QRectF> boxes;             ///< per item, world coordinates
  std::vector<std::vector<int>> backups; ///< per item: its edges whose dependency has a backup
  std::vector<double> bandTop, bandBottom;
  std::vector<double> layerX, layerWidth; ///< per layer, world coordinates
  QRectF world;                           ///< everything drawn in world coordinates
  std::vector<QString> states;
  std::vector<char> affected;      ///< per item: degraded, down or isolated (a grid: some load lost)
  std::vector<char> inCascade;     ///< per item
  std::vector<char> edgeInCascade; ///< per edge
  QString selected;
  double legendH = 50; ///< screen pixels at the top of the widget: the legend (DependencyView::legend)
  double zoom = 1;
  QPointF center; ///< world point at the centre of the graph area
  bool fitted = false;
  bool dragging = false;
  QPoint pressPos, lastPos;
  QTimer drain; ///< repaints the draining bars while the clock runs between records

  QRectF graphArea(const QWidget* w) const
  {
    return QRectF(0, legendH, w->width(), std::max(1.0, w->height() - legendH));
  }
  QPointF toScreen(const QWidget* w, QPointF p) const { return graphArea(w).center() + (p - center) * zoom; }
  QPointF toWorld(const QWidget* w, QPointF p) const { return center + (p - graphArea(w).center()) / zoom; }
  const Dependency* dependency(const DependencyLayout::Edge& e) const
  {
    return &scenario->dependencies[static_cast<std::size_t>(e.dependency)];
  }
};

DependencyView::DependencyView(QWidget* parent) : QWidget(parent), m_d(std::make_unique<Impl>())
{
  setObjectName("dependencyView");
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(320, 240);
  m_d->drain.setInterval(1000);
  connect(&m_d->drain, &QTimer::timeout, this, [this] {
    if (isVisible())
      update();
  });
  m_d->drain.start();
}

DependencyView::~DependencyView() = default;

void DependencyView::setModel(ExerciseStateModel* model)
{
  if (m_d->model)
    disconnect(m_d->model, nullptr, this, nullptr);
  m_d->model = model;
  if (model) {
    connect(model, &ExerciseStateModel::scenarioChanged, this, &DependencyView::rebuild);
    connect(model, &ExerciseStateModel::stateChanged, this, &DependencyView::refreshState);
    connect(model, &QObject::destroyed, this, [this] {
      m_d->model = nullptr;
      rebuild();
    });
  }
  rebuild();
}

ExerciseStateModel* DependencyView::model() const
{
  return m_d->model;
}

const DependencyLayout& DependencyView::graph() const
{
  return m_d->layout;
}

void DependencyView::rebuild()
{
  Impl& d = *m_d;
  d.scenario = d.model ? d.model->scenario() : nullptr;
  d.layout = d.scenario ? computeDependencyLayout(*d.scenario) : DependencyLayout{};
  d.selected.clear();
  const std::size_t n = d.layout.items.size();
  d.backups.assign(n, {});
  for (std::size_t e = 0; e < d.layout.edges.size(); ++e)
    if (d.dependency(d.layout.edges[e])->backup)
      d.backups[static_cast<std::size_t>(d.layout.edges[e].dependent)].push_back(static_cast<int>(e));
  // Heights: a cell stacks its items; a band is as tall as its tallest cell.
  auto height = [&](std::size_t i) { return BOX_H + BACKUP_H * static_cast<double>(d.backups[i].size()); };
  d.boxes.assign(n, QRectF());
  d.bandTop.assign(static_cast<std::size_t>(d.layout.bands.size()), 0);
  d.bandBottom.assign(static_cast<std::size_t>(d.layout.bands.size()), 0);
  // A tall cell wraps into sub-columns of at most maxRows items (column by column, keeping the sweeps' order), so
  // that a sector with many items at one layer (eight substation RTUs) does not make the graph too tall to read.
  const int maxRows = std::max(4, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n)))));
  auto columns = [&](qsizetype count) { return std::max<qsizetype>(1, (count + maxRows - 1) / maxRows); };
  const auto layers = static_cast<std::size_t>(std::max(1, d.layout.layers));
  std::vector<double> layerWidth(layers, BOX_W);
  for (const QString& band : d.layout.bands)
    for (std::size_t l = 0; l < layers; ++l) {
      const auto cols = static_cast<double>(columns(d.layout.cell(band, static_cast<int>(l)).size()));
      layerWidth[l] = std::max(layerWidth[l], cols * BOX_W + (cols - 1) * SUB_GAP);
    }
  d.layerX.assign(layers, GUTTER);
  d.layerWidth = layerWidth;
  for (std::size_t l = 1; l < layers; ++l)
    d.layerX[l] = d.layerX[l - 1] + layerWidth[l - 1] + GAP_X;
  double y = HEADER;
  for (int b = 0; b < d.layout.bands.size(); ++b) {
    d.bandTop[static_cast<std::size_t>(b)] = y;
    double tallest = 0;
    for (std::size_t l = 0; l < layers; ++l) {
      const QStringList refs = d.layout.cell(d.layout.bands[b], static_cast<int>(l));
      const qsizetype cols = columns(refs.size());
      const qsizetype rows = (refs.size() + cols - 1) / cols;
      for (qsizetype c = 0; c < cols; ++c) {
        double cy = y + BAND_PAD;
        for (qsizetype r = 0; r < rows && c * rows + r < refs.size(); ++r) {
          const auto i = static_cast<std::size_t>(d.layout.indexOf(refs[c * rows + r]));
          d.boxes[i] = QRectF(d.layerX[l] + static_cast<double>(c) * (BOX_W + SUB_GAP), cy, BOX_W, height(i));
          cy += height(i) + GAP_Y;
        }
        tallest = std::max(tallest, cy - GAP_Y + BAND_PAD - y);
      }
    }
    y += tallest;
    d.bandBottom[static_cast<std::size_t>(b)] = y;
  }
  d.world = QRectF(0, 0, d.layerX.back() + layerWidth.back() + 20, y + 10);
  d.fitted = false;
  d.legendH = legend(nullptr);
  refreshState();
  fitAll();
}

QString DependencyView::itemState(const QString& ref) const
{
  const int i = m_d->layout.indexOf(ref);
  return i < 0 || static_cast<std::size_t>(i) >= m_d->states.size() ? QString()
                                                                    : m_d->states[static_cast<std::size_t>(i)];
}

QColor DependencyView::itemColor(const QString& ref) const
{
  const QString s = itemState(ref);
  return s.isEmpty() ? QColor() : MapView::colorFor(conditionOf(s == "up" ? QString("ok") : s));
}

void DependencyView::refreshState()
{
  Impl& d = *m_d;
  const std::size_t n = d.layout.items.size();
  d.states.assign(n, QString());
  d.affected.assign(n, 0);
  d.inCascade.assign(n, 0);
  d.edgeInCascade.assign(d.layout.edges.size(), 0);
  if (!d.model || !d.scenario || d.model->scenario() != d.scenario) {
    update();
    return;
  }
  const ExerciseState& state = d.model->state();
  for (std::size_t i = 0; i < n; ++i) {
    const QString& ref = d.layout.items[i].ref;
    const QString id = ref.section(':', 1);
    QString s;
    if (ref.startsWith("service:")) {
      s = d.model->serviceStatus(id);
      d.affected[i] = s == "degraded" || s == "down";
    } else if (ref.startsWith("node:")) {
      const int k = d.model->nodeIndex(id);
      if (k >= 0) {
        const NodeCondition c = d.model->nodeCondition(k);
        d.affected[i] = c.down || c.degraded || c.isolated;
        s = c.down ? "down" : c.isolated ? "isolated" : c.compromised ? "compromised" : c.degraded ? "degraded" : "ok";
      }
    } else if (ref.startsWith("grid:")) {
      double load = 0;
      for (const Node& node : d.scenario->nodes)
        if (node.kind == NodeKind::substation && node.grid == id.toStdString())
          load += node.load_mw;
      const double lost = state.lost_mw(id.toStdString());
      s = lost <= 1e-9 ? "ok" : lost >= load - 1e-9 ? "down" : "degraded";
      d.affected[i] = lost > 1e-9;
    }
    d.states[i] = s;
  }
  // The cascade: a failure passes a dependency lost without a backup, or whose backup ran dry, to a dependent that
  // is degraded or down; it starts at a failed provider that no failure reached.
  auto affected = [&](int i) { return d.affected[static_cast<std::size_t>(i)] != 0; };
  std::vector<char> passes(d.layout.edges.size(), 0);
  std::vector<char> reached(n, 0);
  for (std::size_t e = 0; e < d.layout.edges.size(); ++e) {
    const auto& edge = d.layout.edges[e];
    const Dependency* dep = d.dependency(edge);
    const std::string status = state.dependency_status(dep->id);
    passes[e] = (status == "exhausted" || (status == "lost" && !dep->backup)) && affected(edge.provider) &&
                affected(edge.dependent);
    if (passes[e])
      reached[static_cast<std::size_t>(edge.dependent)] = 1;
  }
  std::vector<int> queue;
  for (std::size_t e = 0; e < d.layout.edges.size(); ++e) {
    const int p = d.layout.edges[e].provider;
    if (passes[e] && !reached[static_cast<std::size_t>(p)] && !d.inCascade[static_cast<std::size_t>(p)]) {
      d.inCascade[static_cast<std::size_t>(p)] = 1;
      queue.push_back(p);
    }
  }
  // a cycle that failed as a whole has no root: start at its first item
  for (std::size_t e = 0; e < d.layout.edges.size(); ++e)
    if (passes[e] && queue.empty())
      queue.push_back(d.layout.edges[e].provider), d.inCascade[static_cast<std::size_t>(queue.back())] = 1;
  while (!queue.empty()) {
    const int p = queue.back();
    queue.pop_back();
    for (std::size_t e = 0; e < d.layout.edges.size(); ++e)
      if (passes[e] && d.layout.edges[e].provider == p) {
        d.edgeInCascade[e] = 1;
        const auto w = static_cast<std::size_t>(d.layout.edges[e].dependent);
        if (!d.inCascade[w]) {
          d.inCascade[w] = 1;
          queue.push_back(static_cast<int>(w));
        }
      }
  }
  update();
}

QStringList DependencyView::cascade() const
{
  QStringList refs;
  for (std::size_t i = 0; i < m_d->inCascade.size(); ++i)
    if (m_d->inCascade[i])
      refs << m_d->layout.items[i].ref;
  return refs;
}

QStringList DependencyView::cascadeDependencies() const
{
  QStringList ids;
  for (std::size_t e = 0; e < m_d->edgeInCascade.size(); ++e)
    if (m_d->edgeInCascade[e])
      ids << QString::fromStdString(m_d->dependency(m_d->layout.edges[e])->id);
  return ids;
}

std::optional<double> DependencyView::backupLeft(const QString& dependency) const
{
  if (!m_d->model || !m_d->scenario || m_d->model->scenario() != m_d->scenario)
    return std::nullopt;
  const std::string id = dependency.toStdString();
  for (const Dependency& dep : m_d->scenario->dependencies) {
    if (dep.id != id)
      continue;
    if (!dep.backup)
      return std::nullopt;
    const ExerciseState& state = m_d->model->state();
    const std::string status = state.dependency_status(id);
    if (status == "exhausted")
      return 0.0;
    const auto loss = state.dependency_loss(id);
    if (status != "lost" || !loss)
      return std::nullopt;
    return std::max(0.0, loss->backup_until - m_d->model->time());
  }
  return std::nullopt;
}

QString DependencyView::toolTipFor(const QString& ref) const
{
  const Impl& d = *m_d;
  const int i = d.layout.indexOf(ref);
  if (i < 0)
    return {};
  const auto& item = d.layout.items[static_cast<std::size_t>(i)];
  QStringList lines;
  lines << QStringLiteral("%1 (%2)").arg(item.name, item.ref);
  lines << tr("Sector: %1").arg(item.sector);
  lines << tr("State: %1").arg(itemState(ref).isEmpty() ? tr("unknown") : itemState(ref));
  if (!item.node.isEmpty() && !item.ref.startsWith("node:"))
    lines << tr("Runs on node %1").arg(item.node);
  for (const auto& e : d.layout.edges) {
    if (e.dependent != i)
      continue;
    const Dependency* dep = d.dependency(e);
    QString line = tr("Needs %1").arg(d.layout.items[static_cast<std::size_t>(e.provider)].ref);
    if (dep->backup) {
      const auto left = backupLeft(QString::fromStdString(dep->id));
      const QString kind = QString::fromStdString(dep->backup->kind);
      if (!left)
        line += tr(" (backup: %1, %2)").arg(kind, duration(dep->backup->duration));
      else if (*left <= 0)
        line += tr(" (backup: %1, exhausted)").arg(kind);
      else
        line += tr(" (backup: %1, %2 left)").arg(kind, duration(*left));
    } else {
      line += tr(" (no backup)");
    }
    if (e.cycle)
      line += tr(" [left out of the layering: cycle]");
    lines << line;
  }
  QStringList feeds;
  for (const auto& e : d.layout.edges)
    if (e.provider == i)
      feeds << d.layout.items[static_cast<std::size_t>(e.dependent)].ref;
  if (!feeds.isEmpty())
    lines << tr("Needed by %1").arg(feeds.join(", "));
  return lines.join('\n');
}

QRectF DependencyView::itemRect(const QString& ref) const
{
  const int i = m_d->layout.indexOf(ref);
  if (i < 0)
    return {};
  const QRectF& b = m_d->boxes[static_cast<std::size_t>(i)];
  return QRectF(m_d->toScreen(this, b.topLeft()), m_d->toScreen(this, b.bottomRight()));
}

QString DependencyView::selectedItem() const
{
  return m_d->selected;
}

void DependencyView::selectItem(const QString& ref)
{
  m_d->selected = m_d->layout.indexOf(ref) >= 0 ? ref : QString();
  update();
}

void DependencyView::fitAll()
{
  Impl& d = *m_d;
  const QRectF area = d.graphArea(this);
  if (d.world.isEmpty() || area.width() < 2) {
    d.zoom = 1;
    d.center = d.world.center();
    update();
    return;
  }
  d.zoom = std::clamp(std::min((area.width() - 16) / d.world.width(), (area.height() - 16) / d.world.height()),
                      MIN_ZOOM, 1.6);
  // below MIN_ZOOM the graph does not fit: show its top-left corner, pan for the rest
  d.center = QPointF(d.world.width() * d.zoom <= area.width() ? d.world.center().x()
                                                              : d.world.left() + (area.width() / 2 - 8) / d.zoom,
                     d.world.height() * d.zoom <= area.height() ? d.world.center().y()
                                                                : d.world.top() + (area.height() / 2 - 8) / d.zoom);
  d.fitted = true;
  update();
}

double DependencyView::zoom() const
{
  return m_d->zoom;
}

int DependencyView::itemAt(QPointF pos) const
{
  const QPointF w = m_d->toWorld(this, pos);
  if (pos.y() < m_d->legendH)
    return -1;
  for (std::size_t i = 0; i < m_d->boxes.size(); ++i)
    if (m_d->boxes[i].contains(w))
      return static_cast<int>(i);
  return -1;
}

bool DependencyView::event(QEvent* event)
{
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int i = itemAt(help->pos());
    if (i >= 0)
      QToolTip::showText(help->globalPos(), toolTipFor(m_d->layout.items[static_cast<std::size_t>(i)].ref), this,
                         itemRect(m_d->layout.items[static_cast<std::size_t>(i)].ref).toAlignedRect());
    else
      QToolTip::hideText();
    return true;
  }
  return QWidget::event(event);
}

void DependencyView::paintEvent(QPaintEvent* /*event*/)
{
  const Impl& d = *m_d;
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), BACKGROUND);
  if (!d.scenario || d.layout.items.empty()) {
    p.setPen(Qt::darkGray);
    p.drawText(rect(), Qt::AlignCenter,
               d.scenario ? tr("This scenario declares no dependencies between services, nodes and grids")
                          : tr("No scenario"));
    return;
  }
  const ExerciseState& state = d.model->state();
  const QFont base = font();

  // --- the graph, in world coordinates
  p.save();
  p.setClipRect(d.graphArea(this));
  p.translate(d.graphArea(this).center());
  p.scale(d.zoom, d.zoom);
  p.translate(-d.center);

  // bands and their sector names
  QFont bandFont = base;
  bandFont.setBold(true);
  bandFont.setPointSizeF(base.pointSizeF() * 1.1);
  for (int b = 0; b < d.layout.bands.size(); ++b) {
    const QRectF band(0, d.bandTop[static_cast<std::size_t>(b)], d.world.width(),
                      d.bandBottom[static_cast<std::size_t>(b)] - d.bandTop[static_cast<std::size_t>(b)]);
    p.fillRect(band, b % 2 ? QColor(0xff, 0xff, 0xff) : QColor(0xec, 0xef, 0xf3));
    p.setFont(bandFont);
    p.setPen(QColor(0x33, 0x3a, 0x44));
    QString name = d.layout.bands[b];
    if (!name.isEmpty())
      name[0] = name[0].toUpper();
    p.drawText(QRectF(8, band.top() + 6, GUTTER - 16, band.height() - 12),
               Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, name);
  }
  // column headers
  QFont headerFont = base;
  headerFont.setItalic(true);
  p.setFont(headerFont);
  p.setPen(QColor(0x55, 0x5b, 0x66));
  for (int l = 0; l < d.layout.layers; ++l)
    p.drawText(QRectF(d.layerX[static_cast<std::size_t>(l)], 4, d.layerWidth[static_cast<std::size_t>(l)], HEADER - 8),
               Qt::AlignCenter,
               l == 0 ? tr("Providers (need nothing here)") : tr("Layer %1: needs layer %2").arg(l).arg(l - 1));

  // edges, the cascade on top
  auto drawEdge = [&](const DependencyLayout::Edge& e, const QPen& pen) {
    const QRectF& a = d.boxes[static_cast<std::size_t>(e.provider)];
    const QRectF& b = d.boxes[static_cast<std::size_t>(e.dependent)];
    const QPointF from(a.right(), a.center().y()), to(b.left() - 2, b.center().y());
    const double bend = std::max(40.0, std::abs(to.x() - from.x()) / 2);
    QPainterPath path(from);
    path.cubicTo(from + QPointF(bend, 0), to - QPointF(bend, 0), to);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    const double size = 5 + pen.widthF();
    QPolygonF head;
    head << to << to + QPointF(-size * 1.6, -size * 0.8) << to + QPointF(-size * 1.6, size * 0.8);
    p.setPen(Qt::NoPen);
    p.setBrush(pen.color());
    p.drawPolygon(head);
  };
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t e = 0; e < d.layout.edges.size(); ++e) {
      const auto& edge = d.layout.edges[e];
      if (static_cast<bool>(d.edgeInCascade[e]) != (pass == 1))
        continue;
      const Dependency* dep = d.dependency(edge);
      QPen pen(EDGE, 1.4);
      if (d.edgeInCascade[e]) {
        pen = QPen(CASCADE, 4);
      } else if (state.dependency_status(dep->id) == "lost" && dep->backup) {
        pen = QPen(BACKUP, 2.5, Qt::DashLine);
      } else if (state.dependency_status(dep->id) != "ok") {
        pen = QPen(CASCADE, 1.6, Qt::DashLine);
      }
      if (edge.cycle)
        pen.setStyle(Qt::DotLine);
      drawEdge(edge, pen);
    }

  // items
  QFont nameFont = base;
  nameFont.setBold(true);
  QFont small = base;
  small.setPointSizeF(base.pointSizeF() * 0.85);
  const QFontMetricsF nameMetrics(nameFont), smallMetrics(small);
  for (std::size_t i = 0; i < d.layout.items.size(); ++i) {
    const auto& item = d.layout.items[i];
    const QRectF& box = d.boxes[i];
    const QColor fill = itemColor(item.ref).isValid() ? itemColor(item.ref) : QColor(Qt::lightGray);
    if (d.inCascade[i]) {
      QColor halo = CASCADE;
      halo.setAlpha(170);
      p.setPen(QPen(halo, 7));
      p.setBrush(Qt::NoBrush);
      p.drawRoundedRect(box.adjusted(-3, -3, 3, 3), 8, 8);
    }
    const bool selected = item.ref == d.selected;
    p.setPen(selected ? QPen(Qt::black, 3) : QPen(fill.darker(150), 1.2));
    p.setBrush(fill);
    p.drawRoundedRect(box, 6, 6);
    const bool dark = fill.lightnessF() < 0.55;
    const QColor ink = dark ? QColor(Qt::white) : QColor(0x11, 0x11, 0x11);
    p.setPen(ink);
    p.setFont(nameFont);
    const QRectF text = box.adjusted(8, 3, -8, 0);
    p.drawText(QRectF(text.left(), text.top(), text.width(), 18), Qt::AlignLeft | Qt::AlignVCenter,
               nameMetrics.elidedText(item.name, Qt::ElideRight, text.width()));
    p.setFont(small);
    const QString kind = item.ref.section(':', 0, 0);
    QString what = itemState(item.ref);
    if (kind == "grid" && what != "ok")
      what = tr("%1 MW lost").arg(state.lost_mw(item.ref.section(':', 1).toStdString()), 0, 'f', 0);
    p.drawText(QRectF(text.left(), text.top() + 17, text.width(), 16), Qt::AlignLeft | Qt::AlignVCenter,
               smallMetrics.elidedText(QStringLiteral("%1 · %2").arg(item.ref, what), Qt::ElideRight, text.width()));
    // backups: one draining bar per dependency with a backup
    double y = box.top() + BOX_H - 4;
    for (int e : d.backups[i]) {
      const Dependency* dep = d.dependency(d.layout.edges[static_cast<std::size_t>(e)]);
      const auto left = backupLeft(QString::fromStdString(dep->id));
      const double full = std::max(1.0, dep->backup->duration);
      const QRectF bar(text.left(), y + 3, 56, 8);
      p.setPen(QPen(ink, 0.8));
      p.setBrush(QColor(255, 255, 255, dark ? 60 : 200));
      p.drawRect(bar);
      const double fraction = left ? std::clamp(*left / full, 0.0, 1.0) : 1.0;
      p.fillRect(QRectF(bar.left(), bar.top(), bar.width() * fraction, bar.height()),
                 left ? BACKUP : QColor(0x9a, 0xa4, 0xb0));
      QString label = QString::fromStdString(dep->backup->kind) + ": ";
      if (!left)
        label += duration(dep->backup->duration);
      else if (*left <= 0)
        label += tr("exhausted");
      else
        label += tr("%1 left").arg(duration(*left));
      p.setPen(ink);
      p.drawText(QRectF(bar.right() + 5, y, text.right() - bar.right() - 5, BACKUP_H), Qt::AlignLeft | Qt::AlignVCenter,
                 smallMetrics.elidedText(label, Qt::ElideRight, text.right() - bar.right() - 5));
      y += BACKUP_H;
    }
  }
  p.restore();

  // --- the legend, in screen coordinates
  legend(&p);
}

double DependencyView::legend(QPainter* painter) const
{
  // without a painter: only the height the legend needs at this width (it wraps)
  const QFont base = font();
  const QFontMetricsF fm(base);
  double x = 8, ly = 6;
  const double lineH = fm.height() + 6;
  auto next = [&](double w) {
    if (x + w > width() - 8 && x > 8) {
      x = 8;
      ly += lineH;
    }
  };
  QPainter* const p = painter;
  if (p) {
    p->fillRect(QRectF(0, 0, width(), m_d->legendH), QColor(0xff, 0xff, 0xff));
    p->setPen(QColor(0xd0, 0xd4, 0xda));
    p->drawLine(QPointF(0, m_d->legendH - 0.5), QPointF(width(), m_d->legendH - 0.5));
    p->setFont(base);
  }
  for (const char* s : {"ok", "degraded", "compromised", "isolated", "down"}) {
    const QString label = tr(s);
    next(18 + fm.horizontalAdvance(label) + 14);
    if (p) {
      p->setPen(QPen(MapView::colorFor(conditionOf(s)).darker(150), 1));
      p->setBrush(MapView::colorFor(conditionOf(s)));
      p->drawRoundedRect(QRectF(x, ly + 2, 14, fm.height() - 4), 3, 3);
      p->setPen(QColor(0x22, 0x22, 0x22));
      p->drawText(QPointF(x + 18, ly + fm.ascent()), label);
    }
    x += 18 + fm.horizontalAdvance(label) + 14;
  }
  auto lineKey = [&](const QPen& pen, const QString& label) {
    next(34 + fm.horizontalAdvance(label) + 14);
    if (p) {
      p->setPen(pen);
      p->drawLine(QPointF(x, ly + fm.height() / 2), QPointF(x + 28, ly + fm.height() / 2));
      p->setPen(QColor(0x22, 0x22, 0x22));
      p->drawText(QPointF(x + 34, ly + fm.ascent()), label);
    }
    x += 34 + fm.horizontalAdvance(label) + 14;
  };
  lineKey(QPen(EDGE, 1.4), tr("A → B: B needs A"));
  lineKey(QPen(CASCADE, 4), tr("cascade path"));
  lineKey(QPen(BACKUP, 2.5, Qt::DashLine), tr("lost: backup carries it"));
  {
    const QString label = tr("backup left");
    next(62 + fm.horizontalAdvance(label) + 14);
    if (p) {
      const QRectF bar(x, ly + fm.height() / 2 - 4, 56, 8);
      p->setPen(QPen(Qt::black, 0.8));
      p->setBrush(Qt::white);
      p->drawRect(bar);
      p->fillRect(QRectF(bar.left(), bar.top(), bar.width() * 0.4, bar.height()), BACKUP);
      p->setPen(QColor(0x22, 0x22, 0x22));
      p->drawText(QPointF(x + 62, ly + fm.ascent()), label);
    }
    x += 62 + fm.horizontalAdvance(label) + 14;
  }
  {
    const QString hint = tr("hover: details · click: select on the map · wheel: zoom · drag: pan · 0: fit");
    next(fm.horizontalAdvance(hint) + 14);
    if (p) {
      p->setPen(QColor(0x5a, 0x60, 0x6b));
      p->drawText(QPointF(x, ly + fm.ascent()), hint);
    }
    x += fm.horizontalAdvance(hint) + 14;
  }
  if (!m_d->layout.brokenCycles.isEmpty()) {
    const QString label = tr("cycles broken (dotted): %1").arg(m_d->layout.brokenCycles.join(", "));
    next(fm.horizontalAdvance(label));
    if (p) {
      p->setPen(CASCADE);
      p->drawText(QPointF(x, ly + fm.ascent()), label);
    }
  }
  return ly + lineH + 4;
}

void DependencyView::wheelEvent(QWheelEvent* event)
{
  const QPointF at = event->position();
  const QPointF before = m_d->toWorld(this, at);
  m_d->zoom = std::clamp(m_d->zoom * std::pow(1.0015, event->angleDelta().y()), 0.1, MAX_ZOOM);
  m_d->center += before - m_d->toWorld(this, at);
  m_d->fitted = false;
  update();
  event->accept();
}

void DependencyView::mousePressEvent(QMouseEvent* event)
{
  if (event->button() != Qt::LeftButton)
    return QWidget::mousePressEvent(event);
  m_d->dragging = false;
  m_d->pressPos = m_d->lastPos = event->position().toPoint();
}

void DependencyView::mouseMoveEvent(QMouseEvent* event)
{
  if (!(event->buttons() & Qt::LeftButton))
    return;
  const QPoint pos = event->position().toPoint();
  if (!m_d->dragging && (pos - m_d->pressPos).manhattanLength() > 4)
    m_d->dragging = true;
  if (m_d->dragging) {
    m_d->center -= QPointF(pos - m_d->lastPos) / m_d->zoom;
    m_d->lastPos = pos;
    m_d->fitted = false;
    update();
  }
}

void DependencyView::mouseReleaseEvent(QMouseEvent* event)
{
  if (event->button() != Qt::LeftButton)
    return QWidget::mouseReleaseEvent(event);
  if (m_d->dragging) {
    m_d->dragging = false;
    return;
  }
  const int i = itemAt(event->position());
  if (i < 0)
    return;
  const auto& item = m_d->layout.items[static_cast<std::size_t>(i)];
  m_d->selected = item.ref;
  update();
  emit itemSelected(item.ref);
  if (!item.node.isEmpty())
    emit nodeSelected(item.node);
}

void DependencyView::mouseDoubleClickEvent(QMouseEvent* event)
{
  if (itemAt(event->position()) < 0)
    fitAll();
}

void DependencyView::keyPressEvent(QKeyEvent* event)
{
  switch (event->key()) {
  case Qt::Key_0:
    fitAll();
    break;
  case Qt::Key_Plus:
  case Qt::Key_Equal:
    m_d->zoom = std::min(MAX_ZOOM, m_d->zoom * 1.25);
    m_d->fitted = false;
    update();
    break;
  case Qt::Key_Minus:
    m_d->zoom = std::max(0.1, m_d->zoom / 1.25);
    m_d->fitted = false;
    update();
    break;
  default:
    QWidget::keyPressEvent(event);
  }
}

void DependencyView::resizeEvent(QResizeEvent* /*event*/)
{
  m_d->legendH = legend(nullptr);
  // Keep fitting while the user has not zoomed or panned
  if (m_d->fitted)
    fitAll();
}

} // namespace cyberex::gui
