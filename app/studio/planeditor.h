#pragma once

// The plan editor: a preset chooser, a quick form (method, rank, weight bits, block,
// activations) applied to the selected rows or to all, and the per-layer plan table (edit one
// cell, or several selected rows at once). Every change is one undo command on the document.

#include "app/studio/layermodels.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace lqer {

class PlanEditor : public QWidget
{
    Q_OBJECT

public:
    explicit PlanEditor(QWidget *parent = nullptr);

    void setDocument(Document *document);
    QTableView *table() const { return mTable; }
    PlanTableModel *model() const { return mModel; }
    QStringList selectedLayers() const;
    void selectLayer(const QString &layer);

    // The quick form's values applied to `layers` (one undo command).
    void applyForm(const QStringList &layers);
    void applyPreset(const QString &name);

signals:
    void currentLayerChanged(const QString &layer);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void syncPresetBox();
    // Shows the plan's defaults in the edit form (after a preset or a new document).
    void syncFormToDefaults();

    Document *mDocument = nullptr;
    PlanTableModel *mModel;
    QTableView *mTable;
    QComboBox *mPresetBox;
    QPushButton *mPresetButton;
    QComboBox *mMethodBox;
    QSpinBox *mRankSpin;
    QSpinBox *mBitsSpin;
    QSpinBox *mBlockSpin;
    QComboBox *mActBox;
    QPushButton *mApplySelected;
    QPushButton *mApplyAll;
    QLabel *mPresetLabel, *mMethodLabel, *mRankLabel, *mBitsLabel, *mBlockLabel, *mActLabel;
    QLabel *mDescription;
};

} // namespace lqer
