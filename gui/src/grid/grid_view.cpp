/* The grid view (grid_view.hpp): a QGraphicsScene rebuilt from ExerciseState::grid_flows() after a state change. */
#include "grid/grid_view.hpp"

#include "cyberex/exercise_state.hpp"
#include "cyberex/model.hpp"

#include <QBrush>
#include <QComboBox>
#include <QFont>
#include <QGraphicsEllipseItem>
#include <QGraphicsLineItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QPen>
#include <QPushButton>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace cyberex::gui {

namespace {

constexpr double BUS_SPACING = 180; // scene pixels between the two closest buses
constexpr double BUS_WIDTH = 76, BUS_HEIGHT = 9;
constexpr double PARALLEL_GAP = 16; // between parallel branches of one pair of buses

QString mw(double value)
{
  return QString::number(value, 'f', std::abs(value) < 10 ? 1 : 0) + QStringLiteral(" MW");
}

/// A QGraphicsView that zooms at the cursor with the wheel and pans by dragging.
class Canvas : public QGraphicsView {
public:
  using QGraphicsView::QGraphicsView;

protected:
  void wheelEvent(QWheelEvent* event) override
  {
    const double f = event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15;
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    scale(f, f);
  }
};

} // namespace

struct GridView::Impl {
  ExerciseStateModel* model = nullptr;
  QString team;
  QString grid;
  QComboBox* gridBox = nullptr;
  QGraphicsScene* scene = nullptr;
  Canvas* view = nullptr;
  QLabel* legend = nullptr;
  QTimer redraw;
  QHash<QString, QGraphicsItem*> branches, buses;
  int islands = 0;
  bool fitPending = true;
};

GridView::GridView(QWidget* parent) : QWidget(parent), m_d(std::make_unique<Impl>())
{
  Impl& d = *m_d;
  setObjectName(QStringLiteral("gridView"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 4, 6, 0);
  d.gridBox = new QComboBox(this);
  d.gridBox->setObjectName(QStringLiteral("gridSelect"));
  d.gridBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  auto* fit = new QPushButton(tr("Fit"), this);
  bar->addWidget(new QLabel(tr("Grid:"), this));
  bar->addWidget(d.gridBox);
  bar->addStretch(1);
  bar->addWidget(fit);
  layout->addLayout(bar);
  d.scene = new QGraphicsScene(this);
  d.view = new Canvas(d.scene, this);
  d.view->setRenderHint(QPainter::Antialiasing);
  d.view->setDragMode(QGraphicsView::ScrollHandDrag);
  d.view->setBackgroundBrush(Qt::white);
  layout->addWidget(d.view, 1);
  d.legend = new QLabel(this);
  d.legend->setWordWrap(true);
  d.legend->setTextFormat(Qt::RichText);
  d.legend->setContentsMargins(6, 2, 6, 4);
  layout->addWidget(d.legend);

  d.redraw.setSingleShot(true);
  d.redraw.setInterval(50);
  connect(&d.redraw, &QTimer::timeout, this, &GridView::rebuild);
  connect(fit, &QPushButton::clicked, this, &GridView::fitAll);
  connect(d.gridBox, &QComboBox::currentIndexChanged, this, [this](int i) {
    m_d->grid = i < 0 ? QString() : m_d->gridBox->itemData(i).toString();
    m_d->fitPending = true;
    rebuild();
  });
  rebuild();
}

GridView::~GridView() = default;

void GridView::setModel(ExerciseStateModel* model)
{
  Impl& d = *m_d;
  if (d.model)
    disconnect(d.model, nullptr, this, nullptr);
  d.model = model;
  auto fillGrids = [this] {
    Impl& g = *m_d;
    const QSignalBlocker block(g.gridBox);
    const QString current = g.grid;
    g.gridBox->clear();
    if (const Scenario* sc = g.model ? g.model->scenario() : nullptr)
      for (const Grid& grid : sc->grids)
        if (grid.networked())
          g.gridBox->addItem(
              grid.name.empty() || grid.name == grid.id
                  ? QString::fromStdString(grid.id)
                  : QStringLiteral("%1 (%2)").arg(QString::fromStdString(grid.name), QString::fromStdString(grid.id)),
              QString::fromStdString(grid.id));
    const int i = std::max(0, g.gridBox->findData(current));
    g.gridBox->setCurrentIndex(g.gridBox->count() ? i : -1);
    g.grid = g.gridBox->currentData().toString();
    g.fitPending = true;
    rebuild();
  };
  if (model) {
    connect(model, &ExerciseStateModel::scenarioChanged, this, fillGrids);
    connect(model, &ExerciseStateModel::stateChanged, this, [this] {
      if (!m_d->redraw.isActive())
        m_d->redraw.start();
    });
  }
  fillGrids();
}

ExerciseStateModel* GridView::model() const
{
  return m_d->model;
}

void GridView::setTeamView(const QString& team)
{
  if (m_d->team == team)
    return;
  m_d->team = team;
  m_d->fitPending = true;
  rebuild();
}

QString GridView::teamView() const
{
  return m_d->team;
}

QStringList GridView::grids() const
{
  QStringList ids;
  for (int i = 0; i < m_d->gridBox->count(); ++i)
    ids << m_d->gridBox->itemData(i).toString();
  return ids;
}

QString GridView::grid() const
{
  return m_d->grid;
}

void GridView::setGrid(const QString& gridId)
{
  const int i = m_d->gridBox->findData(gridId);
  if (i >= 0)
    m_d->gridBox->setCurrentIndex(i);
}

void GridView::refresh()
{
  m_d->redraw.stop();
  rebuild();
}

void GridView::fitAll()
{
  Impl& d = *m_d;
  const QRectF r = d.scene->itemsBoundingRect();
  if (r.isEmpty())
    return;
  d.view->resetTransform();
  d.view->fitInView(r.adjusted(-30, -30, 30, 30), Qt::KeepAspectRatio);
  // never blow a small grid up beyond its natural size: labels stay readable and in proportion
  if (d.view->transform().m11() > 1.6) {
    d.view->resetTransform();
    d.view->scale(1.6, 1.6);
    d.view->centerOn(r.center());
  }
}

int GridView::islandCount() const
{
  return m_d->islands;
}

const QGraphicsItem* GridView::branchItem(const QString& branchId) const
{
  return m_d->branches.value(branchId, nullptr);
}

const QGraphicsItem* GridView::busItem(const QString& busId) const
{
  return m_d->buses.value(busId, nullptr);
}

QString GridView::legendText() const
{
  QTextDocument doc;
  doc.setHtml(m_d->legend->text());
  return doc.toPlainText();
}

QColor GridView::loadingColor(double loadingPct)
{
  // Okabe-Ito blue and orange, and a magenta apart from both for every kind of colour vision
  if (loadingPct > 100)
    return QColor(0xCC, 0x00, 0x77);
  if (loadingPct >= 70)
    return QColor(0xE6, 0x9F, 0x00);
  return QColor(0x00, 0x72, 0xB2);
}

QColor GridView::openColor()
{
  return QColor(0x9E, 0x9E, 0x9E);
}

QColor GridView::islandColor(int island)
{
  static const QColor palette[] = {QColor(0x00, 0x9E, 0x73), QColor(0x6A, 0x3D, 0x9A), QColor(0x8C, 0x51, 0x0A),
                                   QColor(0x56, 0xB4, 0xE9), QColor(0x40, 0x40, 0x40), QColor(0xB8, 0xA0, 0x00)};
  constexpr int n = static_cast<int>(sizeof palette / sizeof palette[0]);
  return palette[((island % n) + n) % n];
}

void GridView::resizeEvent(QResizeEvent* event)
{
  QWidget::resizeEvent(event);
  fitAll();
}

void GridView::showEvent(QShowEvent* event)
{
  QWidget::showEvent(event);
  fitAll();
}

void GridView::rebuild()
{
  Impl& d = *m_d;
  d.scene->clear();
  d.branches.clear();
  d.buses.clear();
  d.islands = 0;
  auto note = [&](const QString& text) {
    auto* t = d.scene->addSimpleText(text);
    t->setBrush(QColor(0x60, 0x60, 0x60));
    d.legend->clear();
    d.scene->setSceneRect(d.scene->itemsBoundingRect());
  };
  if (!d.model || !d.model->scenario()) {
    note(tr("No scenario."));
    return;
  }
  if (!d.team.isEmpty()) {
    note(tr("The grid view shows ground truth: a player team's view has no grid flows."));
    return;
  }
  if (d.grid.isEmpty()) {
    note(tr("This scenario has no networked grid (a grid with buses)."));
    return;
  }
  std::vector<GridFlows> all;
  try {
    all = d.model->state().grid_flows();
  } catch (const std::exception& e) { // never out of a slot
    note(tr("The grid could not be solved: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  const std::string gid = d.grid.toStdString();
  auto it = std::find_if(all.begin(), all.end(), [&](const GridFlows& g) { return g.grid == gid; });
  if (it == all.end()) {
    note(tr("No grid %1.").arg(d.grid));
    return;
  }
  const GridFlows& g = *it;
  d.islands = static_cast<int>(g.islands);

  // scale: the two closest buses BUS_SPACING apart (y grows upwards in the scenario, downwards on screen)
  double minx = 1e300, maxy = -1e300, closest = 1e300;
  for (const BusFlow& b : g.buses) {
    minx = std::min(minx, b.x);
    maxy = std::max(maxy, b.y);
  }
  const std::size_t n = g.buses.size();
  if (n <= 600) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        const double dist = std::hypot(g.buses[i].x - g.buses[j].x, g.buses[i].y - g.buses[j].y);
        if (dist > 1e-9)
          closest = std::min(closest, dist);
      }
  }
  if (!(closest < 1e300))
    closest = 1;
  const double s = BUS_SPACING / closest;
  std::vector<QPointF> at(n);
  for (std::size_t i = 0; i < n; ++i)
    at[i] = QPointF((g.buses[i].x - minx) * s, (maxy - g.buses[i].y) * s);

  QFont small = font();
  small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.85));
  QFont bold = font();
  bold.setBold(true);

  // branches under the buses; parallel ones side by side
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> pairs;
  for (std::size_t k = 0; k < g.branches.size(); ++k) {
    const BranchFlow& br = g.branches[k];
    pairs[{std::min(br.from, br.to), std::max(br.from, br.to)}].push_back(k);
  }
  int overloaded = 0, open = 0;
  for (const auto& [ends, list] : pairs) {
    for (std::size_t m = 0; m < list.size(); ++m) {
      const BranchFlow& br = g.branches[list[m]];
      QPointF a = at[ends.first], b = at[ends.second];
      const QPointF dir = b - a;
      const double len = std::hypot(dir.x(), dir.y());
      if (len < 1e-9)
        continue;
      const QPointF unit = dir / len, normal(-unit.y(), unit.x());
      const double offset = (static_cast<double>(m) - (static_cast<double>(list.size()) - 1) / 2) * PARALLEL_GAP;
      a += normal * offset;
      b += normal * offset;
      const bool closed = br.status == "closed";
      QPen pen;
      if (closed) {
        const bool over = br.loading_pct > 100;
        overloaded += over ? 1 : 0;
        pen = QPen(loadingColor(br.loading_pct), over ? 6 : 3);
      } else {
        ++open;
        pen = QPen(openColor(), 2, Qt::DashLine);
      }
      pen.setCapStyle(Qt::FlatCap);
      auto* line = d.scene->addLine(QLineF(a, b), pen);
      line->setZValue(0);
      const QString id = QString::fromStdString(br.id);
      const QString from = QString::fromStdString(g.buses[br.from].id), to = QString::fromStdString(g.buses[br.to].id);
      QString tip = tr("<b>%1</b> %2 – %3<br>%4").arg(id, from, to, QString::fromStdString(br.status));
      if (closed)
        tip += tr("<br>flow %1 %2 → %3")
                   .arg(mw(std::abs(br.flow_mw)), br.flow_mw >= 0 ? from : to, br.flow_mw >= 0 ? to : from);
      if (br.rating_mw > 0)
        tip += tr("<br>rating %1, loading %2 %").arg(mw(br.rating_mw)).arg(br.loading_pct, 0, 'f', 1);
      line->setToolTip(tip);
      line->setData(0, id);
      d.branches.insert(id, line);

      // the flow: an arrowhead at the middle, pointing the way the power goes, and its MW beside it
      const QPointF mid = (a + b) / 2;
      QString label;
      if (closed && std::abs(br.flow_mw) >= 0.05) {
        const QPointF fwd = br.flow_mw >= 0 ? unit : -unit;
        const QPointF side(-fwd.y(), fwd.x());
        const double w = br.loading_pct > 100 ? 9 : 7;
        QPolygonF head;
        head << mid + fwd * w << mid - fwd * w + side * w << mid - fwd * w - side * w;
        auto* arrow = d.scene->addPolygon(head, QPen(Qt::NoPen), QBrush(pen.color()));
        arrow->setZValue(1);
        arrow->setToolTip(tip);
        label = mw(std::abs(br.flow_mw));
        if (br.rating_mw > 0)
          label += QStringLiteral(" · %1 %").arg(br.loading_pct, 0, 'f', 0);
      } else if (!closed) {
        label = QString::fromStdString(br.status);
      }
      if (!label.isEmpty()) {
        auto* text = d.scene->addSimpleText(label, small);
        text->setBrush(closed ? pen.color().darker(130) : openColor().darker(140));
        const QRectF r = text->boundingRect();
        // beside the line, on the side away from the other parallel branches
        const QPointF away = normal * (offset < 0 ? -1.0 : 1.0);
        const QPointF c = mid + away * (list.size() > 1 ? 14 : 12) + QPointF(away.x() * r.width() / 2, 0);
        text->setPos(c.x() - r.width() / 2, c.y() - r.height() / 2 + away.y() * r.height() / 2);
        text->setZValue(3);
        text->setToolTip(tip);
      }
    }
  }

  // buses: a thick bar in its island's colour, hollow when the island has no generation
  std::vector<int> busesOf(g.islands, 0);
  std::vector<double> genOf(g.islands, 0), loadOf(g.islands, 0);
  std::vector<char> alive(g.islands, 0);
  double shed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const BusFlow& bus = g.buses[i];
    if (bus.island < g.islands) {
      ++busesOf[bus.island];
      genOf[bus.island] += bus.generation_mw;
      loadOf[bus.island] += bus.load_mw;
      alive[bus.island] = bus.energised ? 1 : 0;
    }
    shed += bus.shed_mw;
    const QColor colour = islandColor(static_cast<int>(bus.island));
    auto* bar = d.scene->addRect(QRectF(at[i].x() - BUS_WIDTH / 2, at[i].y() - BUS_HEIGHT / 2, BUS_WIDTH, BUS_HEIGHT),
                                 QPen(bus.energised ? colour.darker(140) : colour, bus.energised ? 1 : 2.5),
                                 bus.energised ? QBrush(colour) : QBrush(Qt::NoBrush));
    bar->setZValue(2);
    const QString id = QString::fromStdString(bus.id);
    QString tip = tr("<b>%1</b><br>island %2%3<br>angle %4°")
                      .arg(id)
                      .arg(bus.island + 1)
                      .arg(bus.energised ? QString() : tr(" (de-energised)"))
                      .arg(bus.angle_deg, 0, 'f', 2);
    if (bus.has_generator)
      tip += tr("<br>generation %1").arg(mw(bus.generation_mw));
    if (bus.has_load)
      tip += tr("<br>load served %1, shed %2").arg(mw(bus.load_mw), mw(bus.shed_mw));
    bar->setToolTip(tip);
    bar->setData(0, id);
    d.buses.insert(id, bar);
    auto* name = d.scene->addSimpleText(id, bold);
    name->setBrush(QColor(0x20, 0x20, 0x20));
    const QRectF nr = name->boundingRect();
    name->setPos(at[i].x() - nr.width() / 2, at[i].y() - BUS_HEIGHT / 2 - nr.height() - 2);
    name->setZValue(4);
    name->setToolTip(tip);
    // a generator: a circle with a tilde left of the bar; a load: an arrow down right of the bar
    if (bus.has_generator) {
      const QPointF c(at[i].x() - BUS_WIDTH / 2 - 16, at[i].y());
      d.scene->addLine(QLineF(c + QPointF(9, 0), c + QPointF(16, 0)), QPen(QColor(0x30, 0x30, 0x30), 1.5))
          ->setZValue(2);
      auto* circle = d.scene->addEllipse(QRectF(c.x() - 9, c.y() - 9, 18, 18), QPen(QColor(0x30, 0x30, 0x30), 1.5),
                                         QBrush(Qt::white));
      circle->setZValue(2);
      circle->setToolTip(tip);
      auto* tilde = d.scene->addSimpleText(QStringLiteral("~"), bold);
      const QRectF tr0 = tilde->boundingRect();
      tilde->setPos(c.x() - tr0.width() / 2, c.y() - tr0.height() / 2);
      tilde->setZValue(3);
      auto* out = d.scene->addSimpleText(mw(bus.generation_mw), small);
      out->setBrush(QColor(0x30, 0x30, 0x30));
      const QRectF orr = out->boundingRect();
      out->setPos(c.x() - orr.width() / 2, c.y() + 11);
      out->setZValue(3);
    }
    if (bus.has_load) {
      const QPointF top(at[i].x() + BUS_WIDTH / 2 - 10, at[i].y() + BUS_HEIGHT / 2);
      const QColor ink = bus.shed_mw > 0 ? loadingColor(101) : QColor(0x30, 0x30, 0x30);
      d.scene->addLine(QLineF(top, top + QPointF(0, 14)), QPen(ink, 1.5))->setZValue(2);
      QPolygonF head;
      head << top + QPointF(0, 22) << top + QPointF(-5, 13) << top + QPointF(5, 13);
      d.scene->addPolygon(head, QPen(Qt::NoPen), QBrush(ink))->setZValue(2);
      QString text = mw(bus.load_mw);
      if (bus.shed_mw > 0)
        text = bus.load_mw > 0 ? tr("%1, shed %2").arg(text, mw(bus.shed_mw)) : tr("shed %1").arg(mw(bus.shed_mw));
      auto* load = d.scene->addSimpleText(text, small);
      load->setBrush(ink);
      load->setPos(top.x() + 7, top.y() + 6);
      load->setZValue(3);
      load->setToolTip(tip);
    }
  }
  d.scene->setSceneRect(d.scene->itemsBoundingRect().adjusted(-40, -40, 40, 40));

  // legend and summary
  auto swatch = [](const QColor& c, bool hollow = false) {
    return hollow ? QStringLiteral("<span style='color:%1'>&#9633;</span>").arg(c.name())
                  : QStringLiteral("<span style='color:%1'>&#9632;</span>").arg(c.name());
  };
  QString html = tr("<b>%1</b>: %2 buses, %3 island(s), %4 shed, %5 branch(es) above rating, %6 open or tripped")
                     .arg(QString::fromStdString(g.name.empty() ? g.grid : g.name))
                     .arg(n)
                     .arg(g.islands)
                     .arg(mw(shed))
                     .arg(overloaded)
                     .arg(open);
  html += tr("<br>Branches: %1 below 70 % &nbsp; %2 70–100 % &nbsp; %3 above 100 % (thick) &nbsp; "
             "<span style='color:%4'>- - -</span> open or tripped")
              .arg(swatch(loadingColor(0)), swatch(loadingColor(80)), swatch(loadingColor(101)), openColor().name());
  html += tr("<br>Islands:");
  for (std::size_t k = 0; k < g.islands; ++k)
    html += tr(" &nbsp; %1 island %2 (%3 buses, %4 generated, %5 served%6)")
                .arg(swatch(islandColor(static_cast<int>(k)), !alive[k]))
                .arg(k + 1)
                .arg(busesOf[k])
                .arg(mw(genOf[k]), mw(loadOf[k]), alive[k] ? QString() : tr(", de-energised"));
  d.legend->setText(html);
  if (d.fitPending && isVisible()) {
    d.fitPending = false;
    fitAll();
  }
}

} // namespace cyberex::gui
