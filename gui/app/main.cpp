#include "main_window.hpp"

#include <QApplication>

int main(int argc, char** argv)
{
  QApplication app(argc, argv);
  QApplication::setApplicationName("cyberex");
  QApplication::setOrganizationName("cyberex");
  MainWindow window;
  window.show();
  return QApplication::exec();
}
