#pragma once

// The base of every plot of the studio: a QCustomPlot that exports itself to PNG, SVG or PDF
// (chosen by the file suffix), shows a tooltip with the data under the mouse, and offers both
// from a context menu. Subclasses only answer "what is under this pixel".

#include "core/common/expected.h"

#include <qcustomplot.h>

#include <QString>

namespace lqer {

class PlotView : public QCustomPlot
{
    Q_OBJECT

public:
    explicit PlotView(QWidget *parent = nullptr);

    // Writes the plot at its current size (or width x height when given) to `path`; the format
    // follows the suffix: .png, .svg or .pdf. Errors name the path.
    Status exportTo(const QString &path, int width = 0, int height = 0);
    static QStringList exportFilters(); // for QFileDialog

    // The tooltip text for a widget-pixel position, empty when there is no data there.
    // Public so tests can check what the user sees on hover.
    virtual QString toolTipAt(const QPointF &pos) const { return {}; }

    // True while the plot has data to show (tests: "the views received data").
    virtual bool hasData() const = 0;

    // What to do to fill the plot, drawn over it while hasData() is false.
    void setEmptyHint(const QString &hint);
    const QString &emptyHint() const { return mEmptyHint; }

    // Shared look: fonts, grid and colours, so all views match.
    static void applyStyle(QCustomPlot *plot);
    static QColor seriesColor(int index);

    // Presentation mode: every plot's fonts scaled by `scale`, black axes and lines at least
    // 2.5 px wide; 1 restores the shared look. Plots created or rebuilt later follow it too
    // (it is applied before each replot).
    static void setPresentationScale(double scale);
    static double presentationScale();

signals:
    void exported(const QString &path);

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    // Re-sets the translatable texts (axis labels, legends) after a language change.
    virtual void retranslate() { }

private:
    void exportWithDialog();
    void applyPresentation();

    QString mEmptyHint;
    double mAppliedScale = 1.0;
};

} // namespace lqer
