#include "map/map_view.hpp"

#include "map/basemap.hpp"
#include "map/label_placer.hpp"
#include "map/map_layout.hpp"
#include "map/map_raster.hpp"
#include "state/exercise_state_model.hpp"

#include "cyberex/exercise_state.hpp"
#include "cyberex/model.hpp"

#include <QElapsedTimer>
#include <QFontMetricsF>
#include <QHash>
#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QLineF>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QPolygonF>
#include <QRectF>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace cyberex::gui {

namespace {

// Okabe-Ito (Color Universal Design): ok a light grey-blue, compromised vermillion (2.37:1 against ok, was 1.58:1),
// degraded orange, isolated sky blue, down black; each with its shape (shapeFor).
const QColor OK_COLOR(0xbf, 0xcc, 0xd9);
const QColor DEGRADED_COLOR(0xe6, 0x9f, 0x00);
const QColor COMPROMISED_COLOR(0xd5, 0x5e, 0x00);
const QColor ISOLATED_COLOR(0x56, 0xb4, 0xe9);
const QColor DOWN_COLOR(0x00, 0x00, 0x00);
const QColor ALERT_COLOR(0xf0, 0xe4, 0x42);
const QColor SELECT_COLOR(0x00, 0x9e, 0x73);
const QColor BACKGROUND(0xf7, 0xf8, 0xfa);
const QColor ADVERSARY_COLOR(0xa3, 0x3b, 0x00); // the adversary's path: a darker vermillion
const QColor FLOOD_COLOR(0xcc, 0x79, 0xa7);     // links a running flood uses: reddish purple
const QColor EXFIL_COLOR(0xd5, 0x5e, 0x00);     // links a running exfiltration uses
const QColor MARK_COLOR(0x00, 0x72, 0xb2);      // marked nodes (single points of failure): blue

const QColor SITE_COLOR(0xea, 0xee, 0xf2);
const QColor LINK_COLOR(0xb0, 0xb8, 0xc0);
const QColor INTER_LINK_COLOR(0x8c, 0x98, 0xa4);
const QColor TEXT_COLOR(0x20, 0x28, 0x30);

/// A site is drawn as its nodes once its spiral is this wide on screen (radius, px) or its nodes this large.
constexpr double EXPAND_SITE_PX = 24;
constexpr double EXPAND_NODE_PX = 5;

/// Drawing order (and colour precedence): a higher rank is drawn later, on top.
int rankOf(const NodeCondition& s)
{
  if (s.down)
    return 4;
  if (s.isolated)
    return 3;
  if (s.compromised)
    return 5; // compromised nodes stay on top when zoomed out, so a single one is never hidden
  if (s.degraded)
    return 2;
  return 1;
}

/// Layouts computed in this process, by scenario file and size: a second view of the same scenario (controller map,
/// after-action player) reuses it instead of running the force-directed layout again.
std::map<QString, std::shared_ptr<const MapLayout>>& layoutCache()
{
  static std::map<QString, std::shared_ptr<const MapLayout>> cache;
  return cache;
}

/// Link width on screen: log scale of the bandwidth, 1 px at 10 Mb/s and below, 4 px at 100 Gb/s and above.
double linkWidth(double bytesPerSecond)
{
  const double x = std::log10(std::max(1.0, bytesPerSecond) / 1.25e6) / 4;
  return 1 + 3 * std::clamp(x, 0.0, 1.0);
}

void addCounts(SiteGlyphCounts& to, const SiteGlyphCounts& c)
{
  to.ok += c.ok;
  to.degraded += c.degraded;
  to.compromised += c.compromised;
  to.isolated += c.isolated;
  to.down += c.down;
  to.compromisedAny += c.compromisedAny;
  to.alerted += c.alerted;
}

/// A glyph on screen: one site, or co-located sites grouped.
struct Glyph {
  QPointF pos;
  double r = 0;
  std::vector<int> sites;
  SiteGlyphCounts counts;
};

double glyphRadius(int nodes, bool crowded)
{
  if (crowded)
    return 5;
  return std::clamp(8 + 2.0 * std::log2(1.0 + nodes), 9.0, 17.0);
}

} // namespace

struct MapView::Impl {
  // topology
  std::vector<QString> nodeIds, nodeNames;
  std::vector<int> nodeSite;
  std::vector<QString> nodeKinds;
  std::vector<QString> siteNames;
  std::vector<std::vector<int>> siteNodes;
  std::shared_ptr<const MapLayout> layout;
  std::vector<std::pair<int, int>> links;
  std::vector<char> linkInterSite;
  std::vector<float> linkPx;                               // width on screen, from the bandwidth
  std::vector<std::vector<std::pair<int, int>>> adjacency; // node -> (neighbour, link)
  QHash<QString, int> nodeIndex;
  QHash<QString, std::vector<char>> teamAssets; // player team -> shown mask
  QHash<QString, std::vector<char>> teamSites;  // player team -> sites holding one of its assets
  struct Flood {
    std::vector<BotnetWave> waves;
    std::vector<int> links; // from each attach point to the target
  };
  std::vector<Flood> floods;
  const Scenario* scenario = nullptr;

  // state: the model's, drawn as the ground truth (empty team) or a player team's view
  QPointer<ExerciseStateModel> model;
  QString team;

  // overlays
  QList<OverlayPath> overlays;
  QStringList marked;
  QString markedLabel;
  mutable bool adversaryDirty = true;
  mutable QList<OverlayPath> adversary;
  mutable std::vector<char> linkLoad;              // 0 none, 1 flood, 2 exfiltration
  mutable QHash<quint64, std::vector<int>> routes; // (from << 32 | to) -> node path

  // view
  double zoom = 1;
  QPointF center;
  bool fitPending = true;
  int selected = -1;
  bool dragging = false;
  bool pressed = false;
  QPoint pressPos, lastPos;
  double lastPaintMs = 0;
  QImage frame;                    // zoomed-out frame, reused between paints
  std::vector<Glyph> glyphs;       // of the last paint
  std::vector<int> glyphOfSite;    // site -> glyph of the last paint, -1 if expanded or not drawn
  std::vector<PlacedLabel> labels; // of the last paint

  NodeGrid grid; // the nodes in view without visiting the others

  bool siteShown(std::size_t s) const
  {
    if (team.isEmpty())
      return true;
    auto it = teamSites.constFind(team);
    return it != teamSites.constEnd() && (*it)[s];
  }

  bool shown(int i) const
  {
    if (team.isEmpty())
      return true;
    auto it = teamAssets.constFind(team);
    return it != teamAssets.constEnd() && (*it)[static_cast<std::size_t>(i)];
  }

  /// The condition drawn: in a team's view no compromise (ground truth) and the team's alerts.
  NodeCondition viewState(int i, const std::vector<NodeCondition>& all, const std::vector<char>& alerted) const
  {
    NodeCondition c = all[static_cast<std::size_t>(i)];
    if (!team.isEmpty()) {
      c.compromised = false;
      c.alerted = !alerted.empty() && alerted[static_cast<std::size_t>(i)];
    }
    return c;
  }
  const std::vector<char>& alerts() const
  {
    static const std::vector<char> none;
    return team.isEmpty() || !model ? none : model->alertedNodes(team);
  }

  bool expanded(std::size_t s) const
  {
    return layout && (layout->siteRadius[s] * zoom >= EXPAND_SITE_PX || 0.4 * zoom >= EXPAND_NODE_PX);
  }

  SiteGlyphCounts countsOf(std::size_t s, const std::vector<NodeCondition>& all, const std::vector<char>& alerted) const
  {
    SiteGlyphCounts c;
    for (int i : siteNodes[s]) {
      if (!shown(i))
        continue;
      const NodeCondition v = viewState(i, all, alerted);
      if (v.down)
        ++c.down;
      else if (v.isolated)
        ++c.isolated;
      else if (v.compromised)
        ++c.compromised;
      else if (v.degraded)
        ++c.degraded;
      else
        ++c.ok;
      c.compromisedAny += v.compromised ? 1 : 0;
      c.alerted += v.alerted ? 1 : 0;
    }
    return c;
  }

  QPointF toScreen(QPointF w, QSize size) const
  {
    return {(w.x() - center.x()) * zoom + size.width() / 2.0, (w.y() - center.y()) * zoom + size.height() / 2.0};
  }
  QPointF toWorld(QPointF s, QSize size) const
  {
    return {(s.x() - size.width() / 2.0) / zoom + center.x(), (s.y() - size.height() / 2.0) / zoom + center.y()};
  }
  QRectF visibleWorld(QSize size) const
  {
    return QRectF(toWorld(QPointF(0, 0), size), toWorld(QPointF(size.width(), size.height()), size));
  }

  /// Where node I is drawn: its own position, or its site's glyph when the site is collapsed.
  QPointF drawnAt(int i, QSize size) const
  {
    const int s = nodeSite[static_cast<std::size_t>(i)];
    if (s >= 0 && static_cast<std::size_t>(s) < glyphOfSite.size() && glyphOfSite[static_cast<std::size_t>(s)] >= 0)
      return glyphs[static_cast<std::size_t>(glyphOfSite[static_cast<std::size_t>(s)])].pos;
    return toScreen(layout->nodes[static_cast<std::size_t>(i)], size);
  }

  int pick(QPointF screen, QSize size) const
  {
    if (!layout)
      return -1;
    const double radiusPx = std::max(6.0, 0.45 * zoom);
    const QPointF w = toWorld(screen, size);
    const double rw = radiusPx / zoom;
    int best = -1;
    double bestD = rw * rw;
    grid.forNodesIn(QRectF(w.x() - rw, w.y() - rw, 2 * rw, 2 * rw), [&](int i) {
      if (!shown(i))
        return;
      const int s = nodeSite[static_cast<std::size_t>(i)];
      if (s >= 0 && !expanded(static_cast<std::size_t>(s)))
        return;
      const QPointF d = layout->nodes[static_cast<std::size_t>(i)] - w;
      const double dd = d.x() * d.x() + d.y() * d.y();
      if (dd < bestD || (dd == bestD && i < best)) {
        bestD = dd;
        best = i;
      }
    });
    return best;
  }

  int pickGlyph(QPointF screen) const
  {
    for (std::size_t g = glyphs.size(); g-- > 0;) {
      const QPointF d = glyphs[g].pos - screen;
      const double r = glyphs[g].r + 3;
      if (d.x() * d.x() + d.y() * d.y() <= r * r)
        return static_cast<int>(g);
    }
    return -1;
  }

  /// The nodes on a shortest path (fewest links) from A to B, both included; empty if none. Cached.
  const std::vector<int>& route(int a, int b) const
  {
    const quint64 key = (static_cast<quint64>(static_cast<quint32>(a)) << 32) | static_cast<quint32>(b);
    auto it = routes.find(key);
    if (it != routes.end())
      return *it;
    std::vector<int> parent(nodeIds.size(), -2);
    std::vector<int> queue{a};
    parent[static_cast<std::size_t>(a)] = -1;
    for (std::size_t q = 0; q < queue.size() && parent[static_cast<std::size_t>(b)] == -2; ++q)
      for (const auto& [n, l] : adjacency[static_cast<std::size_t>(queue[q])])
        if (parent[static_cast<std::size_t>(n)] == -2) {
          parent[static_cast<std::size_t>(n)] = queue[q];
          queue.push_back(n);
        }
    std::vector<int> path;
    if (parent[static_cast<std::size_t>(b)] != -2)
      for (int n = b; n >= 0; n = parent[static_cast<std::size_t>(n)])
        path.push_back(n);
    std::reverse(path.begin(), path.end());
    return *routes.insert(key, std::move(path));
  }

  void markRoute(const std::vector<int>& path, char load) const
  {
    for (std::size_t k = 1; k < path.size(); ++k)
      for (const auto& [n, l] : adjacency[static_cast<std::size_t>(path[k - 1])])
        if (n == path[k]) {
          linkLoad[static_cast<std::size_t>(l)] = std::max(linkLoad[static_cast<std::size_t>(l)], load);
          break;
        }
  }

  /// The adversary's paths and the links under load, from the state now (recomputed after a change).
  void updateAdversary() const
  {
    if (!adversaryDirty)
      return;
    adversaryDirty = false;
    adversary.clear();
    linkLoad.assign(links.size(), 0);
    if (!model || !scenario || scenario != model->scenario())
      return;
    const ExerciseState& st = model->state();
    const double now = model->time();
    for (const Flood& f : floods)
      if (std::any_of(f.waves.begin(), f.waves.end(),
                      [&](const BotnetWave& w) { return w.start <= now && now < w.end; }))
        for (int l : f.links)
          if (shown(links[static_cast<std::size_t>(l)].first) && shown(links[static_cast<std::size_t>(l)].second))
            linkLoad[static_cast<std::size_t>(l)] = 1;

    const std::vector<char>& alerted = alerts();
    const bool truth = team.isEmpty();
    // per campaign, the nodes holding its foothold
    std::vector<std::vector<char>> holds(scenario->campaigns.size());
    for (std::size_t n = 0; n < scenario->nodes.size(); ++n) {
      const NodeState& ns = st.node(static_cast<Index>(n));
      if (!ns.compromised())
        continue;
      for (std::size_t c = 0; c < scenario->campaigns.size(); ++c)
        if (std::binary_search(ns.campaigns.begin(), ns.campaigns.end(), scenario->campaigns[c].id)) {
          if (holds[c].empty())
            holds[c].assign(scenario->nodes.size(), 0);
          holds[c][n] = 1;
        }
    }
    for (std::size_t c = 0; c < scenario->campaigns.size(); ++c) {
      const Campaign& camp = scenario->campaigns[c];
      if (holds[c].empty())
        continue;
      // footholds in the order of the steps that took them (scenario order of the steps that succeeded)
      std::vector<int> order;
      std::vector<char> listed(scenario->nodes.size(), 0);
      auto add = [&](int n) {
        if (holds[c][static_cast<std::size_t>(n)] && !listed[static_cast<std::size_t>(n)]) {
          listed[static_cast<std::size_t>(n)] = 1;
          order.push_back(n);
        }
      };
      for (const Step& step : camp.steps)
        if (st.step_succeeded(camp.id, step.id, ""))
          for (Index n : step.target_nodes)
            add(n);
      for (std::size_t n = 0; n < scenario->nodes.size(); ++n)
        add(static_cast<int>(n));
      OverlayPath path;
      for (int n : order)
        if (truth || (shown(n) && !alerted.empty() && alerted[static_cast<std::size_t>(n)]))
          path.nodes << nodeIds[static_cast<std::size_t>(n)];
      if (!path.nodes.isEmpty()) {
        path.label = truth ? QString::fromStdString(camp.id) : tr("detected activity"); // the id: short, on the map
        path.color = ADVERSARY_COLOR;
        adversary << path;
      }
      if (!truth || camp.c2.node_index < 0)
        continue;
      // exfiltration: from the step's footholds to the C2 along the links
      const double bytes = st.exfiltrated(camp.id);
      for (const Step& step : camp.steps) {
        if (step.exfiltrate_bytes <= 0)
          continue;
        const bool succeeded = st.step_succeeded(camp.id, step.id, "");
        if (!succeeded && bytes <= 0)
          continue;
        for (Index n : step.target_nodes) {
          if (!holds[c][static_cast<std::size_t>(n)])
            continue;
          const std::vector<int>& r = route(n, camp.c2.node_index);
          if (r.size() < 2)
            continue;
          OverlayPath ex;
          for (int k : r)
            ex.nodes << nodeIds[static_cast<std::size_t>(k)];
          ex.label = tr("exfiltration (%1)").arg(QString::fromStdString(camp.id));
          ex.color = EXFIL_COLOR;
          adversary << ex;
          if (!succeeded)
            markRoute(r, 2); // bytes flowing, the step not done: the route is loaded now
          break;
        }
      }
    }
  }
};

namespace {

QToolButton* zoomButton(MapView* view, const QString& text, const QString& name, const QString& tip)
{
  auto* b = new QToolButton(view);
  b->setText(text);
  b->setObjectName(name);
  b->setToolTip(tip);
  b->setAccessibleName(tip);
  b->setFocusPolicy(Qt::NoFocus);
  b->setFixedSize(26, 26);
  QFont f = b->font();
  f.setBold(true);
  f.setPointSizeF(11);
  b->setFont(f);
  return b;
}

} // namespace

MapView::MapView(QWidget* parent) : QWidget(parent), m_d(std::make_unique<Impl>())
{
  setMouseTracking(false);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(200, 150);
  setAttribute(Qt::WA_OpaquePaintEvent);
  connect(zoomButton(this, QStringLiteral("+"), QStringLiteral("zoomIn"), tr("Zoom in (+)")), &QToolButton::clicked,
          this, &MapView::zoomIn);
  connect(zoomButton(this, QStringLiteral("\u2212"), QStringLiteral("zoomOut"), tr("Zoom out (-)")),
          &QToolButton::clicked, this, &MapView::zoomOut);
  connect(zoomButton(this, QStringLiteral("0"), QStringLiteral("zoomFit"), tr("Fit the whole map (0)")),
          &QToolButton::clicked, this, &MapView::fitAll);
}

MapView::~MapView() = default;

void MapView::setModel(ExerciseStateModel* model)
{
  Impl& d = *m_d;
  if (d.model == model)
    return;
  if (d.model)
    d.model->disconnect(this);
  d.model = model;
  if (model) {
    connect(model, &ExerciseStateModel::scenarioChanged, this, &MapView::rebuildTopology);
    connect(model, &ExerciseStateModel::stateChanged, this, [this] {
      m_d->adversaryDirty = true;
      update();
    });
  }
  rebuildTopology();
}

ExerciseStateModel* MapView::model() const
{
  return m_d->model;
}

void MapView::rebuildTopology()
{
  Impl& d = *m_d;
  d.selected = -1;
  d.adversaryDirty = true;
  d.routes.clear();
  d.glyphs.clear();
  d.glyphOfSite.clear();
  d.labels.clear();
  const Scenario* current = d.model ? d.model->scenario() : nullptr;
  d.scenario = current;
  if (!current) {
    d.layout.reset();
    d.nodeIds.clear();
    d.nodeNames.clear();
    d.nodeIndex.clear();
    d.siteNodes.clear();
    d.links.clear();
    d.floods.clear();
    update();
    return;
  }
  const Scenario& scenario = *current;
  // The file, its size and where things are (planning mode reloads a file whose sites moved)
  std::size_t where = 0;
  auto mix = [&where](std::size_t v) { where ^= v + 0x9e3779b97f4a7c15ULL + (where << 6) + (where >> 2); };
  auto mixPoint = [&](const std::optional<GeoPoint>& g) {
    mix(g ? std::hash<double>()(g->lat) ^ (std::hash<double>()(g->lon) << 1) : 1);
  };
  for (const Site& s : scenario.sites) {
    mixPoint(s.location);
    mix(std::hash<std::string>()(s.country));
  }
  for (const Node& n : scenario.nodes)
    mixPoint(n.location);
  for (const Topology& t : scenario.topologies) {
    mixPoint(t.location);
    mix(std::hash<std::string>()(t.country));
  }
  const QString key = QString::fromStdString(scenario.file) + QStringLiteral("#%1#%2#%3#%4")
                                                                  .arg(scenario.sites.size())
                                                                  .arg(scenario.nodes.size())
                                                                  .arg(scenario.links.size())
                                                                  .arg(static_cast<qulonglong>(where), 0, 16);
  auto& cache = layoutCache();
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache.emplace(key, std::make_shared<const MapLayout>(computeMapLayout(scenario))).first;
  d.layout = it->second;
  reserveBasemap(*d.layout, size()); // the basemap's raster now, not in the first frame

  const std::size_t n = scenario.nodes.size();
  d.nodeIds.assign(n, {});
  d.nodeNames.assign(n, {});
  d.nodeKinds.assign(n, {});
  d.nodeSite.assign(n, -1);
  d.siteNodes.assign(scenario.sites.size(), {});
  d.nodeIndex.clear();
  d.nodeIndex.reserve(static_cast<qsizetype>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const Node& node = scenario.nodes[i];
    d.nodeIds[i] = QString::fromStdString(node.id);
    d.nodeNames[i] = node.name.empty() ? d.nodeIds[i] : QString::fromStdString(node.name);
    d.nodeKinds[i] = QString::fromLatin1(to_string(node.kind));
    d.nodeSite[i] = node.site_index;
    if (node.site_index >= 0)
      d.siteNodes[static_cast<std::size_t>(node.site_index)].push_back(static_cast<int>(i));
    d.nodeIndex.insert(d.nodeIds[i], static_cast<int>(i));
  }
  d.siteNames.clear();
  for (const Site& s : scenario.sites)
    d.siteNames.push_back(QString::fromStdString(s.name.empty() ? s.id : s.name));
  d.links.clear();
  d.linkInterSite.clear();
  d.linkPx.clear();
  d.adjacency.assign(n, {});
  for (const Link& l : scenario.links) {
    if (l.a_index < 0 || l.b_index < 0)
      continue;
    const int k = static_cast<int>(d.links.size());
    d.links.emplace_back(l.a_index, l.b_index);
    d.linkInterSite.push_back(scenario.nodes[static_cast<std::size_t>(l.a_index)].site_index !=
                              scenario.nodes[static_cast<std::size_t>(l.b_index)].site_index);
    d.linkPx.push_back(static_cast<float>(linkWidth(l.bandwidth)));
    d.adjacency[static_cast<std::size_t>(l.a_index)].emplace_back(l.b_index, k);
    d.adjacency[static_cast<std::size_t>(l.b_index)].emplace_back(l.a_index, k);
  }
  d.teamAssets.clear();
  d.teamSites.clear();
  for (const Team& t : scenario.teams) {
    std::vector<char> mask(n, 0);
    std::vector<char> sites(scenario.sites.size(), 0);
    for (Index i : t.asset_nodes)
      if (i >= 0 && static_cast<std::size_t>(i) < n) {
        mask[static_cast<std::size_t>(i)] = 1;
        if (const Index site = scenario.nodes[static_cast<std::size_t>(i)].site_index; site >= 0)
          sites[static_cast<std::size_t>(site)] = 1;
      }
    d.teamAssets.insert(QString::fromStdString(t.id), std::move(mask));
    d.teamSites.insert(QString::fromStdString(t.id), std::move(sites));
  }
  // Floods: the links from each attach point of a botnet to its target, loaded while a wave runs.
  d.floods.clear();
  for (const Botnet& b : scenario.botnets) {
    int target = -1;
    const QString t = QString::fromStdString(b.target);
    if (t.startsWith(QLatin1String("node:")))
      target = d.nodeIndex.value(t.mid(5), -1);
    else if (t.startsWith(QLatin1String("service:")))
      for (const Service& s : scenario.services)
        if (s.id == b.target.substr(8))
          target = s.node_index;
    if (target < 0)
      continue;
    Impl::Flood f;
    f.waves = b.schedule;
    for (Index a : b.attach_index) {
      if (a < 0)
        continue;
      const std::vector<int>& r = d.route(a, target);
      for (std::size_t k = 1; k < r.size(); ++k)
        for (const auto& [m, l] : d.adjacency[static_cast<std::size_t>(r[k - 1])])
          if (m == r[k]) {
            f.links.push_back(l);
            break;
          }
    }
    d.floods.push_back(std::move(f));
  }
  d.grid.build(*d.layout);
  d.fitPending = true;
  fitAll();
}

void MapView::setTeamView(const QString& team)
{
  if (m_d->team == team)
    return;
  m_d->team = team;
  m_d->adversaryDirty = true;
  if (m_d->selected >= 0 && !m_d->shown(m_d->selected))
    selectNode({});
  update();
}

QString MapView::teamView() const
{
  return m_d->team;
}

int MapView::nodeCount() const
{
  return static_cast<int>(m_d->nodeIds.size());
}

NodeCondition MapView::nodeState(const QString& nodeId) const
{
  const int i = m_d->nodeIndex.value(nodeId, -1);
  if (i < 0 || !m_d->shown(i) || !m_d->model)
    return {};
  return m_d->viewState(i, m_d->model->nodeConditions(), m_d->alerts());
}

QColor MapView::nodeColor(const QString& nodeId) const
{
  return colorFor(nodeState(nodeId));
}

bool MapView::isNodeShown(const QString& nodeId) const
{
  const int i = m_d->nodeIndex.value(nodeId, -1);
  return i >= 0 && m_d->shown(i);
}

QPointF MapView::nodePosition(const QString& nodeId) const
{
  const int i = m_d->nodeIndex.value(nodeId, -1);
  if (i < 0 || !m_d->layout)
    return {};
  return m_d->layout->nodes[static_cast<std::size_t>(i)];
}

QString MapView::search(const QString& text)
{
  Impl& d = *m_d;
  const QString needle = text.trimmed();
  if (needle.isEmpty() || !d.layout)
    return {};
  int found = -1;
  const int n = static_cast<int>(d.nodeIds.size());
  auto firstWhere = [&](auto&& pred) {
    for (int i = 0; i < n && found < 0; ++i)
      if (d.shown(i) && pred(i))
        found = i;
  };
  firstWhere([&](int i) { return d.nodeIds[static_cast<std::size_t>(i)] == needle; });
  firstWhere([&](int i) { return d.nodeNames[static_cast<std::size_t>(i)] == needle; });
  firstWhere([&](int i) {
    return d.nodeIds[static_cast<std::size_t>(i)].startsWith(needle, Qt::CaseInsensitive) ||
           d.nodeNames[static_cast<std::size_t>(i)].startsWith(needle, Qt::CaseInsensitive);
  });
  firstWhere([&](int i) {
    return d.nodeIds[static_cast<std::size_t>(i)].contains(needle, Qt::CaseInsensitive) ||
           d.nodeNames[static_cast<std::size_t>(i)].contains(needle, Qt::CaseInsensitive);
  });
  if (found < 0)
    return {};
  d.fitPending = false;
  setZoom(std::max(d.zoom, 12.0));
  centerOn(d.layout->nodes[static_cast<std::size_t>(found)]);
  selectNode(d.nodeIds[static_cast<std::size_t>(found)]);
  return d.nodeIds[static_cast<std::size_t>(found)];
}

void MapView::selectNode(const QString& nodeId)
{
  const int i = nodeId.isEmpty() ? -1 : m_d->nodeIndex.value(nodeId, -1);
  if (i == m_d->selected)
    return;
  m_d->selected = i;
  update();
  emit nodeSelected(i < 0 ? QString() : m_d->nodeIds[static_cast<std::size_t>(i)]);
}

QString MapView::selectedNode() const
{
  return m_d->selected < 0 ? QString() : m_d->nodeIds[static_cast<std::size_t>(m_d->selected)];
}

void MapView::fitAll()
{
  Impl& d = *m_d;
  if (!d.layout)
    return;
  // Room for the labels: they sit beside the glyphs (up to ~130 px wide) and above or below them.
  const double mx = std::clamp(width() / 7.0, 20.0, 150.0), my = std::clamp(height() / 12.0, 20.0, 48.0);
  const QRectF b = d.layout->bounds; // every node: a node placed by its own coordinates is part of the picture
  const double w = std::max(1.0, b.width()), h = std::max(1.0, b.height());
  d.zoom = std::min((width() - 2 * mx) / w, (height() - 2 * my) / h);
  if (!(d.zoom > 0))
    d.zoom = 1;
  d.center = b.center();
  update();
}

void MapView::zoomIn()
{
  setZoom(m_d->zoom * 1.5);
}

void MapView::zoomOut()
{
  setZoom(m_d->zoom / 1.5);
}

void MapView::centerOn(QPointF layoutPoint)
{
  m_d->fitPending = false;
  m_d->center = layoutPoint;
  update();
}

QPointF MapView::viewCenter() const
{
  return m_d->center;
}

void MapView::setZoom(double pixelsPerUnit)
{
  m_d->fitPending = false;
  m_d->zoom = std::clamp(pixelsPerUnit, 1e-4, 400.0);
  update();
}

double MapView::zoom() const
{
  return m_d->zoom;
}

void MapView::panBy(QPointF pixels)
{
  m_d->fitPending = false;
  m_d->center -= pixels / m_d->zoom;
  update();
}

double MapView::lastPaintMs() const
{
  return m_d->lastPaintMs;
}

void MapView::setOverlayPaths(const QList<OverlayPath>& paths)
{
  m_d->overlays = paths;
  update();
}

QList<MapView::OverlayPath> MapView::overlayPaths() const
{
  return m_d->overlays;
}

void MapView::setMarkedNodes(const QStringList& nodeIds, const QString& label)
{
  m_d->marked = nodeIds;
  m_d->markedLabel = label;
  update();
}

QStringList MapView::markedNodes() const
{
  return m_d->marked;
}

QList<MapView::OverlayPath> MapView::adversaryPaths() const
{
  m_d->updateAdversary();
  return m_d->adversary;
}

int MapView::siteCount() const
{
  return static_cast<int>(m_d->siteNodes.size());
}

SiteGlyphCounts MapView::siteGlyphCounts(int siteIndex) const
{
  const Impl& d = *m_d;
  if (!d.model || siteIndex < 0 || static_cast<std::size_t>(siteIndex) >= d.siteNodes.size())
    return {};
  return d.countsOf(static_cast<std::size_t>(siteIndex), d.model->nodeConditions(), d.alerts());
}

bool MapView::isSiteExpanded(int siteIndex) const
{
  return siteIndex >= 0 && static_cast<std::size_t>(siteIndex) < m_d->siteNodes.size() &&
         m_d->expanded(static_cast<std::size_t>(siteIndex));
}

QList<MapView::SiteGlyph> MapView::siteGlyphs() const
{
  QList<SiteGlyph> out;
  for (const Glyph& g : m_d->glyphs) {
    SiteGlyph sg;
    sg.rect = QRectF(g.pos.x() - g.r, g.pos.y() - g.r, 2 * g.r, 2 * g.r);
    for (int s : g.sites)
      sg.sites << s;
    out << sg;
  }
  return out;
}

QList<MapView::MapLabel> MapView::placedLabels() const
{
  QList<MapLabel> out;
  for (const PlacedLabel& l : m_d->labels)
    out << MapLabel{l.text, l.rect, l.leader};
  return out;
}

namespace {

QString stateName(const NodeCondition& s)
{
  QStringList parts;
  if (s.down)
    parts << QObject::tr("down");
  if (s.isolated)
    parts << QObject::tr("isolated");
  if (s.compromised)
    parts << QObject::tr("compromised");
  if (s.degraded)
    parts << QObject::tr("degraded");
  if (parts.isEmpty())
    parts << QObject::tr("ok");
  if (s.alerted)
    parts << QObject::tr("alerted");
  return parts.join(QStringLiteral(", "));
}

QString countsText(const SiteGlyphCounts& c, bool truth)
{
  QStringList parts;
  auto add = [&](int n, const QString& what) {
    if (n > 0)
      parts << QStringLiteral("%1 %2").arg(n).arg(what);
  };
  add(c.ok, QObject::tr("ok"));
  add(c.degraded, QObject::tr("degraded"));
  add(c.compromised, QObject::tr("compromised"));
  add(c.isolated, QObject::tr("isolated"));
  add(c.down, QObject::tr("down"));
  QString text = (c.total() == 1 ? QObject::tr("1 node: ") : QObject::tr("%1 nodes: ").arg(c.total())) +
                 parts.join(QStringLiteral(", "));
  if (truth && c.compromisedAny > c.compromised)
    text += QObject::tr("; %1 with a foothold in all").arg(c.compromisedAny);
  if (!truth && c.alerted > 0)
    text += QObject::tr("; %1 alerted").arg(c.alerted);
  return text;
}

} // namespace

QString MapView::toolTipAt(QPointF pos) const
{
  const Impl& d = *m_d;
  if (!d.layout || !d.model)
    return {};
  if (const int g = d.pickGlyph(pos); g >= 0) {
    const Glyph& glyph = d.glyphs[static_cast<std::size_t>(g)];
    QStringList lines;
    for (int s : glyph.sites) {
      const SiteGlyphCounts c = d.countsOf(static_cast<std::size_t>(s), d.model->nodeConditions(), d.alerts());
      lines << QStringLiteral("<b>%1</b><br>%2")
                   .arg(d.siteNames[static_cast<std::size_t>(s)].toHtmlEscaped(), countsText(c, d.team.isEmpty()));
    }
    return lines.join(QStringLiteral("<br>")) + QStringLiteral("<br><i>%1</i>").arg(tr("click to expand"));
  }
  const int i = d.pick(pos, size());
  if (i < 0)
    return {};
  const NodeCondition s = d.viewState(i, d.model->nodeConditions(), d.alerts());
  const int site = d.nodeSite[static_cast<std::size_t>(i)];
  return QStringLiteral("<b>%1</b> (%2)<br>%3%4<br>%5")
      .arg(d.nodeNames[static_cast<std::size_t>(i)].toHtmlEscaped(), d.nodeIds[static_cast<std::size_t>(i)],
           d.nodeKinds[static_cast<std::size_t>(i)],
           site >= 0 ? QStringLiteral(" · ") + d.siteNames[static_cast<std::size_t>(site)].toHtmlEscaped() : QString(),
           stateName(s));
}

QColor MapView::colorFor(const NodeCondition& s)
{
  if (s.down)
    return DOWN_COLOR;
  if (s.isolated)
    return ISOLATED_COLOR;
  if (s.compromised)
    return COMPROMISED_COLOR;
  if (s.degraded)
    return DEGRADED_COLOR;
  return OK_COLOR;
}

StateShape MapView::shapeFor(const NodeCondition& s)
{
  if (s.down)
    return StateShape::cross;
  if (s.isolated)
    return StateShape::square;
  if (s.compromised)
    return StateShape::triangle;
  if (s.degraded)
    return StateShape::diamond;
  return StateShape::circle;
}

void MapView::paintEvent(QPaintEvent* /*event*/)
{
  QElapsedTimer timer;
  timer.start();
  Impl& d = *m_d;
  QPainter p(this);
  if (!d.layout || d.nodeIds.empty() || !d.model) {
    d.glyphs.clear();
    d.glyphOfSite.clear();
    d.labels.clear();
    p.fillRect(rect(), BACKGROUND);
    p.setPen(Qt::darkGray);
    p.drawText(rect(), Qt::AlignCenter, tr("No scenario"));
    d.lastPaintMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    return;
  }
  const QSize sz = size();
  const QRectF screen(0, 0, sz.width(), sz.height());
  const QRectF view = d.visibleWorld(sz);
  const double nodePx = 0.4 * d.zoom; // node radius on screen: spiral neighbours are 1 unit apart
  const auto& L = *d.layout;
  const bool truth = d.team.isEmpty();
  const std::vector<NodeCondition>& conditions = d.model->nodeConditions();
  const std::vector<char>& alerted = d.alerts();
  d.updateAdversary();

  // Sites too small on screen to show their nodes are drawn as glyphs; their nodes are not visited.
  const std::size_t siteCount = L.sites.size();
  std::vector<char> collapsed(siteCount, 0);
  for (std::size_t s = 0; s < siteCount; ++s)
    collapsed[s] = d.expanded(s) ? 0 : 1;

  // Nodes in view, from the grid.
  std::vector<int> visible;
  const double margin = std::max(nodePx, 2.0) / d.zoom;
  const QRectF grown = view.adjusted(-margin, -margin, margin, margin);
  d.grid.forNodesIn(grown, [&](int i) {
    const int s = d.nodeSite[static_cast<std::size_t>(i)];
    if (s >= 0 && collapsed[static_cast<std::size_t>(s)])
      return;
    if (d.shown(i) && grown.contains(L.nodes[static_cast<std::size_t>(i)]))
      visible.push_back(i);
  });
  std::vector<NodeCondition> vstate(visible.size());
  for (std::size_t k = 0; k < visible.size(); ++k)
    vstate[k] = d.viewState(visible[k], conditions, alerted);

  // Zoomed out, the background layers and the nodes are drawn into an opaque image (nodes as pixels written
  // directly), blitted once: no per-node painter calls and no alpha blending of a full-size layer.
  const bool pointsMode = nodePx < 2.5 || visible.size() > 2500;
  if (pointsMode) {
    if (d.frame.size() != sz)
      d.frame = QImage(sz, QImage::Format_RGB32);
    d.frame.fill(BACKGROUND);
    QPainter fp(&d.frame);
    paintBasemap(fp, L, view, d.zoom); // basemap.cpp
  } else {
    p.fillRect(rect(), BACKGROUND);
    paintBasemap(p, L, view, d.zoom);
  }

  // Glyphs: the collapsed sites in view, by priority (compromised, or alerted in a team's view, first; then size);
  // a site whose glyph would overlap an earlier one joins it (co-located sites share one glyph and one label).
  std::vector<std::pair<int, SiteGlyphCounts>> candidates;
  {
    const double gm = 24 / d.zoom;
    const QRectF glyphView = view.adjusted(-gm, -gm, gm, gm);
    for (std::size_t s = 0; s < siteCount; ++s) {
      if (!collapsed[s] || !d.siteShown(s) || !glyphView.contains(L.sites[s]))
        continue;
      SiteGlyphCounts c = d.countsOf(s, conditions, alerted);
      if (c.total() > 0)
        candidates.emplace_back(static_cast<int>(s), c);
    }
  }
  const bool crowded = candidates.size() > 250;
  auto urgency = [&](const SiteGlyphCounts& c) { return truth ? c.compromisedAny : c.alerted; };
  std::stable_sort(candidates.begin(), candidates.end(), [&](const auto& x, const auto& y) {
    if (urgency(x.second) != urgency(y.second))
      return urgency(x.second) > urgency(y.second);
    return x.second.total() > y.second.total();
  });
  d.glyphs.clear();
  d.glyphOfSite.assign(siteCount, -1);
  {
    const double cell = 2 * glyphRadius(1 << 20, crowded) + 4;
    QHash<quint64, std::vector<int>> cells;
    auto cellKey = [](int x, int y) {
      return (static_cast<quint64>(static_cast<quint32>(x)) << 32) | static_cast<quint32>(y);
    };
    for (const auto& [s, c] : candidates) {
      const QPointF pos = d.toScreen(L.sites[static_cast<std::size_t>(s)], sz);
      const double r = glyphRadius(c.total(), crowded);
      const int cx = static_cast<int>(std::floor(pos.x() / cell)), cy = static_cast<int>(std::floor(pos.y() / cell));
      int joined = -1;
      for (int y = cy - 1; y <= cy + 1 && joined < 0; ++y)
        for (int x = cx - 1; x <= cx + 1 && joined < 0; ++x)
          for (int g : cells.value(cellKey(x, y))) {
            const QPointF dv = d.glyphs[static_cast<std::size_t>(g)].pos - pos;
            const double reach = d.glyphs[static_cast<std::size_t>(g)].r + r + 2;
            if (dv.x() * dv.x() + dv.y() * dv.y() < reach * reach) {
              joined = g;
              break;
            }
          }
      if (joined < 0) {
        joined = static_cast<int>(d.glyphs.size());
        d.glyphs.push_back({pos, r, {}, {}});
        cells[cellKey(cx, cy)].push_back(joined);
      }
      Glyph& g = d.glyphs[static_cast<std::size_t>(joined)];
      g.sites.push_back(s);
      addCounts(g.counts, c);
      d.glyphOfSite[static_cast<std::size_t>(s)] = joined;
    }
    for (Glyph& g : d.glyphs)
      g.r = glyphRadius(g.counts.total(), crowded);
  }

  // Expanded site discs.
  const bool drawSites = siteCount <= 5000;
  if (drawSites) {
    p.setRenderHint(QPainter::Antialiasing, siteCount <= 500);
    p.setPen(QPen(QColor(0xc8, 0xd0, 0xd8), 1));
    p.setBrush(SITE_COLOR);
    for (std::size_t s = 0; s < siteCount; ++s) {
      const double r = L.siteRadius[s];
      if (collapsed[s] || !d.siteShown(s) ||
          !view.intersects(QRectF(L.sites[s].x() - r, L.sites[s].y() - r, 2 * r, 2 * r)))
        continue;
      if (pointsMode)
        fillDisc(d.frame, d.toScreen(L.sites[s], sz), r * d.zoom, SITE_COLOR.rgb());
      else
        p.drawEllipse(d.toScreen(L.sites[s], sz), r * d.zoom, r * d.zoom);
    }
  }

  // Links. Inside an expanded site: once the site is large enough on screen, one pixel. Between sites: from glyph or
  // node to glyph or node, width by bandwidth, colour by load; several between the same two ends curve apart.
  const int nodeTotal = static_cast<int>(d.nodeIds.size());
  const int glyphTotal = static_cast<int>(d.glyphs.size());
  auto endOf = [&](int node, QPointF& at) -> int {
    const int s = d.nodeSite[static_cast<std::size_t>(node)];
    if (s >= 0 && collapsed[static_cast<std::size_t>(s)]) {
      const int g = d.glyphOfSite[static_cast<std::size_t>(s)];
      if (g >= 0) {
        at = d.glyphs[static_cast<std::size_t>(g)].pos;
        return nodeTotal + g;
      }
      at = d.toScreen(L.sites[static_cast<std::size_t>(s)], sz);
      return nodeTotal + glyphTotal + s;
    }
    at = d.toScreen(L.nodes[static_cast<std::size_t>(node)], sz);
    return node;
  };
  std::vector<QLineF> lines;
  struct Bundle {
    QPointF a, b;
    std::vector<int> links;
  };
  std::vector<Bundle> bundles;
  std::unordered_map<quint64, int> bundleOf;
  for (std::size_t k = 0; k < d.links.size(); ++k) {
    const auto [a, b] = d.links[k];
    if (!d.linkInterSite[k]) {
      const int s = d.nodeSite[static_cast<std::size_t>(a)];
      if (s >= 0 && (collapsed[static_cast<std::size_t>(s)] || L.siteRadius[static_cast<std::size_t>(s)] * d.zoom < 25))
        continue;
      if (!d.shown(a) || !d.shown(b))
        continue;
      const QPointF pa = L.nodes[static_cast<std::size_t>(a)], pb = L.nodes[static_cast<std::size_t>(b)];
      if (std::max(pa.x(), pb.x()) < view.left() || std::min(pa.x(), pb.x()) > view.right() ||
          std::max(pa.y(), pb.y()) < view.top() || std::min(pa.y(), pb.y()) > view.bottom())
        continue;
      lines.emplace_back(d.toScreen(pa, sz), d.toScreen(pb, sz));
      continue;
    }
    if (!d.shown(a) || !d.shown(b))
      continue;
    QPointF pa, pb;
    int ea = endOf(a, pa), eb = endOf(b, pb);
    if (ea == eb)
      continue;
    if (std::max(pa.x(), pb.x()) < 0 || std::min(pa.x(), pb.x()) > sz.width() || std::max(pa.y(), pb.y()) < 0 ||
        std::min(pa.y(), pb.y()) > sz.height())
      continue;
    if (ea > eb) {
      std::swap(ea, eb);
      std::swap(pa, pb);
    }
    const quint64 key = (static_cast<quint64>(static_cast<quint32>(ea)) << 32) | static_cast<quint32>(eb);
    auto [it, fresh] = bundleOf.try_emplace(key, static_cast<int>(bundles.size()));
    if (fresh)
      bundles.push_back({pa, pb, {}});
    bundles[static_cast<std::size_t>(it->second)].links.push_back(static_cast<int>(k));
  }
  auto loadColor = [&](int l) {
    switch (d.linkLoad[static_cast<std::size_t>(l)]) {
    case 1:
      return FLOOD_COLOR;
    case 2:
      return EXFIL_COLOR;
    default:
      return INTER_LINK_COLOR;
    }
  };
  // The k-th of n links between the same ends: a quadratic curve bowed (k - (n-1)/2) x 7 px from the straight line.
  auto curve = [](const Bundle& b, double bow, std::vector<QPointF>& out) {
    out.clear();
    const QPointF m = (b.a + b.b) / 2, dv = b.b - b.a;
    const double len = std::hypot(dv.x(), dv.y());
    const QPointF nrm = len > 0 ? QPointF(-dv.y() / len, dv.x() / len) : QPointF();
    const QPointF c = m + nrm * (2 * bow);
    for (int i = 0; i <= 10; ++i) {
      const double t = i / 10.0;
      out.push_back((1 - t) * (1 - t) * b.a + 2 * (1 - t) * t * c + t * t * b.b);
    }
  };
  std::vector<QPointF> pts;
  const bool thin = crowded || bundles.size() > 300; // a wall of wide links hides the nodes under it
  if (pointsMode) {
    // Written as pixels too: QPainter's line spans cost ~100 ms for 1,000 long lines on a loaded machine. With more
    // than 250 glyphs or 300 links between sites in view every link is one pixel wide: readable, and three times
    // fewer pixels at 100,000 nodes.
    for (const QLineF& l : lines)
      plotLine(d.frame, l, LINK_COLOR.rgb());
    for (const Bundle& b : bundles) {
      const int n = static_cast<int>(b.links.size());
      for (int j = 0; j < n; ++j) {
        const int l = b.links[static_cast<std::size_t>(j)];
        const QRgb c = loadColor(l).rgb();
        if (n == 1 || n > 5) {
          plotThickLine(d.frame, QLineF(b.a, b.b), thin ? 1 : n > 5 ? 4 : d.linkPx[static_cast<std::size_t>(l)], c);
          if (n > 5)
            break;
          continue;
        }
        curve(b, (j - (n - 1) / 2.0) * 7, pts);
        for (std::size_t i = 1; i < pts.size(); ++i)
          plotThickLine(d.frame, QLineF(pts[i - 1], pts[i]), thin ? 1 : d.linkPx[static_cast<std::size_t>(l)], c);
      }
    }
  } else {
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QPen(LINK_COLOR, 0));
    p.drawLines(lines.data(), static_cast<int>(lines.size()));
    p.setRenderHint(QPainter::Antialiasing, bundles.size() <= 150); // else 17 ms a frame at zoom 40, 100,000 nodes
    p.setBrush(Qt::NoBrush);
    const QRectF clipRect = screen.adjusted(-20, -20, 20, 20);
    for (const Bundle& b : bundles) {
      const int n = static_cast<int>(b.links.size());
      for (int j = 0; j < n; ++j) {
        const int l = b.links[static_cast<std::size_t>(j)];
        p.setPen(QPen(loadColor(l), n > 5 ? 4 : d.linkPx[static_cast<std::size_t>(l)], Qt::SolidLine, Qt::RoundCap));
        if (n == 1 || n > 5 || QLineF(b.a, b.b).length() > 4000) {
          QLineF line(b.a, b.b);
          if (clipLine(line, clipRect))
            p.drawLine(line);
          if (n > 5)
            break;
          continue;
        }
        curve(b, (j - (n - 1) / 2.0) * 7, pts);
        p.drawPolyline(pts.data(), static_cast<int>(pts.size()));
      }
    }
  }

  // Nodes of the expanded sites: colour and shape by state, drawn by rank so that states stay on top.
  if (pointsMode) {
    QImage& img = d.frame;
    const int dot = nodePx < 1.2 ? 2 : 3;
    const int w = img.width(), h = img.height();
    uchar* bits = img.bits(); // once: bits() checks for a detach (and runs the image's cache hooks) at every call
    const qsizetype bpl = img.bytesPerLine();
    const QRgb outline = QColor(0x5a, 0x66, 0x72).rgb();
    for (int rank = 1; rank <= 5; ++rank) {
      for (std::size_t k = 0; k < visible.size(); ++k) {
        if (rankOf(vstate[k]) != rank)
          continue;
        const QPointF sp = d.toScreen(L.nodes[static_cast<std::size_t>(visible[k])], sz);
        const QColor c = colorFor(vstate[k]);
        if (nodePx >= 2.5) {
          if (vstate[k].compromised && c != COMPROMISED_COLOR)
            fillDisc(img, sp, nodePx * 1.5, COMPROMISED_COLOR.rgb());
          else if (vstate[k].alerted)
            fillDisc(img, sp, nodePx * 1.5, ALERT_COLOR.rgb());
          const StateShape shape = shapeFor(vstate[k]);
          fillShape(img, sp, nodePx + 1, shape, outline);
          fillShape(img, sp, nodePx, shape, c.rgb());
          continue;
        }
        const int dsz = rank >= 2 ? dot + 1 : dot; // states a pixel larger than healthy nodes
        const int x0 = static_cast<int>(sp.x()) - dsz / 2, y0 = static_cast<int>(sp.y()) - dsz / 2;
        for (int y = std::max(0, y0); y < std::min(h, y0 + dsz); ++y) {
          auto* line = reinterpret_cast<QRgb*>(bits + y * bpl);
          for (int x = std::max(0, x0); x < std::min(w, x0 + dsz); ++x)
            line[x] = c.rgb();
        }
      }
    }
    if (crowded) {
      // many glyphs: rings written as pixels, no count
      for (const Glyph& g : d.glyphs) {
        const SiteGlyphCounts& c = g.counts;
        const int parts[5] = {c.compromised, c.down, c.isolated, c.degraded, c.ok};
        const QRgb colours[5] = {COMPROMISED_COLOR.rgb(), DOWN_COLOR.rgb(), ISOLATED_COLOR.rgb(), DEGRADED_COLOR.rgb(),
                                 OK_COLOR.rgb()};
        QRgb cs[5];
        double ends[5];
        int n = 0, sum = 0;
        for (int k = 0; k < 5; ++k)
          if (parts[k] > 0) {
            sum += parts[k];
            cs[n] = colours[k];
            ends[n++] = static_cast<double>(sum) / c.total();
          }
        fillDisc(img, g.pos, g.r + 1, outline);
        fillRing(img, g.pos, g.r, g.r * 0.45, cs, ends, n, QColor(Qt::white).rgb());
        if (truth ? c.compromisedAny > 0 : c.alerted > 0) // the badge, without its count: a triangle, a yellow dot
          fillShape(img, g.pos + QPointF(g.r, -g.r), 3.5, truth ? StateShape::triangle : StateShape::circle,
                    (truth ? COMPROMISED_COLOR : ALERT_COLOR).rgb());
      }
    }
    p.drawImage(0, 0, img);
  } else {
    p.setRenderHint(QPainter::Antialiasing, visible.size() < 3000);
    for (int rank = 1; rank <= 5; ++rank) {
      for (std::size_t k = 0; k < visible.size(); ++k) {
        const NodeCondition& s = vstate[k];
        if (rankOf(s) != rank)
          continue;
        const QColor c = colorFor(s);
        const QPointF sp = d.toScreen(L.nodes[static_cast<std::size_t>(visible[k])], sz);
        // A compromised node drawn in another state's colour keeps a vermillion ring; a team's alerted node a yellow
        // one.
        if ((s.compromised && c != COMPROMISED_COLOR) || s.alerted) {
          p.setPen(Qt::NoPen);
          p.setBrush(s.alerted && !(s.compromised && c != COMPROMISED_COLOR) ? ALERT_COLOR : COMPROMISED_COLOR);
          p.drawEllipse(sp, nodePx * 1.5, nodePx * 1.5);
        }
        p.setBrush(c);
        p.setPen(nodePx > 3 ? QPen(c == DOWN_COLOR ? QColor(0x60, 0x60, 0x60) : c.darker(160), 1) : QPen(Qt::NoPen));
        const StateShape shape = shapeFor(s);
        if (shape == StateShape::circle)
          p.drawEllipse(sp, nodePx, nodePx);
        else
          p.drawPath(stateShapePath(sp, nodePx, shape));
      }
    }
    if (nodePx >= 5 && visible.size() <= 400) {
      p.setPen(QColor(0x30, 0x38, 0x40));
      QFont f = font();
      f.setPointSizeF(std::clamp(nodePx * 0.9, 6.0, 10.0));
      p.setFont(f);
      for (int i : visible) {
        const QPointF sp = d.toScreen(L.nodes[static_cast<std::size_t>(i)], sz);
        p.drawText(sp + QPointF(nodePx * 1.5 + 2, 4), d.nodeNames[static_cast<std::size_t>(i)]);
      }
    }
  }

  // Overlays: the adversary's progress (ground truth, or what the team detected), the caller's paths, marked nodes.
  p.setRenderHint(QPainter::Antialiasing, true);
  QFont labelFont = font();
  labelFont.setBold(true);
  labelFont.setPointSizeF(8);
  const QFontMetricsF fm(labelFont);
  std::vector<LabelRequest> requests;
  std::vector<int> requestGlyph; // glyph of each request, -1 for overlay labels
  auto drawPath = [&](const OverlayPath& path, bool dashed) {
    QPolygonF poly;
    for (const QString& id : path.nodes) {
      const int i = d.nodeIndex.value(id, -1);
      if (i < 0)
        continue;
      const QPointF at = d.drawnAt(i, sz);
      if (poly.isEmpty() || poly.back() != at)
        poly << at;
    }
    if (poly.isEmpty())
      return;
    QPen pen(path.color.isValid() ? path.color : ADVERSARY_COLOR, 2.5, dashed ? Qt::DashLine : Qt::SolidLine,
             Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    if (poly.size() < 50 && screen.adjusted(-500, -500, 500, 500).contains(poly.boundingRect())) {
      p.drawPolyline(poly); // joined, and dashes run on across the hops
    } else {
      const QRectF clipRect = screen.adjusted(-20, -20, 20, 20);
      for (int k = 1; k < poly.size(); ++k)
        if (QLineF seg(poly[k - 1], poly[k]); clipLine(seg, clipRect))
          p.drawLine(seg);
    }
    // arrowheads at each hop's end, and the start marked with a dot
    p.setBrush(pen.color());
    p.setPen(Qt::NoPen);
    p.drawEllipse(poly.front(), 3.5, 3.5);
    for (int k = 1; k < poly.size(); ++k) {
      const QLineF seg(poly[k - 1], poly[k]);
      if (seg.length() < 14)
        continue;
      const QPointF tip = seg.pointAt(std::max(0.5, 1 - 14 / seg.length()));
      if (!screen.contains(tip))
        continue;
      const QPointF u = (seg.p2() - seg.p1()) / seg.length(), nrm(-u.y(), u.x());
      const QPointF tri[3] = {tip, tip - u * 9 + nrm * 4.5, tip - u * 9 - nrm * 4.5};
      p.drawPolygon(tri, 3);
    }
    if (!path.label.isEmpty()) {
      const QPointF end = poly.back();
      // below every site's label (priority >= 1), above the labels of expanded sites
      requests.push_back(
          {QRectF(end.x() - 6, end.y() - 6, 12, 12), QSizeF(), 0.5, fm.elidedText(path.label, Qt::ElideRight, 180)});
      requestGlyph.push_back(-1);
    }
  };
  for (const OverlayPath& path : d.adversary)
    drawPath(path, path.color == EXFIL_COLOR);
  for (const OverlayPath& path : d.overlays)
    drawPath(path, false);
  bool firstMark = true;
  for (const QString& id : d.marked) {
    const int i = d.nodeIndex.value(id, -1);
    if (i < 0)
      continue;
    const QPointF at = d.drawnAt(i, sz);
    const double r = std::max(10.0, nodePx * 1.5 + 5);
    p.setPen(QPen(MARK_COLOR, 2.5));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(at, r, r);
    if (firstMark && !d.markedLabel.isEmpty()) {
      requests.push_back({QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r), QSizeF(), 0.4,
                          fm.elidedText(d.markedLabel, Qt::ElideRight, 180)});
      requestGlyph.push_back(-1);
      firstMark = false;
    }
  }

  // Glyphs: a ring of the states (clockwise from 12 o'clock: compromised, down, isolated, degraded, ok) around the
  // node count, and a badge with the nodes holding a foothold (ground truth) or alerted (team view).
  QFont countFont = font();
  countFont.setBold(true);
  countFont.setPointSizeF(8);
  QFont badgeFont = countFont;
  badgeFont.setPointSizeF(7.5);
  const QFontMetricsF badgeMetrics(badgeFont);
  std::vector<QRectF> glyphBoxes;
  for (const Glyph& g : d.glyphs) {
    QRectF box(g.pos.x() - g.r, g.pos.y() - g.r, 2 * g.r, 2 * g.r);
    const SiteGlyphCounts& c = g.counts;
    const int badge = crowded ? 0 : (truth ? c.compromisedAny : c.alerted);
    QRectF badgeBox;
    if (badge > 0) {
      const QString text = QString::number(badge);
      const double bw = badgeMetrics.horizontalAdvance(text) + (truth ? 15 : 8), bh = 14;
      badgeBox = QRectF(g.pos.x() + g.r * 0.45, g.pos.y() - g.r - bh * 0.55, bw, bh);
      box = box.united(badgeBox);
    }
    glyphBoxes.push_back(box);
    if (crowded)
      continue; // written as pixels above
    const int parts[5] = {c.compromised, c.down, c.isolated, c.degraded, c.ok};
    const QColor colours[5] = {COMPROMISED_COLOR, DOWN_COLOR, ISOLATED_COLOR, DEGRADED_COLOR, OK_COLOR};
    const QRectF disc(g.pos.x() - g.r, g.pos.y() - g.r, 2 * g.r, 2 * g.r);
    p.setPen(Qt::NoPen);
    int start = 90 * 16;
    int done = 0;
    for (int k = 0; k < 5; ++k) {
      if (parts[k] == 0)
        continue;
      done += parts[k];
      const int end = 90 * 16 - static_cast<int>(std::lround(360.0 * 16 * done / c.total()));
      p.setBrush(colours[k]);
      if (parts[k] == c.total())
        p.drawEllipse(disc);
      else
        p.drawPie(disc, start, end - start);
      start = end;
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(0x4a, 0x55, 0x60), 1));
    p.drawEllipse(disc);
    const double ri = g.r * 0.62;
    p.setBrush(Qt::white);
    p.setPen(Qt::NoPen);
    p.drawEllipse(g.pos, ri, ri);
    p.setPen(TEXT_COLOR);
    QFont f = countFont;
    const QString count = QString::number(c.total());
    f.setPointSizeF(count.size() >= 4 ? 6 : count.size() == 3 ? 7 : 8);
    p.setFont(f);
    p.drawText(QRectF(g.pos.x() - ri - 2, g.pos.y() - ri, 2 * ri + 4, 2 * ri), Qt::AlignCenter, count);
    if (badge > 0) {
      p.setPen(QPen(Qt::white, 1));
      p.setBrush(truth ? COMPROMISED_COLOR : ALERT_COLOR);
      p.drawRoundedRect(badgeBox, 7, 7);
      p.setFont(badgeFont);
      p.setPen(truth ? Qt::white : TEXT_COLOR);
      if (truth) {
        // a small triangle: the compromised state's shape
        p.setBrush(Qt::white);
        p.setPen(Qt::NoPen);
        p.drawPath(stateShapePath(badgeBox.topLeft() + QPointF(7, 7.5), 3.2, StateShape::triangle));
        p.setPen(Qt::white);
        p.drawText(badgeBox.adjusted(12, 0, -2, 0), Qt::AlignCenter, QString::number(badge));
      } else {
        p.drawText(badgeBox, Qt::AlignCenter, QString::number(badge));
      }
    }
  }

  // Legend (bottom left), computed first: labels avoid it.
  QFont lf = font();
  lf.setPointSizeF(8.5);
  struct Entry {
    QColor color;
    QString label;
    int kind; // 0 state shape, 1 alert ring, 2 link, 3 path
    NodeCondition state;
  };
  auto st = [](bool compromised, bool isolated, bool down, bool degraded) {
    NodeCondition c;
    c.compromised = compromised;
    c.isolated = isolated;
    c.down = down;
    c.degraded = degraded;
    return c;
  };
  std::vector<Entry> legend = {{OK_COLOR, tr("ok"), 0, st(false, false, false, false)},
                               {DEGRADED_COLOR, tr("degraded"), 0, st(false, false, false, true)}};
  if (truth)
    legend.push_back({COMPROMISED_COLOR, tr("compromised"), 0, st(true, false, false, false)});
  legend.push_back({ISOLATED_COLOR, tr("isolated"), 0, st(false, true, false, false)});
  legend.push_back({DOWN_COLOR, tr("down"), 0, st(false, false, true, false)});
  if (!truth)
    legend.push_back({ALERT_COLOR, tr("alert (ring)"), 1, {}});
  const bool anyFlood = std::find(d.linkLoad.begin(), d.linkLoad.end(), 1) != d.linkLoad.end();
  const bool anyExfil = std::find(d.linkLoad.begin(), d.linkLoad.end(), 2) != d.linkLoad.end();
  if (anyFlood)
    legend.push_back({FLOOD_COLOR, tr("link under a flood"), 2, {}});
  if (anyExfil)
    legend.push_back({EXFIL_COLOR, tr("exfiltration under way"), 2, {}});
  if (!d.adversary.isEmpty())
    legend.push_back({ADVERSARY_COLOR, truth ? tr("adversary's path") : tr("detected activity"), 3, {}});
  const QString caption =
      truth ? tr("Ground truth · %1 nodes").arg(d.nodeIds.size()) : tr("View of team %1").arg(d.team);
  const int rowH = 16;
  const QRect legendBox(8, height() - 8 - rowH * (static_cast<int>(legend.size()) + 1) - 8, 178,
                        rowH * (static_cast<int>(legend.size()) + 1) + 8);

  // Site labels: around their glyphs (or above an expanded site), never over a glyph, the legend or the buttons.
  std::vector<std::size_t> expandedInView;
  if (drawSites)
    for (std::size_t s = 0; s < siteCount; ++s)
      if (!collapsed[s] && d.siteShown(s) && view.contains(L.sites[s]))
        expandedInView.push_back(s);
  if (d.glyphs.size() + expandedInView.size() <= 400) {
    for (std::size_t g = 0; g < d.glyphs.size(); ++g) {
      const Glyph& glyph = d.glyphs[g];
      // the first site's name elided, never the part that says the glyph stands for more sites
      const QString first = d.siteNames[static_cast<std::size_t>(glyph.sites.front())];
      QString text;
      if (glyph.sites.size() == 1) {
        text = fm.elidedText(first, Qt::ElideRight, 230);
      } else if (glyph.sites.size() == 2) {
        const QString second = d.siteNames[static_cast<std::size_t>(glyph.sites[1])];
        text = fm.elidedText(first, Qt::ElideRight, 140) + QStringLiteral(" · ") +
               fm.elidedText(second, Qt::ElideRight, 140);
      } else {
        const QString more = tr(" + %1 sites").arg(glyph.sites.size() - 1);
        text = fm.elidedText(first, Qt::ElideRight, 230 - fm.horizontalAdvance(more)) + more;
      }
      const double pri = static_cast<double>(urgency(glyph.counts)) * 1e6 + glyph.counts.total();
      requests.push_back({glyphBoxes[g], QSizeF(), pri, text});
      requestGlyph.push_back(static_cast<int>(g));
    }
    for (std::size_t s : expandedInView) {
      const QPointF sp = d.toScreen(L.sites[s], sz);
      const double r = std::max(L.siteRadius[s] * d.zoom, 4.0);
      requests.push_back({QRectF(sp.x() - r, sp.y() - r, 2 * r, 2 * r).intersected(screen), QSizeF(), -1,
                          fm.elidedText(d.siteNames[s], Qt::ElideRight, 260)});
      requestGlyph.push_back(-2);
    }
  }
  for (LabelRequest& r : requests)
    r.size = QSizeF(fm.horizontalAdvance(r.text) + 6, fm.height() + 2);
  std::vector<QRectF> obstacles = glyphBoxes;
  for (std::size_t s : expandedInView) // the nodes of small expanded sites are not written over either
    if (const double r = L.siteRadius[s] * d.zoom; r < 120) {
      const QPointF sp = d.toScreen(L.sites[s], sz);
      obstacles.push_back(QRectF(sp.x() - r * 0.8, sp.y() - r * 0.8, 1.6 * r, 1.6 * r));
    }
  obstacles.push_back(QRectF(legendBox).adjusted(-2, -2, 2, 2));
  obstacles.push_back(QRectF(width() - 36, 0, 36, 3 * 30 + 8)); // the zoom buttons
  d.labels = placeLabels(requests, obstacles, screen.adjusted(2, 2, -2, -2), 2);
  p.setFont(labelFont);
  for (const PlacedLabel& l : d.labels) {
    if (l.leader) {
      p.setPen(QPen(QColor(0x70, 0x7a, 0x86), 1));
      const QPointF target(std::clamp(l.anchorPoint.x(), l.rect.left(), l.rect.right()),
                           std::clamp(l.anchorPoint.y(), l.rect.top(), l.rect.bottom()));
      p.drawLine(l.anchorPoint, target);
    }
    const bool overlay = requestGlyph[static_cast<std::size_t>(l.request)] == -1;
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, overlay ? 235 : 200));
    p.drawRoundedRect(l.rect, 3, 3);
    p.setPen(overlay ? ADVERSARY_COLOR : QColor(0x30, 0x3a, 0x45));
    p.drawText(l.rect, Qt::AlignCenter, l.text);
  }

  // Selection.
  if (d.selected >= 0) {
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(SELECT_COLOR, 3));
    const QPointF sp = d.drawnAt(d.selected, sz);
    const double r = std::max(8.0, nodePx * 1.5 + 5);
    p.drawEllipse(sp, r, r);
    p.setPen(TEXT_COLOR);
    p.setFont(font());
    p.drawText(sp + QPointF(r + 3, -r), d.nodeNames[static_cast<std::size_t>(d.selected)]);
  }

  // Legend.
  p.setFont(lf);
  p.setPen(QColor(0xc0, 0xc8, 0xd0));
  p.setBrush(QColor(255, 255, 255, 225));
  p.drawRoundedRect(legendBox, 4, 4);
  p.setPen(TEXT_COLOR);
  p.drawText(legendBox.left() + 8, legendBox.top() + 4 + 12, caption);
  for (std::size_t k = 0; k < legend.size(); ++k) {
    const Entry& e = legend[k];
    const int y = legendBox.top() + 4 + rowH * static_cast<int>(k + 1);
    const QPointF at(legendBox.left() + 14, y + 8);
    switch (e.kind) {
    case 0:
      p.setPen(QPen(e.color == DOWN_COLOR ? QColor(0x60, 0x60, 0x60) : e.color.darker(160), 1));
      p.setBrush(e.color);
      p.drawPath(stateShapePath(at, 5, shapeFor(e.state)));
      break;
    case 1:
      p.setPen(Qt::NoPen);
      p.setBrush(ALERT_COLOR);
      p.drawEllipse(at, 7, 7);
      p.setBrush(OK_COLOR);
      p.setPen(QPen(OK_COLOR.darker(160), 1));
      p.drawEllipse(at, 4.5, 4.5);
      break;
    case 2:
      p.setPen(QPen(e.color, 3, Qt::SolidLine, Qt::RoundCap));
      p.drawLine(at - QPointF(7, 0), at + QPointF(7, 0));
      break;
    default:
      p.setPen(QPen(e.color, 2.5, Qt::SolidLine, Qt::RoundCap));
      p.drawLine(at - QPointF(7, 0), at + QPointF(5, 0));
      p.setBrush(e.color);
      p.setPen(Qt::NoPen);
      p.drawEllipse(at - QPointF(7, 0), 2.5, 2.5);
      break;
    }
    p.setPen(TEXT_COLOR);
    p.drawText(legendBox.left() + 28, y + 12, e.label);
  }
  d.lastPaintMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

void MapView::wheelEvent(QWheelEvent* event)
{
  Impl& d = *m_d;
  d.fitPending = false;
  const QPointF at = event->position();
  const QPointF before = d.toWorld(at, size());
  setZoom(d.zoom * std::pow(1.0015, event->angleDelta().y()));
  const QPointF after = d.toWorld(at, size());
  d.center += before - after; // keep the point under the cursor fixed
  update();
  event->accept();
}

void MapView::mousePressEvent(QMouseEvent* event)
{
  if (event->button() != Qt::LeftButton)
    return QWidget::mousePressEvent(event);
  m_d->pressed = true;
  m_d->dragging = false;
  m_d->pressPos = m_d->lastPos = event->position().toPoint();
}

void MapView::mouseMoveEvent(QMouseEvent* event)
{
  Impl& d = *m_d;
  if (!d.pressed)
    return;
  const QPoint pos = event->position().toPoint();
  if (!d.dragging && (pos - d.pressPos).manhattanLength() > 3)
    d.dragging = true;
  if (d.dragging) {
    panBy(pos - d.lastPos);
    d.lastPos = pos;
  }
}

void MapView::mouseReleaseEvent(QMouseEvent* event)
{
  Impl& d = *m_d;
  if (event->button() != Qt::LeftButton || !d.pressed)
    return QWidget::mouseReleaseEvent(event);
  d.pressed = false;
  if (!d.dragging) {
    if (const int g = d.pickGlyph(event->position()); g >= 0 && d.layout) {
      // A click on a glyph expands it: centre on its sites and zoom until each shows its nodes.
      const Glyph& glyph = d.glyphs[static_cast<std::size_t>(g)];
      double zoom = d.zoom * 2;
      QRectF box;
      for (int s : glyph.sites) {
        const double r = d.layout->siteRadius[static_cast<std::size_t>(s)];
        zoom = std::max(zoom, std::min(EXPAND_SITE_PX / std::max(r, 1e-9), EXPAND_NODE_PX / 0.4) * 1.05);
        const QPointF c = d.layout->sites[static_cast<std::size_t>(s)];
        box = box.united(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r));
      }
      setZoom(zoom);
      centerOn(box.center());
    } else {
      const int i = d.pick(event->position(), size());
      selectNode(i < 0 ? QString() : d.nodeIds[static_cast<std::size_t>(i)]);
    }
  }
  d.dragging = false;
}

void MapView::resizeEvent(QResizeEvent* event)
{
  QWidget::resizeEvent(event);
  if (m_d->layout)
    reserveBasemap(*m_d->layout, size());
  const QList<QToolButton*> buttons = findChildren<QToolButton*>(QString(), Qt::FindDirectChildrenOnly);
  int y = 8;
  for (const char* name : {"zoomIn", "zoomOut", "zoomFit"})
    for (QToolButton* b : buttons)
      if (b->objectName() == QLatin1String(name)) {
        b->move(width() - b->width() - 8, y);
        y += b->height() + 4;
      }
  if (m_d->fitPending)
    fitAll();
}

void MapView::keyPressEvent(QKeyEvent* event)
{
  switch (event->key()) {
  case Qt::Key_Plus:
  case Qt::Key_Equal:
    zoomIn();
    break;
  case Qt::Key_Minus:
  case Qt::Key_Underscore:
    zoomOut();
    break;
  case Qt::Key_0:
    fitAll();
    break;
  default:
    return QWidget::keyPressEvent(event);
  }
  event->accept();
}

bool MapView::event(QEvent* event)
{
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = toolTipAt(help->pos());
    if (text.isEmpty()) {
      QToolTip::hideText();
      event->ignore();
    } else {
      QToolTip::showText(help->globalPos(), text, this);
    }
    return true;
  }
  return QWidget::event(event);
}

} // namespace cyberex::gui
