/* Access and print: drill info, token slips and the hot wash's PDF and PNG exports (hot_wash.hpp). */
#include "console/hot_wash.hpp"

#include "console/widgets.hpp"

#include <QAbstractItemModel>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QPrintDialog>
#include <QPrinter>
#include <QPushButton>
#include <QRegularExpression>
#include <QTextDocument>
#include <QVBoxLayout>

#include <memory>

namespace cyberex::gui {
namespace {

/// ARG as a POSIX shell reads it: as it is when it has only safe characters, else single-quoted.
QString shellQuote(const QString& arg)
{
  static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=@%+,-]+$"));
  if (safe.match(arg).hasMatch())
    return arg;
  QString quoted = arg;
  quoted.replace('\'', QStringLiteral("'\\''"));
  return '\'' + quoted + '\'';
}

/// Rows of PARENT and their children, depth first, as <tr> lines.
void appendRows(const QAbstractItemModel& model, const QModelIndex& parent, int depth, QString& html)
{
  const int columns = model.columnCount(parent.isValid() ? parent : QModelIndex());
  for (int r = 0; r < model.rowCount(parent); ++r) {
    html += QStringLiteral("<tr>");
    for (int c = 0; c < columns; ++c) {
      const QString text = model.index(r, c, parent).data(Qt::DisplayRole).toString().toHtmlEscaped();
      if (c == 0 && depth > 0)
        html += QStringLiteral("<td style=\"padding-left:%1px\">%2</td>").arg(depth * 16).arg(text);
      else
        html += QStringLiteral("<td>%1</td>").arg(text);
    }
    html += QStringLiteral("</tr>\n");
    const QModelIndex row = model.index(r, 0, parent);
    if (model.hasChildren(row))
      appendRows(model, row, depth + 1, html);
  }
}

/// Whether PATH can be written (QPdfWriter says nothing when it cannot), then A4 pages.
bool openPdf(QPdfWriter& pdf, const QString& path, QString* error)
{
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error)
      *error = QObject::tr("cannot write %1: %2").arg(displayPath(path), file.errorString());
    return false;
  }
  file.close();
  pdf.setPageSize(QPageSize(QPageSize::A4));
  return true;
}

} // namespace

QString joinCommand(const QUrl& url, const QString& token, const QString& catalog)
{
  QStringList args = {QStringLiteral("cyberex-gui"), QStringLiteral("--connect"), url.toString(),
                      QStringLiteral("--token"), token};
  if (!catalog.isEmpty())
    args << QStringLiteral("--catalog") << catalog;
  for (QString& a : args)
    a = shellQuote(a);
  return args.join(' ');
}

QStringList teamsWithTokens(const QMap<QString, QString>& tokens)
{
  QStringList teams;
  for (auto it = tokens.begin(); it != tokens.end(); ++it)
    if (it.key().startsWith(QStringLiteral("player:")))
      teams << it.key().mid(7);
  teams.sort();
  return teams;
}

QString tokenSlipsHtml(const QString& title, const QUrl& url, const QMap<QString, QString>& tokens,
                       const QString& catalog)
{
  QString html = QStringLiteral("<html><body style=\"font-family:sans-serif\">\n");
  const QStringList teams = teamsWithTokens(tokens);
  for (int i = 0; i < teams.size(); ++i) {
    const QString& team = teams[i];
    const QString token = tokens.value(QStringLiteral("player:") + team);
    if (i > 0)
      html +=
          QStringLiteral("<p style=\"color:#777\">✂ - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - "
                         "- - - - - - - - - - - - - - - - - -</p>\n");
    html += QStringLiteral("<h2>%1 — team %2</h2>\n").arg(title.toHtmlEscaped(), team.toHtmlEscaped());
    html += QStringLiteral("<p>Server: <b>%1</b><br>Token: <b><tt>%2</tt></b></p>\n")
                .arg(url.toString().toHtmlEscaped(), token.toHtmlEscaped());
    html += QStringLiteral(
                "<p>Join from the cyberex launcher (Join a drill: server and token), or run:<br><tt>%1</tt></p>\n")
                .arg(joinCommand(url, token, catalog).toHtmlEscaped());
    html +=
        QStringLiteral("<p><small>Keep this token to your team: it is the team's identity in the drill.</small></p>\n");
  }
  if (teams.isEmpty())
    html += QStringLiteral("<p>No player team has a token in this drill.</p>\n");
  html += QStringLiteral("</body></html>\n");
  return html;
}

QString tableHtml(const QAbstractItemModel& model, const QString& title, const QString& subtitle)
{
  QString html =
      QStringLiteral("<html><body style=\"font-family:sans-serif\">\n<h1>%1</h1>\n").arg(title.toHtmlEscaped());
  if (!subtitle.isEmpty())
    html += QStringLiteral("<p>%1</p>\n").arg(subtitle.toHtmlEscaped());
  html += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">\n<tr>");
  for (int c = 0; c < model.columnCount(); ++c)
    html += QStringLiteral("<th>%1</th>").arg(model.headerData(c, Qt::Horizontal).toString().toHtmlEscaped());
  html += QStringLiteral("</tr>\n");
  appendRows(model, QModelIndex(), 0, html);
  html += QStringLiteral("</table>\n</body></html>\n");
  return html;
}

bool writeHtmlPdf(const QString& html, const QString& path, bool landscape, QString* error)
{
  QPdfWriter pdf(path);
  if (!openPdf(pdf, path, error))
    return false;
  pdf.setPageOrientation(landscape ? QPageLayout::Landscape : QPageLayout::Portrait);
  pdf.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
  pdf.setTitle(QFileInfo(path).completeBaseName());
  pdf.setCreator(QStringLiteral("cyberex"));
  QTextDocument doc;
  doc.setHtml(html);
  doc.print(&pdf);
  return true;
}

bool printHtml(const QString& html, QPrinter* printer, bool landscape, QString* error)
{
  if (!printer->isValid()) {
    if (error)
      *error = QObject::tr("the printer %1 cannot print").arg(printer->printerName());
    return false;
  }
  printer->setPageOrientation(landscape ? QPageLayout::Landscape : QPageLayout::Portrait);
  printer->setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
  printer->setCreator(QStringLiteral("cyberex"));
  QTextDocument doc;
  doc.setHtml(html);
  doc.print(printer);
  return true;
}

bool writeWidgetImage(QWidget* widget, const QString& path, QString* error)
{
  const QPixmap shot = widget->grab();
  if (path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive)) {
    if (shot.save(path, "PNG"))
      return true;
    if (error)
      *error = QObject::tr("cannot write %1").arg(displayPath(path));
    return false;
  }
  QPdfWriter pdf(path);
  if (!openPdf(pdf, path, error))
    return false;
  pdf.setPageOrientation(shot.width() > shot.height() ? QPageLayout::Landscape : QPageLayout::Portrait);
  pdf.setCreator(QStringLiteral("cyberex"));
  QPainter p;
  if (!p.begin(&pdf)) {
    if (error)
      *error = QObject::tr("cannot write %1").arg(displayPath(path));
    return false;
  }
  const QRect page = pdf.pageLayout().paintRectPixels(pdf.resolution());
  const QSize size = shot.size().scaled(page.size(), Qt::KeepAspectRatio);
  p.drawPixmap(QRect(QPoint(0, 0), size), shot);
  p.end();
  return true;
}

DrillInfoDialog::DrillInfoDialog(const QString& title, const QUrl& url, const QString& journal,
                                 const QString& tokensFile, const QMap<QString, QString>& tokens,
                                 const QString& catalog, QWidget* parent)
    : QDialog(parent), m_title(title), m_url(url), m_tokens(tokens), m_catalog(catalog)
{
  setObjectName("drillInfo");
  setWindowTitle(tr("Drill info"));
  auto* layout = new QVBoxLayout(this);
  auto* where = new QFormLayout;
  auto addPath = [&](const QString& label, const QString& text, const QString& name) {
    auto* field = new QLineEdit(text, this);
    field->setReadOnly(true);
    field->setObjectName(name);
    field->setAccessibleName(label);
    where->addRow(label, field);
  };
  addPath(tr("Server"), url.toString(), "drillServer");
  addPath(tr("Journal"), journal.isEmpty() ? tr("(kept by the remote server)") : QDir::toNativeSeparators(journal),
          "drillJournal");
  addPath(tr("Tokens"), tokensFile.isEmpty() ? tr("(kept by the remote server)") : QDir::toNativeSeparators(tokensFile),
          "drillTokens");
  layout->addLayout(where);
  if (url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("localhost")) {
    auto* note = new QLabel(tr("This drill listens on this machine only (%1). For teams on other machines, serve it on "
                               "an address they reach: <tt>cyberex serve SCENARIO --listen 0.0.0.0:8600 ...</tt> "
                               "(docs/running-a-drill.md).")
                                .arg(url.host()),
                            this);
    note->setWordWrap(true);
    note->setObjectName("drillLoopbackNote");
    layout->addWidget(note);
  }
  auto* teams = new QGroupBox(tr("Join commands"), this);
  auto* teamForm = new QFormLayout(teams);
  const QStringList names = teamsWithTokens(tokens);
  for (const QString& team : names) {
    const QString command = joinCommand(url, tokens.value("player:" + team), catalog);
    auto* row = new QHBoxLayout;
    auto* field = new QLineEdit(command, teams);
    field->setReadOnly(true);
    field->setObjectName("join-" + team);
    field->setAccessibleName(tr("Join command of %1").arg(team));
    field->setCursorPosition(0);
    auto* copy = new QPushButton(tr("Copy"), teams);
    copy->setObjectName("copy-" + team);
    copy->setAccessibleName(tr("Copy the join command of %1").arg(team));
    connect(copy, &QPushButton::clicked, this, [command] { QApplication::clipboard()->setText(command); });
    row->addWidget(field, 1);
    row->addWidget(copy);
    teamForm->addRow(team, row);
  }
  if (names.isEmpty())
    teamForm->addRow(new QLabel(tr("This console has no team tokens (a remote drill: ask its operator)."), teams));
  layout->addWidget(teams);
  auto* buttons = new QHBoxLayout;
  auto* slips = new QPushButton(tr("Token &slips (PDF)…"), this);
  slips->setObjectName("tokenSlips");
  slips->setEnabled(!names.isEmpty());
  auto* status = new QLabel(this);
  status->setObjectName("drillInfoStatus");
  connect(slips, &QPushButton::clicked, this, [this, journal, status] {
    const QString dir = journal.isEmpty() ? QDir::homePath() : QFileInfo(journal).absolutePath();
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Token slips"), dir + "/token-slips.pdf", tr("PDF (*.pdf)"));
    if (path.isEmpty())
      return;
    QString error;
    status->setText(writeTokenSlips(path, &error) ? tr("Token slips written to %1").arg(displayPath(path)) : error);
  });
  auto* close = new QPushButton(tr("Close"), this);
  connect(close, &QPushButton::clicked, this, &QDialog::accept);
  buttons->addWidget(slips);
  buttons->addWidget(status, 1);
  buttons->addWidget(close);
  layout->addLayout(buttons);
  resize(760, sizeHint().height());
}

bool DrillInfoDialog::writeTokenSlips(const QString& path, QString* error) const
{
  return writeHtmlPdf(tokenSlipsHtml(m_title, m_url, m_tokens, m_catalog), path, false, error);
}

} // namespace cyberex::gui

// The controller console's part: File -> Drill info and File -> Export (declared in controller_window.hpp).
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console/event_log_model.hpp"
#include "console/local_server.hpp"

#include <QMenu>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QTreeView>

namespace cyberex::gui {

QDialog* ControllerWindow::openDrillInfo()
{
  QString journal, tokens, catalog;
  if (const LocalServer* server = m_server.data()) {
    journal = server->journal();
    tokens = LocalServer::tokensFile(journal);
    catalog = server->scenario();
  }
  QUrl url = m_url;
  if (url.isEmpty())
    url = m_state->connection()->url();
  auto* dialog = new DrillInfoDialog(m_state->exerciseTitle(), url, journal, tokens, m_tokens, catalog, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
  return dialog;
}

QString ControllerWindow::viewHtml(const QString& what, bool* landscape, QString* error) const
{
  const QString title = m_state->exerciseTitle();
  const QString when = tr("%1 at T+%2 (%3)")
                           .arg(title.isEmpty() ? tr("Exercise") : title)
                           .arg(QString::number(m_state->clock().time / 3600.0, 'f', 2) + tr(" h"))
                           .arg(m_state->situationTime());
  *landscape = what != "leaderboard";
  if (what == "msel")
    return tableHtml(*m_mselView->model(), tr("MSEL"), when);
  if (what == "events")
    return tableHtml(*m_eventView->model(), tr("Event log"), when);
  if (what == "team-actions" || what == "team-events") {
    if (m_selectedTeam.isEmpty()) {
      if (error)
        *error = tr("choose a team in the Teams tab first");
      return {};
    }
    if (what == "team-actions")
      return tableHtml(*m_teamActions, tr("Actions of %1").arg(m_selectedTeam), when);
    EventFilterProxy records; // every record of the team, whatever the event log's filters
    records.setSourceModel(m_state->eventLog());
    records.setTeam(m_selectedTeam);
    return tableHtml(records, tr("Event log of %1").arg(m_selectedTeam), when);
  }
  if (what == "leaderboard")
    return tableHtml(*m_leaderboardView->model(), tr("Leaderboard"), when);
  if (error)
    *error =
        tr("nothing to export as '%1': msel, events, team-actions, team-events, leaderboard or dashboard").arg(what);
  return {};
}

bool ControllerWindow::exportView(const QString& what, const QString& path, QString* error)
{
  if (what == "dashboard")
    return writeWidgetImage(m_dashboardWidget, path, error);
  bool landscape = true;
  const QString html = viewHtml(what, &landscape, error);
  return !html.isEmpty() && writeHtmlPdf(html, path, landscape, error);
}

bool ControllerWindow::printView(const QString& what, QPrinter* printer, QString* error)
{
  bool landscape = true;
  if (what == "dashboard") {
    if (error)
      *error = tr("the dashboard prints from its PDF or PNG export (File → Export for the hot wash)");
    return false;
  }
  const QString html = viewHtml(what, &landscape, error);
  return !html.isEmpty() && printHtml(html, printer, landscape, error);
}

void ControllerWindow::addExportActions(QMenu* file)
{
  file->addAction(tr("Drill &info…"), this, &ControllerWindow::openDrillInfo)
      ->setToolTip(tr("The journal and tokens, each team's join command, printable token slips"));
  QMenu* exports = file->addMenu(tr("E&xport for the hot wash"));
  exports->setObjectName("exportMenu");
  struct Item {
    const char* what;
    QString label;
    QString name;
    QString filter;
  };
  const Item items[] = {
      {"msel", tr("&MSEL (PDF)…"), "msel.pdf", tr("PDF (*.pdf)")},
      {"events", tr("&Event log as filtered (PDF)…"), "event-log.pdf", tr("PDF (*.pdf)")},
      {"team-actions", tr("The selected &team's actions (PDF)…"), "team-actions.pdf", tr("PDF (*.pdf)")},
      {"team-events", tr("The selected team's event l&og (PDF)…"), "team-event-log.pdf", tr("PDF (*.pdf)")},
      {"leaderboard", tr("&Leaderboard (PDF)…"), "leaderboard.pdf", tr("PDF (*.pdf)")},
      {"dashboard", tr("&Dashboard (PNG or PDF)…"), "dashboard.png", tr("PNG image (*.png);;PDF (*.pdf)")},
  };
  QMenu* print = file->addMenu(tr("&Print"));
  print->setObjectName("printMenu");
  const Item printed[] = {
      {"msel", tr("&MSEL…"), {}, {}},
      {"events", tr("&Event log as filtered…"), {}, {}},
      {"team-events", tr("The selected team's event &log…"), {}, {}},
      {"leaderboard", tr("&Leaderboard…"), {}, {}},
  };
  for (const Item& item : printed) {
    const QString what = item.what;
    QAction* a = print->addAction(item.label, this, [this, what] {
      // the printer lives as long as the dialog's connection to it (freed with the dialog)
      auto printer = std::make_shared<QPrinter>(QPrinter::HighResolution);
      auto* dialog = new QPrintDialog(printer.get(), this);
      dialog->setObjectName("printDialog");
      dialog->setAttribute(Qt::WA_DeleteOnClose);
      connect(dialog, &QDialog::accepted, this, [this, what, printer] {
        QString error;
        if (printView(what, printer.get(), &error))
          statusBar()->showMessage(tr("Printed on %1")
                                       .arg(printer->outputFileName().isEmpty()
                                                ? printer->printerName()
                                                : displayPath(printer->outputFileName())),
                                   8000);
        else
          showError(error);
      });
      dialog->open();
    });
    a->setObjectName("print-" + what);
  }
  if (QAction* msel = print->actions().value(0))
    msel->setShortcut(QKeySequence::Print);
  for (const Item& item : items) {
    const QString what = item.what, name = item.name, filter = item.filter;
    exports->addAction(item.label, this, [this, what, name, filter] {
      QString dir = QDir::homePath();
      if (const LocalServer* server = m_server.data())
        dir = QFileInfo(server->journal()).absolutePath();
      const QString path = QFileDialog::getSaveFileName(this, tr("Export"), dir + '/' + name, filter);
      if (path.isEmpty())
        return;
      QString error;
      if (exportView(what, path, &error))
        statusBar()->showMessage(tr("Exported to %1").arg(displayPath(path)), 8000);
      else
        showError(error);
    });
  }
}

} // namespace cyberex::gui
