#include "map/map_view.hpp"

#include "map/basemap.hpp"
#include "map/map_layout.hpp"
#include "map/map_raster.hpp"
#include "state/exercise_state_model.hpp"

#include "cyberex/model.hpp"

#include <QElapsedTimer>
#include <QHash>
#include <QImage>
#include <QLineF>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QRectF>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <vector>

namespace cyberex::gui {

namespace {

const QColor OK_COLOR(0x7f, 0xa8, 0x8a);
const QColor DEGRADED_COLOR(0xf0, 0xa0, 0x30);
const QColor COMPROMISED_COLOR(0xe5, 0x39, 0x35);
const QColor ISOLATED_COLOR(0x1e, 0x63, 0xd6);
const QColor DOWN_COLOR(0x30, 0x30, 0x30);
const QColor ALERT_COLOR(0xff, 0xd6, 0x00);
const QColor SELECT_COLOR(0x00, 0xb8, 0xd4);
const QColor BACKGROUND(0xf7, 0xf8, 0xfa);

const QColor SITE_COLOR(0xea, 0xee, 0xf2);
const QColor LINK_COLOR(0xb0, 0xb8, 0xc0);
const QColor INTER_LINK_COLOR(0xa4, 0xae, 0xb8);

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

} // namespace

struct MapView::Impl {
  // topology
  std::vector<QString> nodeIds, nodeNames;
  std::vector<int> nodeSite;
  std::vector<QString> siteNames;
  std::shared_ptr<const MapLayout> layout;
  std::vector<std::pair<int, int>> links;
  std::vector<char> linkInterSite;
  QHash<QString, int> nodeIndex;
  QHash<QString, std::vector<char>> teamAssets; // player team -> shown mask
  QHash<QString, std::vector<char>> teamSites;  // player team -> sites holding one of its assets

  // state: the model's, drawn as the ground truth (empty team) or a player team's view
  QPointer<ExerciseStateModel> model;
  QString team;

  // view
  double zoom = 1;
  QPointF center;
  bool fitPending = true;
  int selected = -1;
  bool dragging = false;
  bool pressed = false;
  QPoint pressPos, lastPos;
  double lastPaintMs = 0;
  QImage frame; // zoomed-out frame, reused between paints

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
      const QPointF d = layout->nodes[static_cast<std::size_t>(i)] - w;
      const double dd = d.x() * d.x() + d.y() * d.y();
      if (dd < bestD || (dd == bestD && i < best)) {
        bestD = dd;
        best = i;
      }
    });
    return best;
  }
};

MapView::MapView(QWidget* parent) : QWidget(parent), m_d(std::make_unique<Impl>())
{
  setMouseTracking(false);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(200, 150);
  setAttribute(Qt::WA_OpaquePaintEvent);
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
    connect(model, &ExerciseStateModel::stateChanged, this, qOverload<>(&QWidget::update));
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
  const Scenario* current = d.model ? d.model->scenario() : nullptr;
  if (!current) {
    d.layout.reset();
    d.nodeIds.clear();
    d.nodeNames.clear();
    d.nodeIndex.clear();
    update();
    return;
  }
  const Scenario& scenario = *current;
  const QString key =
      QString::fromStdString(scenario.file) +
      QStringLiteral("#%1#%2#%3").arg(scenario.sites.size()).arg(scenario.nodes.size()).arg(scenario.links.size());
  auto& cache = layoutCache();
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache.emplace(key, std::make_shared<const MapLayout>(computeMapLayout(scenario))).first;
  d.layout = it->second;

  const std::size_t n = scenario.nodes.size();
  d.nodeIds.assign(n, {});
  d.nodeNames.assign(n, {});
  d.nodeSite.assign(n, -1);
  d.nodeIndex.clear();
  d.nodeIndex.reserve(static_cast<qsizetype>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const Node& node = scenario.nodes[i];
    d.nodeIds[i] = QString::fromStdString(node.id);
    d.nodeNames[i] = node.name.empty() ? d.nodeIds[i] : QString::fromStdString(node.name);
    d.nodeSite[i] = node.site_index;
    d.nodeIndex.insert(d.nodeIds[i], static_cast<int>(i));
  }
  d.siteNames.clear();
  for (const Site& s : scenario.sites)
    d.siteNames.push_back(QString::fromStdString(s.name.empty() ? s.id : s.name));
  d.links.clear();
  d.linkInterSite.clear();
  for (const Link& l : scenario.links) {
    if (l.a_index < 0 || l.b_index < 0)
      continue;
    d.links.emplace_back(l.a_index, l.b_index);
    d.linkInterSite.push_back(scenario.nodes[static_cast<std::size_t>(l.a_index)].site_index !=
                              scenario.nodes[static_cast<std::size_t>(l.b_index)].site_index);
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
  d.grid.build(*d.layout);
  d.fitPending = true;
  fitAll();
}

void MapView::setTeamView(const QString& team)
{
  if (m_d->team == team)
    return;
  m_d->team = team;
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
  const QRectF b = d.layout->bounds;
  const double w = std::max(1.0, b.width()), h = std::max(1.0, b.height());
  d.zoom = std::min((width() - 20) / w, (height() - 20) / h);
  if (!(d.zoom > 0))
    d.zoom = 1;
  d.center = b.center();
  update();
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

void MapView::setOverlayPaths(const QList<OverlayPath>& /*paths*/)
{
  // (issue 19: drawn by the map view)
}

QList<MapView::OverlayPath> MapView::overlayPaths() const
{
  return {};
}

void MapView::setMarkedNodes(const QStringList& /*nodeIds*/, const QString& /*label*/) {}

QStringList MapView::markedNodes() const
{
  return {};
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

void MapView::paintEvent(QPaintEvent* /*event*/)
{
  QElapsedTimer timer;
  timer.start();
  Impl& d = *m_d;
  QPainter p(this);
  if (!d.layout || d.nodeIds.empty() || !d.model) {
    p.fillRect(rect(), BACKGROUND);
    p.setPen(Qt::darkGray);
    p.drawText(rect(), Qt::AlignCenter, tr("No scenario"));
    d.lastPaintMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    return;
  }
  const QSize sz = size();
  const QRectF view = d.visibleWorld(sz);
  const double nodePx = 0.4 * d.zoom; // node radius on screen: spiral neighbours are 1 unit apart
  const auto& L = *d.layout;

  // Nodes in view, from the grid.
  std::vector<int> visible;
  const double margin = std::max(nodePx, 2.0) / d.zoom;
  const QRectF grown = view.adjusted(-margin, -margin, margin, margin);
  d.grid.forNodesIn(grown, [&](int i) {
    if (d.shown(i) && grown.contains(L.nodes[static_cast<std::size_t>(i)]))
      visible.push_back(i);
  });
  const std::vector<NodeCondition>& conditions = d.model->nodeConditions();
  const std::vector<char>& alerted = d.alerts();
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

  // Site discs and names.
  const bool drawSites = L.sites.size() <= 5000;
  if (drawSites) {
    p.setRenderHint(QPainter::Antialiasing, L.sites.size() <= 500);
    p.setPen(QPen(QColor(0xc8, 0xd0, 0xd8), 1));
    p.setBrush(SITE_COLOR);
    for (std::size_t s = 0; s < L.sites.size(); ++s) {
      const double r = L.siteRadius[s];
      if (!d.siteShown(s) || r * d.zoom < (pointsMode ? 2 : 8) ||
          !view.intersects(QRectF(L.sites[s].x() - r, L.sites[s].y() - r, 2 * r, 2 * r)))
        continue;
      if (pointsMode)
        fillDisc(d.frame, d.toScreen(L.sites[s], sz), r * d.zoom, SITE_COLOR.rgb());
      else
        p.drawEllipse(d.toScreen(L.sites[s], sz), r * d.zoom, r * d.zoom);
    }
  }

  // Links: every link in view; the short links inside a site only once the site is large enough on screen.
  p.setRenderHint(QPainter::Antialiasing, false);
  std::vector<QLineF> lines;
  std::vector<QLineF> interLines;
  for (std::size_t k = 0; k < d.links.size(); ++k) {
    const auto [a, b] = d.links[k];
    if (!d.shown(a) || !d.shown(b))
      continue;
    const QPointF pa = L.nodes[static_cast<std::size_t>(a)], pb = L.nodes[static_cast<std::size_t>(b)];
    if (std::max(pa.x(), pb.x()) < view.left() || std::min(pa.x(), pb.x()) > view.right() ||
        std::max(pa.y(), pb.y()) < view.top() || std::min(pa.y(), pb.y()) > view.bottom())
      continue;
    if (d.linkInterSite[k]) {
      interLines.emplace_back(d.toScreen(pa, sz), d.toScreen(pb, sz));
    } else {
      const int s = d.nodeSite[static_cast<std::size_t>(a)];
      if (s >= 0 && L.siteRadius[static_cast<std::size_t>(s)] * d.zoom < 25)
        continue;
      lines.emplace_back(d.toScreen(pa, sz), d.toScreen(pb, sz));
    }
  }
  if (pointsMode) {
    // Written as pixels too: QPainter's line spans cost ~100 ms for 1,000 long lines on a loaded machine.
    for (const QLineF& l : lines)
      plotLine(d.frame, l, LINK_COLOR.rgb());
    for (const QLineF& l : interLines)
      plotLine(d.frame, l, INTER_LINK_COLOR.rgb());
  } else {
    p.setPen(QPen(LINK_COLOR, 0));
    p.drawLines(lines.data(), static_cast<int>(lines.size()));
    p.setPen(QPen(INTER_LINK_COLOR, 0));
    p.drawLines(interLines.data(), static_cast<int>(interLines.size()));
  }

  if (pointsMode) {
    // 2x2 or 3x3 pixel squares (discs once larger), by rank so that states stay on top.
    QImage& img = d.frame;
    const int dot = nodePx < 1.2 ? 2 : 3;
    const int w = img.width(), h = img.height();
    uchar* bits = img.bits(); // once: bits() checks for a detach (and runs the image's cache hooks) at every call
    const qsizetype bpl = img.bytesPerLine();
    for (int rank = 1; rank <= 5; ++rank) {
      for (std::size_t k = 0; k < visible.size(); ++k) {
        if (rankOf(vstate[k]) != rank)
          continue;
        const QPointF sp = d.toScreen(L.nodes[static_cast<std::size_t>(visible[k])], sz);
        const QColor c = colorFor(vstate[k]);
        if (nodePx >= 2.5) {
          if (vstate[k].compromised && c != COMPROMISED_COLOR)
            fillDisc(img, sp, nodePx * 1.35, COMPROMISED_COLOR.rgb());
          else if (vstate[k].alerted)
            fillDisc(img, sp, nodePx * 1.35, ALERT_COLOR.rgb());
          fillDisc(img, sp, nodePx, c.rgb());
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
    p.drawImage(0, 0, img);
  } else {
    p.setRenderHint(QPainter::Antialiasing, visible.size() < 3000);
    for (int rank = 1; rank <= 5; ++rank) {
      QColor current;
      for (std::size_t k = 0; k < visible.size(); ++k) {
        const NodeCondition& s = vstate[k];
        if (rankOf(s) != rank)
          continue;
        const QColor c = colorFor(s);
        if (c != current) {
          p.setBrush(c);
          current = c;
        }
        // A compromised node drawn in another state's colour keeps a red ring; a team's alerted node a yellow one.
        if (s.compromised && c != COMPROMISED_COLOR)
          p.setPen(QPen(COMPROMISED_COLOR, std::max(1.5, nodePx * 0.3)));
        else if (s.alerted)
          p.setPen(QPen(ALERT_COLOR, std::max(1.5, nodePx * 0.3)));
        else
          p.setPen(nodePx > 4 ? QPen(c.darker(140), 1) : Qt::NoPen);
        p.drawEllipse(d.toScreen(L.nodes[static_cast<std::size_t>(visible[k])], sz), nodePx, nodePx);
      }
    }
    if (nodePx >= 5 && visible.size() <= 400) {
      p.setPen(QColor(0x30, 0x38, 0x40));
      QFont f = font();
      f.setPointSizeF(std::clamp(nodePx * 0.9, 6.0, 10.0));
      p.setFont(f);
      for (int i : visible) {
        const QPointF sp = d.toScreen(L.nodes[static_cast<std::size_t>(i)], sz);
        p.drawText(sp + QPointF(nodePx + 2, 4), d.nodeNames[static_cast<std::size_t>(i)]);
      }
    }
  }

  // Site names, once they do not pile up.
  if (drawSites) {
    int inView = 0;
    for (std::size_t s = 0; s < L.sites.size(); ++s)
      inView += d.siteShown(s) && view.contains(L.sites[s]) ? 1 : 0;
    if (inView <= 60) {
      QFont f = font();
      f.setBold(true);
      f.setPointSizeF(8);
      p.setFont(f);
      p.setPen(QColor(0x40, 0x4a, 0x55));
      const QFontMetrics fm(f);
      std::vector<QRect> taken; // greedy decluttering: a name that would overlap an earlier one is left out
      for (std::size_t s = 0; s < L.sites.size(); ++s) {
        if (!d.siteShown(s) || !view.contains(L.sites[s]))
          continue;
        const QPointF sp = d.toScreen(L.sites[s], sz);
        const double r = L.siteRadius[s] * d.zoom;
        const QString name = fm.elidedText(d.siteNames[s], Qt::ElideRight, 260);
        QRect box = fm.boundingRect(name);
        box.moveTo(static_cast<int>(sp.x()) - box.width() / 2,
                   static_cast<int>(sp.y() - std::max(r, 4.0) - 4) - box.height());
        if (std::any_of(taken.begin(), taken.end(), [&](const QRect& t) { return t.intersects(box); }))
          continue;
        taken.push_back(box.adjusted(-4, -4, 4, 4));
        p.drawText(box, Qt::AlignCenter, name);
      }
    }
  }

  // Selection.
  if (d.selected >= 0) {
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(SELECT_COLOR, 3));
    const QPointF sp = d.toScreen(L.nodes[static_cast<std::size_t>(d.selected)], sz);
    const double r = std::max(8.0, nodePx + 5);
    p.drawEllipse(sp, r, r);
    p.setPen(QColor(0x10, 0x20, 0x30));
    p.drawText(sp + QPointF(r + 3, -r), d.nodeNames[static_cast<std::size_t>(d.selected)]);
  }

  // Legend.
  p.setRenderHint(QPainter::Antialiasing, true);
  QFont lf = font();
  lf.setPointSizeF(8.5);
  p.setFont(lf);
  struct Entry {
    QColor color;
    QString label;
  };
  std::vector<Entry> legend = {{OK_COLOR, tr("ok")}, {DEGRADED_COLOR, tr("degraded")}};
  if (d.team.isEmpty())
    legend.push_back({COMPROMISED_COLOR, tr("compromised")});
  legend.push_back({ISOLATED_COLOR, tr("isolated")});
  legend.push_back({DOWN_COLOR, tr("down")});
  if (!d.team.isEmpty())
    legend.push_back({ALERT_COLOR, tr("alert (ring)")});
  const QString caption =
      d.team.isEmpty() ? tr("Ground truth · %1 nodes").arg(d.nodeIds.size()) : tr("View of team %1").arg(d.team);
  const int rowH = 16;
  const QRect box(8, height() - 8 - rowH * (static_cast<int>(legend.size()) + 1) - 8, 170,
                  rowH * (static_cast<int>(legend.size()) + 1) + 8);
  p.setPen(QColor(0xc0, 0xc8, 0xd0));
  p.setBrush(QColor(255, 255, 255, 225));
  p.drawRoundedRect(box, 4, 4);
  p.setPen(QColor(0x20, 0x28, 0x30));
  p.drawText(box.left() + 8, box.top() + 4 + 12, caption);
  for (std::size_t k = 0; k < legend.size(); ++k) {
    const int y = box.top() + 4 + rowH * static_cast<int>(k + 1);
    p.setPen(legend[k].color == ALERT_COLOR ? QPen(ALERT_COLOR, 2) : QPen(legend[k].color.darker(140), 1));
    p.setBrush(legend[k].color == ALERT_COLOR ? QBrush(OK_COLOR) : QBrush(legend[k].color));
    p.drawEllipse(QPointF(box.left() + 14, y + 8), 5, 5);
    p.setPen(QColor(0x20, 0x28, 0x30));
    p.drawText(box.left() + 26, y + 12, legend[k].label);
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
    const int i = d.pick(event->position(), size());
    selectNode(i < 0 ? QString() : d.nodeIds[static_cast<std::size_t>(i)]);
  }
  d.dragging = false;
}

void MapView::resizeEvent(QResizeEvent* event)
{
  QWidget::resizeEvent(event);
  if (m_d->fitPending)
    fitAll();
}

} // namespace cyberex::gui
