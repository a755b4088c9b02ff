#pragma once

// The block explorer: one block of a number format, element by element (lesson 1). The block
// is a real block of the current layer (row, block index) or values the user types; the shared
// exponent is shown both ways (official ceil, OCP floor) with the clipping each causes, every
// code in binary, ties met by round-half-to-even, the reconstructed values and their errors;
// sliders for the width and the block size with the live MSE over the whole layer and the bits
// per weight; INT symmetric/asymmetric with their scale and zero point. Every number comes
// from core/formats (explainBlock, quantizationSse); the work runs on the view's own worker
// thread, the newest request winning.

#include "app/studio/analysisview.h"
#include "core/common/workerpool.h"
#include "core/formats/blockexplain.h"

#include <QCoreApplication>
#include <QPointer>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QSlider;
class QSpinBox;
class QTableWidget;
class QWidget;

namespace lqer {

class BlockExplorerView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(BlockExplorerView)

public:
    enum class Source { Layer, Typed };
    enum class Kind { MxInt, IntSym, IntAsym };
    enum Column { Index, Value, Scaled, Code, Bits, Reconstructed, Error, ColumnCount };

    explicit BlockExplorerView(StudioHost &host);
    ~BlockExplorerView() override;
    QString title() const override { return tr("Block explorer"); }
    QWidget *widget() const override;
    PlotView *plot() const override { return nullptr; }
    void retranslate() override;
    void clear() override;
    void layerSelected(const QString &layer) override;
    void activated() override;

    // What to explain (each recomputes).
    void setSource(Source source);
    void setBlock(qint64 row, qint64 block);
    void setTypedValues(const QString &text);
    void setKind(Kind kind);
    void setWidth(int bits);
    void setBlockSize(int size); // one of blockSizes()
    void setConvention(MxConvention convention); // the one the table shows
    static QList<int> blockSizes();

    Source source() const;
    qint64 row() const;
    qint64 block() const;
    QuantFormat format() const; // as the controls say; MXINT in the table's convention
    // The last result (none while computing or after an error).
    bool isBusy() const { return mPending > 0; }
    const std::optional<BlockExplanation> &explanation() const { return mShown; }
    const std::optional<BlockExplanation> &ceilExplanation() const { return mCeil; } // MXINT only
    const std::optional<BlockExplanation> &floorExplanation() const { return mFloor; } // MXINT only
    std::optional<double> layerMse() const { return mLayerMse; }
    QString errorText() const { return mError; }
    QTableWidget *table() const { return mTable; }
    QLabel *summaryLabel() const { return mSummary; }

private:
    struct Result;
    void buildUi();
    void recompute();
    void apply(quint64 sequence, const Result &result);
    void showResult();
    QuantFormat formatWith(MxConvention convention) const;

    QPointer<QWidget> mPage; // owned by the tab widget, which may go first
    QComboBox *mSourceBox;
    QLabel *mLayerLabel;
    QSpinBox *mRowSpin;
    QSpinBox *mBlockSpin;
    QLineEdit *mTypedEdit;
    QComboBox *mKindBox;
    QComboBox *mConventionBox;
    QSlider *mWidthSlider;
    QLabel *mWidthLabel;
    QSlider *mBlockSlider;
    QLabel *mBlockLabel;
    QLabel *mSummary;
    QLabel *mCaption;
    QTableWidget *mTable;
    WorkerPool mPool {1}; // one worker: the newest request waits for the one running
    quint64 mSequence = 0;
    int mPending = 0;
    bool mUpdating = false;
    bool mStale = false; // the layer changed while the tab was hidden
    // The current layer's weights (fp32), loaded once by the worker.
    QString mMatrixLayer;
    std::shared_ptr<const MatrixRM> mMatrix;
    std::optional<BlockExplanation> mShown, mCeil, mFloor;
    std::optional<double> mLayerMse;
    QString mError;
};

} // namespace lqer
