#pragma once

#include <QMainWindow>

/// The controller console's main window. Empty until the front-end issue gives it views.
class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
};
