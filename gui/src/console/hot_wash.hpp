/* Access and print (issue 18): File -> Drill info (the journal and tokens paths, each team's join command, printable
 * token slips) and the exports a hot wash needs: any table of the console (MSEL, event log, a team's actions, the
 * leaderboard) as a PDF, any view (the dashboard) as a PNG or a PDF, and the same documents printed (File -> Print,
 * Qt Print Support). */
#pragma once

#include <QDialog>
#include <QMap>
#include <QString>
#include <QUrl>

class QAbstractItemModel;
class QPrinter;

namespace cyberex::gui {

/// The command a team runs to join the drill at URL with TOKEN; CATALOG (the scenario file, may be empty) gives its
/// console the map and the forms. Arguments with spaces or shell characters are single-quoted.
QString joinCommand(const QUrl& url, const QString& token, const QString& catalog);

/// The teams of a tokens map ("player:TEAM" keys), sorted.
QStringList teamsWithTokens(const QMap<QString, QString>& tokens);

/// One slip per player team (title, team, server, token, join command), cut lines between them, as HTML for a
/// QTextDocument.
QString tokenSlipsHtml(const QString& title, const QUrl& url, const QMap<QString, QString>& tokens,
                       const QString& catalog);

/// MODEL as an HTML table (its header, then every row; a tree's children follow their parent, indented), after an
/// <h1> TITLE and a line SUBTITLE. Cells are escaped.
QString tableHtml(const QAbstractItemModel& model, const QString& title, const QString& subtitle);

/// Write HTML as an A4 PDF at PATH (landscape when LANDSCAPE). False and ERROR when the file cannot be written.
bool writeHtmlPdf(const QString& html, const QString& path, bool landscape, QString* error);
/// Print HTML on PRINTER (set up by a print dialog, or a PDF file), landscape when LANDSCAPE: the document the PDF
/// export writes. False and ERROR when the printer cannot print.
bool printHtml(const QString& html, QPrinter* printer, bool landscape, QString* error);
/// Grab WIDGET as it is drawn and write it as a PNG (PATH ends in .png) or as a one-page PDF (anything else), scaled
/// to fit the page. False and ERROR when the file cannot be written.
bool writeWidgetImage(QWidget* widget, const QString& path, QString* error);

/// File -> Drill info: where the drill's record is, the server's address and each team's join command (copy
/// buttons), and a button that writes the token slips as a PDF.
class DrillInfoDialog : public QDialog {
  Q_OBJECT
public:
  DrillInfoDialog(const QString& title, const QUrl& url, const QString& journal, const QString& tokensFile,
                  const QMap<QString, QString>& tokens, const QString& catalog, QWidget* parent = nullptr);

  /// Write the token slips as a PDF at PATH (what the "Token slips (PDF)..." button does after asking where).
  bool writeTokenSlips(const QString& path, QString* error) const;

private:
  QString m_title;
  QUrl m_url;
  QMap<QString, QString> m_tokens;
  QString m_catalog;
};

} // namespace cyberex::gui
