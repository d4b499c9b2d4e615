/* The controller console's Dependencies tab (issue 19): the dependency view beside the selected item's details and
 * its node's events; a click selects the node on the map too. */
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console/event_log_model.hpp"
#include "console/widgets.hpp"
#include "deps/dependency_view.hpp"
#include "map/map_view.hpp"

#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace cyberex::gui {

void ControllerWindow::setUpDependencies()
{
  auto* split = new QSplitter(m_tabs);
  split->setObjectName("dependencyTab");
  m_dependencies = new DependencyView(split);
  m_dependencies->setModel(m_state->exercise());
  auto* side = new QWidget(split);
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(0, 0, 0, 0);
  m_dependencyDetails = new QLabel(tr("Click a box to see what it needs, its backups and its node's events."), side);
  m_dependencyDetails->setObjectName("dependencyDetails");
  m_dependencyDetails->setWordWrap(true);
  m_dependencyDetails->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // the same filter as the map's node history (buildMapTab)
  m_dependencyHistory = new EventFilterProxy(this);
  m_dependencyHistory->setSourceModel(m_state->eventLog());
  m_dependencyHistory->setNode(QStringLiteral("\x01")); // nothing until an item is selected
  auto* history = makeTable(m_dependencyHistory, side);
  history->setObjectName("dependencyHistory");
  for (int c : {0, 2})
    history->hideColumn(c);
  sideLayout->addWidget(m_dependencyDetails);
  sideLayout->addWidget(history, 1);
  split->addWidget(m_dependencies);
  split->addWidget(side);
  split->setStretchFactor(0, 4);
  split->setStretchFactor(1, 1);
  split->setSizes({1000, 260});
  m_tabs->addTab(split, tr("De&pendencies"));

  connect(m_dependencies, &DependencyView::itemSelected, this, [this](const QString& ref) {
    m_dependencyDetails->setText(m_dependencies->toolTipFor(ref));
    // a grid has no node: its events name it
    m_dependencyHistory->setNode(ref.startsWith("grid:") ? ref.section(':', 1) : QStringLiteral("\x01"));
  });
  connect(m_dependencies, &DependencyView::nodeSelected, this, [this](const QString& node) {
    m_dependencyHistory->setNode(node);
    if (m_map)
      m_map->selectNode(node);
  });
}

} // namespace cyberex::gui
