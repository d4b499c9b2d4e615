#include "main_window.hpp"

#include <QLabel>
#include <QStatusBar>

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
  setWindowTitle(tr("cyberex — exercise control"));
  auto* placeholder = new QLabel(tr("No exercise loaded."), this);
  placeholder->setAlignment(Qt::AlignCenter);
  setCentralWidget(placeholder);
  statusBar()->showMessage(tr("Ready"));
  resize(1280, 800);
}
