#include "console/widgets.hpp"

#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace cyberex::gui {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
  auto* view = new QTableView(parent);
  view->setModel(model);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setAlternatingRowColors(true);
  view->setWordWrap(false);
  view->verticalHeader()->setVisible(false);
  view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
  view->horizontalHeader()->setStretchLastSection(true);
  return view;
}

void showErrorIn(QWidget* window, QLabel* label, const QString& message, bool popup)
{
  label->setText(message);
  label->setToolTip(message);
  if (popup) {
    auto* box = new QMessageBox(QMessageBox::Warning, window->windowTitle(), message, QMessageBox::Ok, window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
}

void addValidatedButtons(QDialog* dialog, QVBoxLayout* layout, const QString& okText,
                         std::function<bool(QString*)> validate)
{
  auto* error = new QLabel(dialog);
  error->setStyleSheet("color: #b02020");
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
  buttons->button(QDialogButtonBox::Ok)->setText(okText);
  QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, [dialog, error, validate] {
    QString message;
    if (validate(&message))
      dialog->accept();
    else
      error->setText(message);
  });
  QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
  layout->addWidget(error);
  layout->addWidget(buttons);
}

} // namespace cyberex::gui
