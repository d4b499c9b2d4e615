#include "deps/dependency_view.hpp"

namespace cyberex::gui {

DependencyView::DependencyView(QWidget* parent) : QWidget(parent) {}

DependencyView::~DependencyView() = default;

void DependencyView::setModel(ExerciseStateModel* /*model*/) {}

} // namespace cyberex::gui
