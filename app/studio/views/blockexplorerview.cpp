#include "app/studio/views/blockexplorerview.h"

#include "app/studio/document.h"
#include "app/studio/studiohost.h"
#include "core/model/architecture.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace lqer {

struct BlockExplorerView::Result
{
    QString layer;
    std::shared_ptr<const MatrixRM> matrix;
    std::optional<BlockExplanation> ceil; // the table's format (INT: the only one)
    std::optional<BlockExplanation> floor; // MXINT: the other convention
    std::optional<double> layerMse;
    QString error;
};

namespace {

// Values the user typed: numbers separated by spaces, commas or semicolons.
Expected<QVector<float>> parseValues(const QString &text)
{
    QVector<float> values;
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[\\s,;]+")), Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        bool ok = false;
        const float v = p.toFloat(&ok);
        if (!ok)
            return makeError(QCoreApplication::translate("BlockExplorerView", "“%1” is not a number").arg(p));
        values << v;
    }
    if (values.isEmpty())
        return makeError(QCoreApplication::translate("BlockExplorerView", "type the values of a block"));
    return values;
}

QString number(double v)
{
    return QString::number(v, 'g', 6);
}

} // namespace

BlockExplorerView::BlockExplorerView(StudioHost &host)
    : AnalysisView(host)
{
    buildUi();
    retranslate();
}

BlockExplorerView::~BlockExplorerView()
{
    mPool.waitForDone();
    if (mPage && !mPage->parent())
        delete mPage.data();
}

QWidget *BlockExplorerView::widget() const
{
    return mPage;
}

QList<int> BlockExplorerView::blockSizes()
{
    return {4, 8, 16, 32, 64, 128};
}

void BlockExplorerView::buildUi()
{
    mPage = new QWidget;
    mPage->setObjectName(QStringLiteral("BlockExplorer"));
    auto *layout = new QVBoxLayout(mPage);

    auto *source = new QHBoxLayout;
    mSourceBox = new QComboBox;
    mSourceBox->addItems({QString(), QString()});
    mLayerLabel = new QLabel;
    mRowSpin = new QSpinBox;
    mBlockSpin = new QSpinBox;
    mTypedEdit = new QLineEdit;
    source->addWidget(mSourceBox);
    source->addWidget(mLayerLabel, 1);
    source->addWidget(mRowSpin);
    source->addWidget(mBlockSpin);
    source->addWidget(mTypedEdit, 2);
    layout->addLayout(source);

    auto *format = new QHBoxLayout;
    mKindBox = new QComboBox;
    mKindBox->addItems({QString(), QString(), QString()});
    mConventionBox = new QComboBox;
    mConventionBox->addItems({QString(), QString()});
    mWidthSlider = new QSlider(Qt::Horizontal);
    mWidthSlider->setRange(2, 8);
    mWidthSlider->setValue(4);
    mWidthSlider->setPageStep(1);
    mWidthLabel = new QLabel;
    mWidthSlider->setTickPosition(QSlider::TicksBelow);
    mBlockSlider = new QSlider(Qt::Horizontal);
    mBlockSlider->setRange(0, int(blockSizes().size()) - 1);
    mBlockSlider->setValue(2); // 16
    mBlockSlider->setPageStep(1);
    mBlockLabel = new QLabel;
    mBlockSlider->setTickPosition(QSlider::TicksBelow);
    format->addWidget(mKindBox);
    format->addWidget(mConventionBox);
    format->addStretch(1);
    layout->addLayout(format);
    auto *sliders = new QHBoxLayout;
    sliders->addWidget(mWidthLabel);
    sliders->addWidget(mWidthSlider, 1);
    sliders->addSpacing(16);
    sliders->addWidget(mBlockLabel);
    sliders->addWidget(mBlockSlider, 1);
    format = sliders;
    layout->addLayout(format);

    mSummary = new QLabel;
    mSummary->setObjectName(QStringLiteral("BlockSummary"));
    mSummary->setWordWrap(true);
    mSummary->setTextFormat(Qt::RichText);
    layout->addWidget(mSummary);
    mTable = new QTableWidget(0, ColumnCount);
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->verticalHeader()->hide();
    mTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    layout->addWidget(mTable, 1);
    mCaption = new QLabel;
    mCaption->setWordWrap(true);
    layout->addWidget(mCaption);

    const auto changed = [this] {
        if (!mUpdating)
            recompute();
    };
    QObject::connect(mSourceBox, &QComboBox::currentIndexChanged, mPage, changed);
    QObject::connect(mRowSpin, &QSpinBox::valueChanged, mPage, changed);
    QObject::connect(mBlockSpin, &QSpinBox::valueChanged, mPage, changed);
    QObject::connect(mTypedEdit, &QLineEdit::editingFinished, mPage, changed);
    QObject::connect(mKindBox, &QComboBox::currentIndexChanged, mPage, changed);
    QObject::connect(mConventionBox, &QComboBox::currentIndexChanged, mPage, changed);
    QObject::connect(mWidthSlider, &QSlider::valueChanged, mPage, changed);
    QObject::connect(mBlockSlider, &QSlider::valueChanged, mPage, changed);
}

void BlockExplorerView::retranslate()
{
    mSourceBox->setItemText(0, tr("Block of the current layer"));
    mSourceBox->setItemText(1, tr("Typed values"));
    mRowSpin->setPrefix(tr("row "));
    mBlockSpin->setPrefix(tr("block "));
    mTypedEdit->setPlaceholderText(tr("Values separated by spaces, e.g. 1.0 0.5 -0.25 0.75"));
    mKindBox->setItemText(0, tr("MXINT (shared exponent)"));
    mKindBox->setItemText(1, tr("INT symmetric (scale)"));
    mKindBox->setItemText(2, tr("INT asymmetric (scale, zero point)"));
    mConventionBox->setItemText(0, tr("Table: official exponent (ceil)"));
    mConventionBox->setItemText(1, tr("Table: OCP exponent (floor)"));
    mTable->setHorizontalHeaderLabels({tr("#"), tr("Value x"), tr("x / step"), tr("Code"), tr("Bits"),
                                       tr("Reconstructed x̂"), tr("Error x̂ − x")});
    mCaption->setText(tr("Yellow: a tie, rounded to the even code. Red: clipped to the largest code."));
    showResult();
}

void BlockExplorerView::clear()
{
    ++mSequence;
    mMatrix.reset();
    mMatrixLayer.clear();
    mShown.reset();
    mCeil.reset();
    mFloor.reset();
    mLayerMse.reset();
    mError.clear();
    showResult();
}

void BlockExplorerView::layerSelected(const QString &layer)
{
    (void)layer;
    // Loading a large layer is not free: only the shown tab follows the selection at once.
    mStale = !mPage->isVisible();
    if (!mStale)
        recompute();
}

void BlockExplorerView::activated()
{
    if (mStale)
        recompute();
}

void BlockExplorerView::setSource(Source source)
{
    mSourceBox->setCurrentIndex(source == Source::Layer ? 0 : 1);
    recompute();
}

void BlockExplorerView::setBlock(qint64 row, qint64 block)
{
    {
        const QSignalBlocker a(mRowSpin), b(mBlockSpin);
        mRowSpin->setMaximum(std::max<int>(mRowSpin->maximum(), int(row)));
        mBlockSpin->setMaximum(std::max<int>(mBlockSpin->maximum(), int(block)));
        mRowSpin->setValue(int(row));
        mBlockSpin->setValue(int(block));
    }
    recompute();
}

void BlockExplorerView::setTypedValues(const QString &text)
{
    mTypedEdit->setText(text);
    {
        const QSignalBlocker block(mSourceBox);
        mSourceBox->setCurrentIndex(1);
    }
    recompute();
}

void BlockExplorerView::setKind(Kind kind)
{
    mKindBox->setCurrentIndex(int(kind));
}

void BlockExplorerView::setWidth(int bits)
{
    mWidthSlider->setValue(bits);
}

void BlockExplorerView::setBlockSize(int size)
{
    const int index = int(blockSizes().indexOf(size));
    if (index >= 0)
        mBlockSlider->setValue(index);
}

void BlockExplorerView::setConvention(MxConvention convention)
{
    mConventionBox->setCurrentIndex(convention == MxConvention::Lqer ? 0 : 1);
}

BlockExplorerView::Source BlockExplorerView::source() const
{
    return mSourceBox->currentIndex() == 0 ? Source::Layer : Source::Typed;
}

qint64 BlockExplorerView::row() const
{
    return mRowSpin->value();
}

qint64 BlockExplorerView::block() const
{
    return mBlockSpin->value();
}

QuantFormat BlockExplorerView::formatWith(MxConvention convention) const
{
    const int bits = mWidthSlider->value();
    const int size = blockSizes().value(mBlockSlider->value(), 16);
    switch (Kind(mKindBox->currentIndex())) {
    case Kind::IntSym:
        return QuantFormat::intSym(bits, size);
    case Kind::IntAsym:
        return QuantFormat::intAsym(bits, size);
    case Kind::MxInt:
        break;
    }
    return QuantFormat::mxint(bits, 8, size, convention);
}

QuantFormat BlockExplorerView::format() const
{
    return formatWith(mConventionBox->currentIndex() == 0 ? MxConvention::Lqer : MxConvention::Ocp);
}

void BlockExplorerView::recompute()
{
    mStale = false;
    const bool typed = source() == Source::Typed;
    const bool mx = Kind(mKindBox->currentIndex()) == Kind::MxInt;
    mConventionBox->setEnabled(mx);
    mRowSpin->setVisible(!typed);
    mBlockSpin->setVisible(!typed);
    mLayerLabel->setVisible(!typed);
    mTypedEdit->setVisible(typed);
    const QuantFormat ceilFormat = formatWith(MxConvention::Lqer);
    mWidthLabel->setText(tr("width %1 bits").arg(ceilFormat.bits));
    mBlockLabel->setText(tr("block %1").arg(ceilFormat.block));

    const Document *doc = host().document();
    const QString layer = host().currentLayer();
    const LinearLayerInfo *info = doc && !typed ? doc->layer(layer) : nullptr;
    mLayerLabel->setText(info ? layer : tr("(select a layer)"));
    if (info) {
        const QSignalBlocker a(mRowSpin), b(mBlockSpin);
        mRowSpin->setRange(0, int(info->outFeatures) - 1);
        const qint64 size = std::min<qint64>(ceilFormat.block, info->inFeatures);
        mBlockSpin->setRange(0, int((info->inFeatures + size - 1) / size) - 1);
    }
    auto values = typed ? parseValues(mTypedEdit->text()) : Expected<QVector<float>>(QVector<float>());
    if (!values) {
        ++mSequence;
        mError = values.error();
        mShown.reset();
        mCeil.reset();
        mFloor.reset();
        mLayerMse.reset();
        showResult();
        return;
    }
    if (!typed && !info) {
        clear();
        return;
    }
    struct Request
    {
        std::shared_ptr<const Checkpoint> checkpoint;
        std::optional<LinearLayerInfo> info;
        std::shared_ptr<const MatrixRM> matrix;
        qint64 row, block;
        QVector<float> typed;
        QuantFormat table, other;
    } request {doc && info ? doc->checkpoint() : nullptr,
               info ? std::optional<LinearLayerInfo>(*info) : std::nullopt,
               info && mMatrixLayer == layer ? mMatrix : nullptr,
               mRowSpin->value(),
               mBlockSpin->value(),
               *values,
               format(),
               formatWith(mConventionBox->currentIndex() == 0 ? MxConvention::Ocp : MxConvention::Lqer)};
    const quint64 sequence = ++mSequence;
    ++mPending;
    const QPointer<QWidget> page = mPage;
    mPool.start([this, page, sequence, request] {
        Result r;
        QVector<float> block = request.typed;
        if (request.info) {
            r.layer = request.info->weightName;
            r.matrix = request.matrix;
            if (!r.matrix) {
                auto w = loadLinearWeight(*request.checkpoint, *request.info);
                if (w)
                    r.matrix = std::make_shared<const MatrixRM>(std::move(*w));
                else
                    r.error = w.error();
            }
            if (r.matrix) {
                auto b = blockOfRow(*r.matrix, request.row, request.block, request.table.block);
                if (b)
                    block = *b;
                else
                    r.error = b.error();
                auto sse = quantizationSse(*r.matrix, request.table, r.layer);
                if (sse)
                    r.layerMse = *sse / double(r.matrix->size());
            }
        }
        if (r.error.isEmpty()) {
            const QString what = request.info
                ? QStringLiteral("%1, row %2, block %3").arg(r.layer).arg(request.row).arg(request.block)
                : QStringLiteral("typed values");
            auto e = explainBlock(block, request.table, what);
            if (e) {
                r.ceil = *e;
                if (request.table.kind == FormatKind::MxInt)
                    if (auto o = explainBlock(block, request.other, what))
                        r.floor = *o;
            } else {
                r.error = e.error();
            }
        }
        QMetaObject::invokeMethod(
            page,
            [this, sequence, r] {
                --mPending;
                apply(sequence, r);
            },
            Qt::QueuedConnection);
    });
}

void BlockExplorerView::apply(quint64 sequence, const Result &r)
{
    if (r.matrix) {
        mMatrix = r.matrix;
        mMatrixLayer = r.layer;
    }
    if (sequence != mSequence)
        return; // a newer request is on its way
    mError = r.error;
    mShown = r.ceil;
    const bool lqerInTable = mShown && mShown->format.convention == MxConvention::Lqer;
    mCeil = lqerInTable ? r.ceil : r.floor;
    mFloor = lqerInTable ? r.floor : r.ceil;
    if (mShown && mShown->format.kind != FormatKind::MxInt)
        mCeil.reset(), mFloor.reset();
    mLayerMse = r.layerMse;
    showResult();
}

void BlockExplorerView::showResult()
{
    if (!mError.isEmpty()) {
        mSummary->setText(
            QStringLiteral("<span style='color:#b00020'>%1</span>").arg(mError.toHtmlEscaped()));
        mTable->setRowCount(0);
        return;
    }
    if (!mShown) {
        mSummary->setText(tr("Open a model and select a layer, or type the values of a block."));
        mTable->setRowCount(0);
        return;
    }
    const BlockExplanation &e = *mShown;
    QStringList lines;
    lines << tr("%1: %2 values, largest magnitude %3")
                 .arg(e.format.toString())
                 .arg(e.elements.size())
                 .arg(number(e.shared.amax));
    const auto exponentLine = [](const BlockExplanation &x, const QString &name, const QString &rule) {
        return tr("%1: E = %2 = %3, one step = %4, %5 clipped")
            .arg(name, rule)
            .arg(x.shared.exponent)
            .arg(number(x.shared.step))
            .arg(x.clippedCount);
    };
    if (mCeil && mFloor) {
        lines << exponentLine(*mCeil, tr("<b>Official exponent</b>"),
                              tr("⌈log₂ %1⌉").arg(number(e.shared.amax)));
        lines << exponentLine(*mFloor, tr("<b>OCP exponent</b>"), tr("⌊log₂ %1⌋").arg(number(e.shared.amax)));
    } else if (e.format.kind == FormatKind::IntSym) {
        lines << tr("<b>Scale</b> (fp16) = %1 / %2 = %3; codes %4..%5")
                     .arg(number(e.shared.amax))
                     .arg(e.shared.maxCode)
                     .arg(number(e.shared.step))
                     .arg(e.shared.minCode)
                     .arg(e.shared.maxCode);
    } else {
        lines << tr("<b>Scale</b> (fp16) = (max − min) / %1 = %2; <b>zero point</b> = %3; codes %4..%5")
                     .arg(e.shared.maxCode)
                     .arg(number(e.shared.step))
                     .arg(e.shared.zeroPoint)
                     .arg(e.shared.minCode)
                     .arg(e.shared.maxCode);
    }
    lines << tr("Ties rounded to even: %1 · block MSE %2 · layer MSE %3 · <b>%4 bits per weight</b>")
                 .arg(e.tieCount)
                 .arg(number(e.mse()))
                 .arg(mLayerMse ? number(*mLayerMse) : tr("—"))
                 .arg(number(e.bitsPerElement()));
    mSummary->setText(lines.join(QStringLiteral("<br>")));

    mTable->setRowCount(int(e.elements.size()));
    for (int i = 0; i < e.elements.size(); ++i) {
        const ExplainedElement &x = e.elements[i];
        const QStringList cells {QString::number(i),
                                 number(x.value),
                                 number(x.negative && x.scaled > 0 ? -x.scaled : x.scaled),
                                 QString::number(x.negative && x.code > 0 ? -x.code : x.code),
                                 x.bits,
                                 number(x.reconstructed),
                                 number(x.error)};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (x.clipped)
                item->setBackground(QColor(255, 190, 190));
            else if (x.tie)
                item->setBackground(QColor(255, 240, 160));
            if (c == Bits)
                item->setFont(QFont(QStringLiteral("monospace")));
            mTable->setItem(i, c, item);
        }
    }
}

} // namespace lqer
