#include "widgets/plotview.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QSvgGenerator>
#include <QToolTip>

namespace lqer {

PlotView::PlotView(QWidget *parent)
    : QCustomPlot(parent)
{
    applyStyle(this);
    setMouseTracking(true);
    setMinimumSize(320, 220);
    connect(this, &QCustomPlot::beforeReplot, this, &PlotView::applyPresentation);
}

namespace {

double gPresentationScale = 1.0;
const char kPenWidthProperty[] = "lqerNormalPenWidth";

} // namespace

void PlotView::setPresentationScale(double scale)
{
    gPresentationScale = scale > 0 ? scale : 1.0;
    for (QWidget *w : QApplication::allWidgets())
        if (auto *plot = qobject_cast<PlotView *>(w))
            plot->replot();
}

double PlotView::presentationScale()
{
    return gPresentationScale;
}

void PlotView::applyPresentation()
{
    const double scale = gPresentationScale;
    if (scale != mAppliedScale) {
        applyStyle(this);
        if (scale != 1.0) {
            for (QCPAxis *axis : {xAxis, yAxis, xAxis2, yAxis2}) {
                QFont tick = axis->tickLabelFont(), label = axis->labelFont();
                tick.setPointSizeF(tick.pointSizeF() * scale);
                label.setPointSizeF(label.pointSizeF() * scale);
                axis->setTickLabelFont(tick);
                axis->setLabelFont(label);
                axis->setBasePen(QPen(Qt::black, 2));
                axis->setTickPen(QPen(Qt::black, 2));
            }
            QFont legendFont = legend->font();
            legendFont.setPointSizeF(legendFont.pointSizeF() * scale);
            legend->setFont(legendFont);
        }
        mAppliedScale = scale;
    }
    // Graphs are often rebuilt with new data: widen each thin one, and give them their own
    // width back after presentation mode.
    for (int i = 0; i < graphCount(); ++i) {
        QCPGraph *g = graph(i);
        QPen pen = g->pen();
        const QVariant normal = g->property(kPenWidthProperty);
        if (scale != 1.0 && pen.widthF() < 2.5) { // new, or its pen set again since
            g->setProperty(kPenWidthProperty, pen.widthF());
            pen.setWidthF(std::max(2.5, pen.widthF() * 2));
            g->setPen(pen);
        } else if (scale == 1.0 && normal.isValid()) {
            pen.setWidthF(normal.toDouble());
            g->setPen(pen);
            g->setProperty(kPenWidthProperty, QVariant());
        }
    }
}

void PlotView::setEmptyHint(const QString &hint)
{
    mEmptyHint = hint;
    update();
}

void PlotView::paintEvent(QPaintEvent *event)
{
    QCustomPlot::paintEvent(event);
    if (mEmptyHint.isEmpty() || hasData())
        return;
    QPainter p(this);
    const QRect area = axisRect() ? axisRect()->rect().adjusted(24, 24, -24, -24) : rect();
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    p.setFont(f);
    const int flags = Qt::AlignCenter | Qt::TextWordWrap;
    const QRect text = p.boundingRect(area, flags, mEmptyHint).adjusted(-14, -10, 14, 10);
    QColor back = palette().color(QPalette::Base);
    back.setAlpha(235);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(back);
    p.drawRoundedRect(text, 6, 6);
    p.setPen(palette().color(QPalette::Disabled, QPalette::WindowText).darker(130));
    p.drawText(area, flags, mEmptyHint);
}

QStringList PlotView::exportFilters()
{
    return {tr("PNG image (*.png)"), tr("SVG vector image (*.svg)"), tr("PDF document (*.pdf)")};
}

Status PlotView::exportTo(const QString &path, int width, int height)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int w = width > 0 ? width : this->width();
    const int h = height > 0 ? height : this->height();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = savePng(path, w, h, 1.0, -1, 96);
    } else if (suffix == QLatin1String("pdf")) {
        ok = savePdf(path, w, h, QCP::epNoCosmetic, QStringLiteral("LQER Studio"), windowTitle());
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(windowTitle());
        generator.setDescription(QStringLiteral("LQER Studio plot"));
        QCPPainter painter;
        if (painter.begin(&generator)) {
            toPainter(&painter, w, h);
            ok = painter.end();
        }
        // QSvgGenerator reports no write errors: check the file exists and is not empty.
        ok = ok && QFileInfo(path).size() > 0;
    } else {
        return makeError(
            tr("Cannot export %1: unknown format \"%2\" (use .png, .svg or .pdf)").arg(path, suffix));
    }
    if (!ok)
        return makeError(tr("Cannot write %1: check that the folder exists and is writable").arg(path));
    emit exported(path);
    return Status::success();
}

void PlotView::applyStyle(QCustomPlot *plot)
{
    plot->setBackground(QBrush(Qt::white));
    QFont tickFont = plot->font();
    tickFont.setPointSizeF(8.5);
    QFont labelFont = plot->font();
    labelFont.setPointSizeF(9.5);
    const QList<QCPAxis *> axes = {plot->xAxis, plot->yAxis, plot->xAxis2, plot->yAxis2};
    for (QCPAxis *axis : axes) {
        axis->setTickLabelFont(tickFont);
        axis->setLabelFont(labelFont);
        axis->setBasePen(QPen(QColor(90, 90, 90)));
        axis->setTickPen(QPen(QColor(90, 90, 90)));
        axis->setSubTickPen(QPen(QColor(140, 140, 140)));
        axis->grid()->setPen(QPen(QColor(225, 225, 225), 0, Qt::SolidLine));
        axis->grid()->setSubGridPen(QPen(QColor(240, 240, 240), 0, Qt::DotLine));
    }
    plot->legend->setFont(tickFont);
    plot->legend->setBrush(QBrush(QColor(255, 255, 255, 220)));
    plot->legend->setBorderPen(QPen(QColor(200, 200, 200)));
}

QColor PlotView::seriesColor(int index)
{
    // Colour-blind friendly (Okabe–Ito) so LQER / L²QER / QERA stay distinguishable.
    static const QColor colors[]
        = {QColor(0, 114, 178), QColor(213, 94, 0),   QColor(0, 158, 115),  QColor(204, 121, 167),
           QColor(230, 159, 0), QColor(86, 180, 233), QColor(120, 120, 120)};
    const int n = int(sizeof colors / sizeof colors[0]);
    return colors[((index % n) + n) % n];
}

void PlotView::mouseMoveEvent(QMouseEvent *event)
{
    QCustomPlot::mouseMoveEvent(event);
    const QString text = toolTipAt(event->position());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void PlotView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    menu.addAction(tr("Export…"), this, &PlotView::exportWithDialog);
    menu.addAction(tr("Reset zoom"), this, [this] {
        rescaleAxes();
        replot();
    });
    menu.exec(event->globalPos());
}

void PlotView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QCustomPlot::changeEvent(event);
}

void PlotView::exportWithDialog()
{
    QString selected;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), QString(),
                                                      exportFilters().join(QStringLiteral(";;")), &selected);
    if (path.isEmpty())
        return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty()) {
        // Take the suffix from the chosen filter, "PNG image (*.png)" -> ".png".
        const int star = selected.indexOf(QLatin1String("*."));
        target += selected.mid(star + 1, selected.size() - star - 2);
    }
    const Status status = exportTo(target);
    if (!status)
        QMessageBox::warning(this, tr("Export failed"), status.error());
}

} // namespace lqer
